// heap?debug=1 and allocs?debug=1 text (issue 19.1): read as go tool pprof reads it (values,
// unsampling, samples, locations), with the names of the `#` lines, which pprof ignores.
// Ground truth: fixtures/dumps/, written by fixtures/go/cmd/heapdump as debug=0 and debug=1 after
// one GC, with what go tool pprof printed for them (fixtures/regen-dump.sh).

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const dumps = join(repoRoot, 'fixtures', 'dumps');
const heap1 = join(dumps, 'heap-debug1.txt');
const allocs1 = join(dumps, 'allocs-debug1.txt');
const expected = (name: string): string => readFileSync(join(dumps, name), 'utf8');
/** The top rows go tool pprof names, each with its cum column as printed. */
const cumByName = (top: string): Map<string, string> => new Map([...top.matchAll(/^ *\S+ +\S+ +\S+ +(\S+) +\S+ +(\S+)$/gm)].map((m) => [m[2]!, m[1]!]));

test('heap debug=1: samples, values, labels and locations as go tool pprof -raw has them, now with names', async () => {
  const r = await runCli(['raw', heap1]);
  assert.equal(r.code, 0, r.stderr);
  // pprof's locations are bare addresses; ours carry `NAME FILE:LINE s=0`, and the mapping says so.
  const bare = r.stdout.replace(/^( +\d+: 0x[0-9a-f]+ M=1 ).*$/gm, '$1').replace(/^(1: 0x0\/0xffffffffffffffff\/0x0 {3})\[FN\]\[FL\]\[LN\]$/m, '$1');
  assert.equal(bare, expected('pprof-raw-heap-debug1.txt'));
  assert.match(r.stdout, /^ +1: 0x4b93fc M=1 main\.retainBlocks proflens\/fixtures\/cmd\/heapdump\/main\.go:32 s=0$/m);
});

test('heap debug=1: the unsampling of `@ heap/N`, worked by hand from the text', async () => {
  const text = expected('heap-debug1.txt');
  // `heap/32768` is twice the sampling rate (an old C++ convention): each sample of average size S
  // was kept with probability 1-e^(-S/16384), so it stands for count/p objects and size/p bytes.
  assert.match(text, /^heap profile: .* @ heap\/32768\n/);
  const churn = /^0: 0 \[777: 6365184\] @ /m;
  assert.match(text, churn);
  const p = 1 - Math.exp(-(6365184 / 777) / 16384);
  assert.deepEqual([Math.trunc(777 / p), Math.trunc(6365184 / p)], [1974, 16177077]);
  const r = await runCli(['raw', heap1]);
  assert.match(r.stdout, /^ +1974 +16177077 +0 +0: \d+ \d+ \d+ \d+ \n +bytes:\[8192\]$/m);
  // A line whose values are all zero (an allocation site sampled once, long gone) is no sample.
  assert.match(text, /^0: 0 \[0: 0\] @ /m);
  assert.doesNotMatch(r.stdout, /^ +0 +0 +0 +0:/m);
});

test('heap debug=1: top names what pprof shows as <unknown>, with the debug=0 profile’s values', async () => {
  const r = await runCli(['top', heap1]);
  assert.equal(r.code, 0, r.stderr);
  // The same header and total as pprof on the same text and on the binary's own profile.
  const head = /^Type: inuse_space\nShowing nodes accounting for 2\.38MB, 100% of 2\.38MB total\n/;
  assert.match(expected('pprof-top-heap-debug1.txt'), head);
  assert.match(expected('pprof-top-heap-debug0.txt'), /^Showing nodes accounting for 2\.38MB, 100% of 2\.38MB total$/m);
  assert.match(r.stdout, head);
  // Every function the `#` lines name has the cum the binary's own profile gives it.
  const ours = cumByName(r.stdout);
  const truth = cumByName(expected('pprof-top-heap-debug0.txt'));
  for (const own of ['main.retainBlocks', 'main.buildTable', 'main.main', 'runtime.malg', 'runtime.gcBgMarkWorker']) assert.equal(ours.get(own), truth.get(own), own);
});

test('allocs debug=1: alloc_space as go tool pprof totals it, main.churn named', async () => {
  const r = await runCli(['top', '--sample_index=alloc_space', allocs1]);
  assert.equal(r.code, 0, r.stderr);
  const total = / of (\S+) total$/m;
  assert.equal(total.exec(r.stdout)?.[1], '18.06MB');
  assert.equal(total.exec(expected('pprof-top-allocs-debug1.txt'))?.[1], '18.06MB');
  assert.equal(cumByName(r.stdout).get('main.churn'), '15.43MB');
  // The debug=0 profile written just before: the same 15797.93kB (15.43MB) for main.churn.
  assert.equal(cumByName(expected('pprof-top-heap-debug0-alloc.txt')).get('main.churn'), '15797.93kB');
});

test('heap text: a bad line is one error naming the file and the line', async () => {
  const cases: [string, RegExp][] = [
    ['heap profile: 1: 2 [3: 4] @ heap/1048576\n1: 2 [3: 4] @ 0x10\nnonsense\n', /line 3: not a sample/],
    ['heap profile: 1: 2 [3: 4] @ heap/1048576\n0: 5 [3: 4] @ 0x10\n', /line 2: inuse count was 0 but inuse bytes was 5/],
    [`heap profile: 1: 2 [3: 4] @ heap/1048576\n1: 2 [3: ${'9'.repeat(30)}] @ 0x10\n`, /line 2: a number is out of range/],
    [`heap profile: 1: 2 [3: 4] @ heap/1048576\n1: 2 [3: 4] @ 0x10 ${'0x1 '.repeat(20000)}\n`, /line 2: longer than 64 KiB/],
  ];
  for (const [text, want] of cases) {
    const r = await runCli(['top', '-'], Buffer.from(text));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, want);
    assert.match(r.stderr, /^proflens: -: heap profile text, line/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('a ?debug=1 heap or allocs URL is saved as heap.NNN.txt, byte for byte, and reads back', async () => {
  const bodies: Record<string, string> = { '/debug/pprof/heap?debug=1': expected('heap-debug1.txt'), '/debug/pprof/allocs?debug=1': expected('allocs-debug1.txt') };
  const server = createServer((req, res) => {
    const body = bodies[req.url!];
    res.statusCode = body === undefined ? 404 : 200;
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const store = scratchDir('heap-text');
    const env = { ...process.env, PPROF_TMPDIR: store };
    for (const kind of ['heap', 'allocs']) {
      const r = await runCli(['top', `http://${host}/debug/pprof/${kind}?debug=1`], undefined, { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /main\.retainBlocks/);
    }
    assert.deepEqual(readdirSync(store).sort(), ['heap.001.txt', 'heap.002.txt']);
    assert.equal(readFileSync(join(store, 'heap.001.txt'), 'utf8'), bodies['/debug/pprof/heap?debug=1']);
    const again = await runCli(['top', join(store, 'heap.002.txt')]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Type: inuse_space$/m);
  } finally {
    server.close();
  }
});

test('heap text headers: heap_v2/N samples at rate N, heapprofile is unsampled, samples alike are summed', async () => {
  // Allocated totals equal to the in-use ones: only objects and space, as pprof types them.
  const v2 = 'heap profile: 3: 3000 [3: 3000] @ heap_v2/4096\n2: 2000 [2: 2000] @ 0x1001 0x2001\n1: 1000 [1: 1000] @ 0x3001\n0: 0 [0: 0] @ 0x4001\n';
  const s = 1 / (1 - Math.exp(-1000 / 4096));
  const a = await runCli(['raw', '-'], Buffer.from(v2));
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /^Period: 4096\nSamples:\nobjects\/count space\/bytes\n/m);
  const rows = [...a.stdout.matchAll(/^ +(\d+) +(\d+): [\d ]+$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(rows, [[Math.trunc(2 * s), Math.trunc(2000 * s)], [Math.trunc(1 * s), Math.trunc(1000 * s)]]);
  // heapprofile: no sampling to undo; two samples of one stack and one block size are one.
  const hp = 'heap profile: 3: 3000 [0: 0] @ heapprofile\n2: 2000 [0: 0] @ 0x1001 0x2001\n1: 1000 [0: 0] @ 0x1001 0x2001\n';
  const b = await runCli(['raw', '-'], Buffer.from(hp));
  assert.match(b.stdout, /^Period: 1\nSamples:\nobjects\/count space\/bytes\n +3 +3000: 1 2 \n +bytes:\[1000\]\nLocations\n/m);
});
