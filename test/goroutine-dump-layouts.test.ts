// Goroutine dumps in the layouts Go has printed over the years (issue 19.2), from
// fixtures/dumps/: real crashes of fixtures/go/cmd/crashdump under Go 1.19 (crash-*.txt: a nil
// dereference, a panic raised again after recover, a SIGQUIT with its register dump), and two
// written by hand after runtime/traceback.go and panic.go (hand-*.txt): Go ≤1.16 with arguments as
// hex words and `created by F` alone, Go 1.21+ with `created by F in goroutine N`, a stack cut in
// its middle (`...N frames elided...`), a stack on another thread, an ancestor's stack
// (GODEBUG=tracebackancestors), log lines before the panic and `exit status 2` after it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli } from './helpers.js';

const dump = (name: string): string => join(repoRoot, 'fixtures', 'dumps', name);

test('Go ≤1.16: hex arguments, `...` for more, `created by F`, a recovered panic raised again, exit status', async () => {
  const f = dump('hand-go116-crash.txt');
  const tags = await runCli(['tags', f]);
  assert.equal(tags.code, 0, tags.stderr);
  assert.equal(tags.stderr, '');
  assert.match(tags.stdout, /^ goid: Total 5 of 5 /m);
  assert.match(tags.stdout, /^ created_by: Total 4 of 5 \(80\.00%\)\n +4 \(80\.00%\): main\.main$/m);
  assert.match(tags.stdout, /^ locked: Total 1 of 5 /m);
  const long = await runCli(['tags', '--tagfocus', 'wait=10:', '--tagshow', 'goid', f]);
  assert.match(long.stdout, /^ goid: Total 2 of 5 \(40\.00%\)\n +1 \(20\.00%\): 6\n +1 \(20\.00%\): 7$/m);
  const c = await runCli(['comments', f]);
  assert.equal(c.stdout, 'panic: worker failed [recovered]\n\tpanic: worker failed again\n');
  const g = await runCli(['goroutines', '--json', f]);
  const j = JSON.parse(g.stdout) as { panicking: { id: number; frames: { func: string }[] }; buckets: { count: number; frames: { func: string }[] }[] };
  assert.equal(j.panicking.id, 1);
  assert.deepEqual(j.panicking.frames.map((x) => x.func), ['main.handle.func1', 'panic', 'main.handle', 'main.main']);
  assert.deepEqual(j.buckets.map((b) => [b.count, b.frames[0]!.func]), [[2, 'main.worker'], [1, 'main.loop'], [1, 'internal/poll.runtime_pollWait']]);
});

test('Go 1.21+: `in goroutine N`, a stack cut in its middle, a stack on another thread, an ancestor skipped', async () => {
  const f = dump('hand-go121-crash.txt');
  const tags = await runCli(['tags', f]);
  assert.equal(tags.code, 0, tags.stderr);
  assert.equal(tags.stderr, '');
  assert.match(tags.stdout, /^ goid: Total 5 of 5 /m);
  assert.match(tags.stdout, /^ created_by: Total 4 of 5 \(80\.00%\)\n +2 \(40\.00%\): main\.main\n +2 \(40\.00%\): main\.start$/m);
  // The frames after `...95 frames elided...` are the outermost: main.main is the root.
  const t = await runCli(['traces', '--tagfocus', 'goid=1', f]);
  assert.match(t.stdout, / +main\.descend\n +main\.main\n/);
  // The ancestor's stack (main.start) is not goroutine 20's.
  const a = await runCli(['traces', '--tagfocus', 'goid=20', f]);
  assert.match(a.stdout, /^ +1 +main\.worker\n-{5}/m);
  const other = await runCli(['traces', '--tagfocus', 'goid=18', f]);
  assert.match(other.stdout, /^ +1 +\(stack unavailable\)$/m);
  const c = await runCli(['comments', f]);
  assert.equal(c.stdout, 'panic: deep trouble\n');
});

test('a real nil dereference: the signal line is part of the message, the panicking goroutine first', async () => {
  const g = await runCli(['goroutines', dump('crash-nil.txt')]);
  assert.equal(g.code, 0, g.stderr);
  assert.equal(g.stderr, '');
  assert.match(g.stdout, /^panic: runtime error: invalid memory address or nil pointer dereference\n\[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x[0-9a-f]+\]\ngoroutine 1 \[running\] \(panicking\)\n +\* main\.follow /);
  assert.match(g.stdout, /^3 goroutines \[chan receive\] created by main\.main\n +\* main\.waiter /m);
  assert.match(g.stdout, /^1 goroutine \[chan receive, 1 locked to thread\] created by main\.main\n +\* main\.lockedWaiter /m);
});

test('a real panic raised again after recover: both panic lines are the message', async () => {
  const c = await runCli(['comments', dump('crash-repanic.txt')]);
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.stdout, 'panic: first [recovered]\n\tpanic: again after first\n');
  const t = await runCli(['traces', '--tagfocus', 'goid=1', dump('crash-repanic.txt')]);
  assert.match(t.stdout, / +main\.repanic\.func1\n +panic\n +main\.repanic\n +main\.main\n/);
});

test('a real SIGQUIT dump: every goroutine, goroutine 0 too, and the register dump after them is no warning', async () => {
  const f = dump('crash-quit.txt');
  const tags = await runCli(['tags', '--tagshow', 'state', f]);
  assert.equal(tags.code, 0, tags.stderr);
  assert.equal(tags.stderr, '');
  assert.match(tags.stdout, /^ state: Total 11 of 11 /m);
  assert.match(tags.stdout, /^ +4 \(36\.36%\): chan receive$/m);
  assert.match(tags.stdout, /^ +1 \( 9\.09%\): idle$/m);
  // No panic: no message, and no goroutine is set apart as the panicking one.
  const c = await runCli(['comments', f]);
  assert.equal(c.stdout, '');
  const g = await runCli(['goroutines', f]);
  assert.match(g.stdout, /^11 goroutines in \d+ buckets/);
});
