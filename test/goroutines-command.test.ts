// `proflens goroutines` (issue 19.3): buckets of goroutines with the same stack and state, largest
// first; growth against a base; crashes; colour and escaping on a terminal; fetching a service's
// dump and saving it. Ground truth: fixtures/dumps/, where goroutinedump parked `leaked = 7`
// workers in main.leakWorker, 3 in select, 2 sleeping, 1 on a mutex, 1 locked to its thread.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const dumps = join(repoRoot, 'fixtures', 'dumps');
const debug2 = join(dumps, 'goroutine-debug2.txt');
const text = readFileSync(debug2, 'utf8');

/** without drops the first n goroutines whose first frame is `func` from the dump's text. */
function without(func: string, n: number): string {
  let left = n;
  return text
    .split('\n\n')
    .filter((g) => !(g.split('\n')[1]?.startsWith(`${func}(`) && left-- > 0))
    .join('\n\n');
}

test('the leak is one bucket of exactly the 7 leaked goroutines, first', async () => {
  const r = await runCli(['goroutines', debug2]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^15 goroutines in 6 buckets/);
  assert.match(r.stdout, /\n\n7 goroutines \[chan receive\] created by main\.main\.func1\n  \* main\.leakWorker  …\/goroutinedump\/main\.go:\d+\n\n3 goroutines \[select\]/);
  assert.match(r.stdout, /^1 goroutine \[chan receive, 1 locked to thread\] created by main\.main\.func1\n  \* main\.lockedToThread /m);
  // The standard library's frames are not marked as the user's.
  assert.match(r.stdout, /^ {4}sync\.\(\*Mutex\)\.lockSlow  sync\/mutex\.go:171$/m);
});

test('--json: the buckets with their goroutine ids and frames', async () => {
  const r = await runCli(['goroutines', '--json', debug2]);
  assert.equal(r.code, 0, r.stderr);
  const { buckets } = JSON.parse(r.stdout) as { buckets: { count: number; state: string; goids: number[]; frames: { func: string }[]; createdBy: string[] }[] };
  assert.deepEqual(buckets.map((b) => b.count), [7, 3, 2, 1, 1, 1]);
  assert.equal(buckets[0]!.goids.length, 7);
  assert.deepEqual(buckets[0]!.frames.map((f) => f.func), ['main.leakWorker']);
  assert.deepEqual(buckets[0]!.createdBy, ['main.main.func1']);
});

test('a crash: the message and the panicking goroutine first, then the rest bucketed', async () => {
  const r = await runCli(['goroutines', join(dumps, 'crash.txt')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^panic: 7 workers leaked\ngoroutine 1 \[running\] \(panicking\)\n  \* main\.main  …\/goroutinedump\/main\.go:\d+\n\n14 goroutines in 5 buckets/);
});

test('--base, or two dumps: the buckets that grew, by how many, and the new ones', async () => {
  const dir = scratchDir('goroutines-base');
  const old = join(dir, 'old.txt');
  // The older dump: 4 fewer leaked workers and no select goroutines at all.
  const older = without('main.leakWorker', 4)
    .split('\n\n')
    .filter((g) => !g.split('\n')[1]?.startsWith('main.selectForever('))
    .join('\n\n');
  writeFileSync(old, older);
  const r = await runCli(['goroutines', '--base', old, debug2]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\+4 \(3 → 7\) 7 goroutines \[chan receive\] created by main\.main\.func1\n  \* main\.leakWorker /);
  assert.match(r.stdout, /^\+3 \(new\) 3 goroutines \[select\]/m);
  assert.equal(r.stdout.match(/^\+/gm)!.length, 2, r.stdout);
  const two = await runCli(['goroutines', old, debug2]);
  assert.equal(two.stdout, r.stdout);
  const same = await runCli(['goroutines', debug2, debug2]);
  assert.equal(same.stdout, 'no bucket grew\n');
});

test('on a terminal: colour unless NO_COLOR, and names escaped', async () => {
  const evil = 'goroutine 5 [chan receive]:\nmain.f\x1b]0;owned\x07()\n\t/src/main.go:3 +0x1\n';
  const run = async (env: NodeJS.ProcessEnv) => {
    let bytes = '';
    const r = await runCli(['goroutines', '-'], Buffer.from(evil), { stdoutIsTTY: true, env, stdoutBytes: (b) => (bytes += Buffer.from(b).toString()) });
    assert.equal(r.code, 0, r.stderr);
    return bytes + r.stdout;
  };
  const colored = await run({});
  assert.match(colored, /\x1b\[1mmain\.f\\x1b\]0;owned\\a  \/src\/main\.go:3\x1b\[0m/);
  assert.doesNotMatch(colored, /\x1b\]0;/);
  const plain = await run({ NO_COLOR: '1' });
  assert.doesNotMatch(plain, /\x1b/);
  assert.match(plain, /^ {2}\* main\.f\\x1b\]0;owned\\a  \/src\/main\.go:3$/m);
});

test('a service: host:port fetches /debug/pprof/goroutine?debug=2 and saves goroutine.NNN.txt', async () => {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url!);
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const store = scratchDir('goroutines-store');
  try {
    const { port } = server.address() as AddressInfo;
    const r = await runCli(['goroutines', `127.0.0.1:${port}`], undefined, { env: { ...process.env, PPROF_TMPDIR: store } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(asked, ['/debug/pprof/goroutine?debug=2']);
    assert.deepEqual(readdirSync(store), ['goroutine.001.txt']);
    assert.equal(readFileSync(join(store, 'goroutine.001.txt'), 'utf8'), text);
    assert.match(r.stderr, /Saved goroutine dump in .*goroutine\.001\.txt/);
    assert.match(r.stdout, /\n\n7 goroutines \[chan receive\]/);
  } finally {
    server.close();
  }
});
