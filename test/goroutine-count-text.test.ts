// goroutine?debug=1 and threadcreate?debug=1 text (issue 19.1): read with pprof's values and
// structure, and with the function names, files and lines of the `#` lines, which pprof ignores.
// Ground truth: fixtures/dumps/, written by fixtures/go/cmd/goroutinedump at one moment as debug=0,
// 1 and 2, with what go tool pprof printed for them (fixtures/regen-dump.sh).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli } from './helpers.js';
import { cumByName } from './top-rows.js';

const dumps = join(repoRoot, 'fixtures', 'dumps');
const debug1 = join(dumps, 'goroutine-debug1.txt');
const expected = (name: string): string => readFileSync(join(dumps, name), 'utf8');

test('debug=1: header, totals and the unnamed rows are what go tool pprof prints', async () => {
  const r = await runCli(['top', debug1]);
  assert.equal(r.code, 0, r.stderr);
  // pprof names no frame; proflens adds the named rows and changes nothing else.
  const unnamed = r.stdout.split('\n').filter((l) => !/ (main|runtime|sync|time)[./]\S+$/.test(l)).join('\n');
  assert.equal(unnamed, expected('pprof-top-debug1.txt'));
});

test('debug=1: every named function has the cum value go tool pprof gives it in the debug=0 profile', async () => {
  const r = await runCli(['top', debug1]);
  assert.equal(r.code, 0, r.stderr);
  const ours = cumByName(r.stdout);
  const truth = cumByName(expected('pprof-top-debug0.txt'));
  // The leading runtime frames (gopark, chanrecv, …) are left out of the `#` lines by the runtime,
  // so they stay unnamed; every function the text does name matches the binary's profile.
  const named = [...ours.keys()].filter((n) => n !== '<unknown>');
  assert.ok(named.length >= 15, `${named.length} named rows`);
  for (const name of named) assert.equal(ours.get(name), truth.get(name), name);
  for (const own of ['main.leakWorker', 'main.selectForever', 'main.sleepLong', 'main.waitForLock', 'main.lockedToThread']) {
    assert.ok(ours.has(own), own);
  }
  assert.equal(ours.get('main.leakWorker'), 7);
});

test('debug=1: samples and locations as go tool pprof -raw has them, now with lines', async () => {
  const r = await runCli(['raw', debug1]);
  assert.equal(r.code, 0, r.stderr);
  const section = (s: string): string => s.slice(s.indexOf('Samples:'), s.indexOf('Mappings'));
  // pprof's locations are bare addresses; ours carry `NAME FILE:LINE s=0` after them.
  const bare = section(r.stdout).replace(/^( +\d+: 0x[0-9a-f]+ M=1 ).*$/gm, '$1');
  assert.equal(bare, section(expected('pprof-raw-debug1.txt')));
  // The address and line the `#` line gives: `#\t0x4bb1f4\tmain.leakWorker+0x34\t…/main.go:36`.
  assert.match(r.stdout, /^ +4: 0x4bb1f4 M=1 main\.leakWorker proflens\/fixtures\/cmd\/goroutinedump\/main\.go:36 s=0$/m);
});

test('threadcreate debug=1 (which go tool pprof refuses) reads, `5 @` as an empty stack', async () => {
  assert.match(expected('pprof-top-threadcreate.txt'), /malformed profile format/);
  const r = await runCli(['top', join(dumps, 'threadcreate-debug1.txt')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Type: threadcreate$/m);
  assert.match(r.stdout, /^Showing nodes accounting for 1, 16\.67% of 6 total$/m);
  assert.match(r.stdout, /^ +0 +0% +16\.67% +1 16\.67% +main\.lockedToThread$/m);
});

test('a damaged line is one error naming the file and the line', async () => {
  const text = 'goroutine profile: total 3\n2 @ 0x10 0x20\n#\t0xf\tmain.f+0x1\t/m.go:3\n\n1 @ 0x10 zz\n';
  const r = await runCli(['top', '-'], Buffer.from(text));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /line 5: "zz" is not an address/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('labels after a count line and inlined frames sharing one pc', async () => {
  const text = [
    'goroutine profile: total 3',
    '2 @ 0x11 0x21 # labels: {"handler":"x"}',
    '#\t0x10\tmain.inner+0x1\t/m.go:3',
    '#\t0x10\tmain.outer+0x5\t/m.go:9',
    '#\t0x20\tmain.main+0x9\t/m.go:20',
    '',
    '1 @ 0x21',
    '#\t0x20\tmain.main+0x9\t/m.go:20',
    '',
  ].join('\n');
  const r = await runCli(['raw', '-'], Buffer.from(text));
  assert.equal(r.code, 0, r.stderr);
  // Location 1 holds both inlined frames, leaf first; location 2 is named once though printed twice.
  assert.match(r.stdout, /^ +1: 0x10 M=1 main\.inner \/m\.go:3 s=0\n +main\.outer \/m\.go:9 s=0\n +2: 0x20 M=1 main\.main \/m\.go:20 s=0\n/m);
});
