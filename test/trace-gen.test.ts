// The Go 1.22+ (generational) reader on traces written here in Go's text form: what it makes of
// them in the model's words, checked event by event against what the trace says (worked out by
// hand below), and the refusals Go's reader would make. Needs nothing outside the repository.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProfileError } from '../src/profile/errors.js';
import { goroutineStats } from '../src/trace/goroutine-stats.js';
import { EventType as E, SpecialP, eventDescriptions, stackFrames } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { NoThread, textToWire } from './trace-gen-text.js';


/**
 * smallTrace is one generation: goroutine 1 running on P 0 (as its status says) creates goroutine
 * 7 and blocks on a channel; 7 runs, wakes 1 and ends; 1 runs, enters a syscall, loses P 0 to
 * thread 2 (ProcSteal), returns blocked; thread 2 starts P 0 again and runs 1 to its end.
 * The clock ticks at 1 GHz, so times below are ns; the first event is at 101.
 */
function smallTrace(ver: 22 | 23 | 25 | 26): string {
  const sync =
    ver >= 25
      ? `EventBatch gen=1 m=${NoThread} time=100 size=*\nSync\nFrequency freq=1000000000\nClockSnapshot dt=0 mono=1 sec=1 nsec=0\n`
      : `EventBatch gen=1 m=${NoThread} time=100 size=*\nFrequency freq=1000000000\n`;
  return `Trace Go1.${ver}
${sync}EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
String id=1
	data="chan receive"
String id=2
	data="main.worker"
String id=3
	data="/src/main.go"
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
Stack id=1 nframes=1
	pc=4096 func=2 file=3 line=10
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=1 gstatus=2
GoCreate dt=10 new_g=7 new_stack=1 stack=0
GoBlock dt=10 reason_string=1 stack=1
GoStart dt=5 g=7 g_seq=1
GoUnblock dt=20 g=1 g_seq=1 stack=0
GoDestroy dt=3
GoStart dt=5 g=1 g_seq=2
GoSyscallBegin dt=5 p_seq=1 stack=0
EventBatch gen=1 m=2 time=170 size=*
ProcSteal dt=10 p=0 p_seq=2 m=1
ProcStart dt=30 p=0 p_seq=3
GoStart dt=5 g=1 g_seq=3
GoDestroy dt=5
ProcStop dt=5
EventBatch gen=1 m=1 time=200 size=*
GoSyscallEndBlocked dt=0
${ver >= 26 ? 'EndOfGeneration\n' : ''}`;
}

// [type, ts, p, g, link to (index or -1)], worked out from smallTrace by hand.
const expected: [number, number, number, number, number][] = [
  [E.ProcStart, 0, 0, 0, -1],
  [E.GoCreate, 1, 0, 0, 2], // goroutine 1, known from its status
  [E.GoStart, 1, 0, 1, 4],
  [E.GoCreate, 11, 0, 1, 5],
  [E.GoBlockRecv, 21, 0, 1, 6],
  [E.GoStart, 26, 0, 7, 7],
  [E.GoUnblock, 46, 0, 7, 8],
  [E.GoEnd, 49, 0, 7, -1],
  [E.GoStart, 54, 0, 1, 10],
  [E.GoSysCall, 59, 0, 1, 12],
  [E.GoSysBlock, 79, 0, 1, -1], // the ProcSteal, for goroutine 1
  [E.ProcStop, 79, 0, 1, -1],
  [E.GoSysExit, 99, SpecialP.SyscallP, 1, 14],
  [E.ProcStart, 109, 0, 0, -1],
  [E.GoStart, 114, 0, 1, 15],
  [E.GoEnd, 119, 0, 1, -1],
  [E.ProcStop, 124, 0, 0, -1],
];

for (const ver of [22, 23, 25, 26] as const) {
  test(`a Go 1.${ver} trace written here reads as the same model events, times and links`, () => {
    const t = readTrace(textToWire(smallTrace(ver)), 'small.trace');
    assert.equal(t.version, 1000 + ver);
    assert.equal(t.ticksPerSecond, 1e9);
    const ev = t.events;
    const got = Array.from({ length: ev.length }, (_, i) => [eventDescriptions[ev.type[i]!]!.name, ev.ts[i], ev.p[i], ev.g[i], ev.link[i]]);
    assert.deepEqual(
      got,
      expected.map(([ty, ts, p, g, l]) => [eventDescriptions[ty]!.name, ts, p, g, l]),
    );
    // GoCreate's stack argument is goroutine 7's start stack; its GoStart carries it.
    const frames = stackFrames(t, ev.stack[5]!);
    assert.deepEqual(frames, [{ pc: 4096, fn: 'main.worker', file: '/src/main.go', line: 10 }]);
    assert.equal(ev.args[3 * 3], 7);
    // The analyses read it as they read an old trace: goroutine 7 waited 15 ns to run and ran 23;
    // goroutine 1 was blocked on the channel 25 ns and in the syscall without a P 20 ns.
    const stats = goroutineStats(t);
    const g7 = stats.get(7)!;
    assert.equal(g7.name, 'main.worker');
    assert.deepEqual([g7.creationTime, g7.startTime, g7.endTime, g7.execTime, g7.schedWaitTime], [11, 26, 49, 23, 15]);
    const g1 = stats.get(1)!;
    assert.deepEqual([g1.blockTime, g1.syscallTime, g1.endTime], [25, 20, 119]);
  });
}

/** refusal returns the one-line error readTrace gives for the text trace. */
function refusal(text: string): string {
  try {
    readTrace(textToWire(text, false), 'bad.trace');
  } catch (e) {
    assert.ok(e instanceof ProfileError, String(e));
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
  return assert.fail('the trace was accepted');
}

test('Go 1.22+ traces Go refuses are refused with one line saying why, as Go says it', () => {
  const base = smallTrace(25);
  assert.match(refusal(base.replace('Trace Go1.25', 'Trace Go1.27')), /^bad\.trace: unsupported trace file version 1\.27 \(newer than Go 1\.26/);
  assert.match(refusal(base.replace(/ClockSnapshot.*\n/, '')), /^bad\.trace: malformed Go 1\.25 trace: generation 1: no clock snapshot event found$/);
  assert.match(refusal(base.replace(/Frequency.*\n/, '')), /no frequency event found/);
  // The first GoStart of goroutine 7 on a thread that holds no P.
  assert.match(refusal(base.replace('GoStart dt=5 g=7 g_seq=1', 'ProcStop dt=1\nGoStart dt=5 g=7 g_seq=1')), /expected a proc but didn't have one/);
  // A sequence number that never comes: no event can happen next.
  assert.match(refusal(base.replace('GoStart dt=5 g=7 g_seq=1', 'GoStart dt=5 g=7 g_seq=2')), /broken trace: failed to advance/);
  assert.match(refusal(base.replace('stack=1\nGoStart', 'stack=9\nGoStart')), /found invalid stack ID 9 for event GoBlock/);
  assert.match(refusal(base.replace('reason_string=1', 'reason_string=5')), /found invalid string ID 5 for event GoBlock/);
  assert.match(refusal(`${smallTrace(26)}EventBatch gen=2 m=1 time=300 size=*\nProcStatus dt=1 p=0 pstatus=2\n`), /incomplete generation found; trace likely truncated/);
  // A batch cut short: Go 1.26 knows at once; before, the generation is read up to the cut first.
  assert.match(refusal(smallTrace(26).replace(/size=\*\nGoSyscallEndBlocked/, 'size=9\nGoSyscallEndBlocked')), /failed to read full batch .*wanted 9/);
  assert.match(refusal(base.replace(/size=\*\nGoSyscallEndBlocked/, 'size=9\nGoSyscallEndBlocked')), /broken trace: failed to advance/);
});

test('a goroutine that existed before the trace is named by the root frame of its first stack, as Go 1.22+ does', () => {
  const t = readTrace(
    textToWire(`Trace Go1.22
EventBatch gen=1 m=${NoThread} time=100 size=*
Frequency freq=1000000000
EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
String id=1
	data="chan receive"
String id=2
	data="main.leaf"
String id=3
	data="main.loop"
String id=4
	data="/src/main.go"
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
Stack id=1 nframes=2
	pc=100 func=2 file=4 line=5
	pc=200 func=3 file=4 line=9
Stack id=2 nframes=2
	pc=100 func=2 file=4 line=5
	pc=208 func=3 file=4 line=11
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=9 m=${NoThread} gstatus=1
GoStatus dt=1 g=10 m=${NoThread} gstatus=1
GoStart dt=1 g=9 g_seq=1
GoBlock dt=1 reason_string=1 stack=1
GoStart dt=1 g=10 g_seq=1
GoBlock dt=1 reason_string=1 stack=2
GoUnblock dt=1 g=9 g_seq=2 stack=0
GoStart dt=1 g=9 g_seq=3
GoBlock dt=1 reason_string=1 stack=1
GoUnblock dt=1 g=10 g_seq=2 stack=0
GoStart dt=1 g=10 g_seq=3
GoBlock dt=1 reason_string=1 stack=2
`),
    'status.trace',
  );
  const stats = goroutineStats(t);
  // Both started in main.loop (their stacks' root frame, at two return addresses): one group.
  assert.deepEqual([stats.get(9)!.name, stats.get(10)!.name], ['main.loop', 'main.loop']);
  assert.equal(stats.get(9)!.pc, stats.get(10)!.pc);
  // Their creation is unknown: the GoCreate standing for their status has no stack.
  const creates = [...t.events.type.keys()].filter((i) => t.events.type[i] === E.GoCreate);
  assert.deepEqual(creates.map((i) => [t.events.args[i * 3], t.events.args[i * 3 + 1]]), [[9, 0], [10, 0]]);
});
