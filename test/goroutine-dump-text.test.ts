// goroutine?debug=2 text and crash output (issue 19.2): one sample per goroutine, labelled with
// its state, wait, locked, created_by and goid. Ground truth: fixtures/dumps/ (goroutinedump parks
// 7 leaked workers on a channel, 3 in select, 2 in time.Sleep, 1 mutex waiter, 1 locked to its
// thread, then dumps; its -crash twin panics), and go tool pprof -top of the debug=0 profile
// written at the same moment.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli } from './helpers.js';
import { cumByName } from './top-rows.js';

const dumps = join(repoRoot, 'fixtures', 'dumps');
const debug2 = join(dumps, 'goroutine-debug2.txt');
const crash = join(dumps, 'crash.txt');

/** A dump in the pre-1.21 layout (`created by F` alone) beside a 1.21+ one, written by hand after runtime/traceback.go. */
const mixed = [
  'goroutine 42 [chan receive, 12 minutes]:',
  'main.worker(0xc000010000)',
  '\t/src/main.go:35 +0x35',
  'created by main.start',
  '\t/src/main.go:85 +0x45',
  '',
  'goroutine 43 [chan receive, 3 minutes, locked to thread]:',
  'main.worker(0xc000010000)',
  '\t/src/main.go:35 +0x35',
  'created by main.start in goroutine 1',
  '\t/src/main.go:85 +0x45',
  '',
  'goroutine 44 [select]:',
  'main.loop(...)',
  '\t/src/main.go:50',
  'main.(*Server).run(0xc0000a2000, {0x4dd8b5?, 0x9})',
  '\t/src/main.go:60 +0x20',
  '...additional frames elided...',
  'created by main.start',
  '\t/src/main.go:86 +0x45',
  '',
].join('\n');

test('debug=2: the program\'s own functions count the goroutines go tool pprof counts in debug=0', async () => {
  const r = await runCli(['top', debug2]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^Showing nodes accounting for 15, 100% of 15 total$/m);
  const ours = cumByName(r.stdout);
  const truth = cumByName(readFileSync(join(dumps, 'pprof-top-debug0.txt'), 'utf8'));
  for (const f of ['main.leakWorker', 'main.selectForever', 'main.sleepLong', 'main.waitForLock', 'main.lockedToThread', 'time.Sleep', 'sync.(*Mutex).lockSlow']) {
    assert.equal(ours.get(f), truth.get(f), f);
  }
});

test('debug=2: tags count goroutines per state, and the locked one and creators, as the program parked them', async () => {
  const r = await runCli(['tags', debug2]);
  assert.equal(r.code, 0, r.stderr);
  // 7 leaked + 1 locked on a channel, 3 in select, 2 sleeping, 1 on the mutex, main writing the dump.
  for (const [n, state] of [[8, 'chan receive'], [3, 'select'], [2, 'sleep'], [1, 'semacquire'], [1, 'running']] as const) {
    assert.match(r.stdout, new RegExp(`^ +${n} \\( *[\\d.]+%\\): ${state}$`, 'm'), state);
  }
  assert.match(r.stdout, /^ locked: Total 1 of 15/m);
  assert.match(r.stdout, /^ created_by: Total 14 of 15 \(93\.33%\)\n +14 \(93\.33%\): main\.main\.func1$/m);
  const sel = await runCli(['top', '--tagfocus', 'state=select', debug2]);
  assert.match(sel.stdout, /^Showing nodes accounting for 3, 20\.00% of 15 total$/m);
});

test('older and newer created-by layouts, waits in minutes, locked, elided frames, arguments dropped from names', async () => {
  const tags = await runCli(['tags', '-'], Buffer.from(mixed));
  assert.equal(tags.code, 0, tags.stderr);
  assert.match(tags.stdout, /^ created_by: Total 3 of 3 \(  100%\)\n +3 \(  100%\): main\.start$/m);
  assert.match(tags.stdout, /^ locked: Total 1 of 3/m);
  const long = await runCli(['tags', '--tagfocus', 'wait=10:', '-'], Buffer.from(mixed));
  assert.match(long.stdout, /^ goid: Total 1 of 3 \(33\.33%\)\n +1 \(33\.33%\): 42$/m);
  const traces = await runCli(['traces', '--tagfocus', 'goid=44', '-'], Buffer.from(mixed));
  assert.match(traces.stdout, /^ +1 +main\.loop\n +main\.\(\*Server\)\.run\n/m);
});

test('a real crash: the panic message is the comment, every goroutine is read, `exit status` ends it quietly', async () => {
  const text = readFileSync(crash, 'utf8');
  assert.match(text, /^panic: 7 workers leaked\n/);
  const r = await runCli(['comments', crash]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'panic: 7 workers leaked');
  const withExit = await runCli(['top', '-'], Buffer.from(`${text}exit status 2\n`));
  assert.equal(withExit.stderr, '');
  assert.match(withExit.stdout, /^Showing nodes accounting for 15, 100% of 15 total$/m);
});

test('a cut or garbled dump is read up to the line named in one warning', async () => {
  const lines = readFileSync(debug2, 'utf8').split('\n');
  // Cut after a function line, before its file line.
  const cut = lines.findIndex((l, i) => i > 20 && l.startsWith('main.leakWorker('));
  const r = await runCli(['tags', '-'], Buffer.from(lines.slice(0, cut + 1).join('\n')));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), `-: reading stopped at line ${cut + 1}: the dump ends inside a frame`);
  const withNewline = await runCli(['top', '-'], Buffer.from(`${lines.slice(0, cut + 1).join('\n')}\n`));
  assert.equal(withNewline.stderr.trim(), `-: reading stopped at line ${cut + 1}: the dump ends inside a frame`);
  // Cut inside the file line that follows.
  const inFile = await runCli(['top', '-'], Buffer.from(`${lines.slice(0, cut + 1).join('\n')}\n\t/src/ma`));
  assert.equal(inFile.stderr.trim(), `-: reading stopped at line ${cut + 1}: the dump ends inside a frame`);
  // The cut goroutine had only that frame: it is left out, every goroutine before it is read.
  const read = lines.slice(0, cut + 1).filter((l) => l.startsWith('goroutine ')).length - 1;
  assert.match(r.stdout, new RegExp(`^ goid: Total ${read} of ${read} `, 'm'));
  // A log line inside a goroutine.
  const mixedIn = [...lines.slice(0, 3), '2026/12/01 10:00:00 request served', ...lines.slice(3)].join('\n');
  const m = await runCli(['top', '-'], Buffer.from(mixedIn));
  assert.equal(m.code, 0, m.stderr);
  assert.equal(m.stderr.trim(), '-: reading stopped at line 4: not a frame of goroutine 1');
});

test('a goroutine header with nothing readable is one error; text that is no dump stays one', async () => {
  const none = await runCli(['top', '-'], Buffer.from('goroutine 1 [running]:\n%%%%\n'));
  assert.notEqual(none.code, 0);
  assert.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
  assert.match(none.stderr, /no goroutine could be read \(reading stopped at line 2/);
  const prose = await runCli(['top', '-'], Buffer.from('this is a ticket about goroutines leaking\n'));
  assert.notEqual(prose.code, 0);
  assert.match(prose.stderr, /not a pprof profile/);
});

test('GOTRACEBACK=system layouts: gp=/m= in the header, fp= sp= pc= after the file line; a stack on another thread', async () => {
  // Written by hand after Go 1.23's runtime/traceback.go (printg header, printFuncName/printcreatedby).
  const system = [
    'fatal error: all goroutines are asleep - deadlock!',
    '',
    'goroutine 1 gp=0xc000002380 m=0 mp=0x563400 [chan receive]:',
    'runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)',
    '\t/usr/local/go/src/runtime/proc.go:424 +0xce fp=0xc00006af10 sp=0xc00006aef0 pc=0x46b50e',
    'main.main()',
    '\t/src/main.go:7 +0x25 fp=0xc00006af50 sp=0xc00006af30 pc=0x49a3c5',
    '',
    'goroutine 2 gp=0xc000002e00 m=nil [running]:',
    'goroutine running on other thread; stack unavailable',
    'created by runtime.init.7 in goroutine 1',
    '\t/usr/local/go/src/runtime/proc.go:336 +0x1a',
    '',
  ].join('\n');
  const r = await runCli(['tags', '-'], Buffer.from(system));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^ state: Total 2 of 2 \(  100%\)\n +1 \(50\.00%\): chan receive\n +1 \(50\.00%\): running$/m);
  const c = await runCli(['comments', '-'], Buffer.from(system));
  assert.equal(c.stdout.trim(), 'fatal error: all goroutines are asleep - deadlock!');
  const t = await runCli(['traces', '--tagfocus', 'goid=1', '-'], Buffer.from(system));
  assert.match(t.stdout, /^ +1 +runtime\.gopark\n +main\.main\n/m);
  const other = await runCli(['traces', '--tagfocus', 'goid=2', '-'], Buffer.from(system));
  assert.match(other.stdout, /^ +1 +\(stack unavailable\)$/m);
});
