// Go 1.22+'s `go tool trace` rules on traces of the generational format (issue 17): the sync
// profile leaves out GC-assist waits, which Go 1.19's tool counted, and the sched profile counts
// the wait of a preempted goroutine, which it did not. The trace is written here in
// Go's text form; the expected times are worked out by hand from its dt values below.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { latencyProfile } from '../src/trace/latency-profile.js';
import { readTrace } from '../src/trace/read.js';
import { traceRules } from '../src/trace/rules.js';
import { EventType } from '../src/trace/model.js';
import { sharedDir } from './helpers.js';
import { NoThread, textToWire } from './trace-gen-text.js';


/**
 * One generation, clock at 1 GHz (ticks are ns), first event at tick 101 = time 0.
 * G1 runs on P0, creates G7 (t=11) and waits in a GC assist (t=21, stack 1, gcParkAssist);
 * G7 runs (26), wakes G1 (46) and blocks on a channel receive (49, stack 2, main.recv);
 * G1 runs (54), wakes G7 (84) and ends (89); G7 runs (94) and ends (99).
 * So: GC-assist wait 21→46 = 25 ns; channel wait 49→84 = 35 ns.
 */
const trace = `Trace Go1.25
EventBatch gen=1 m=${NoThread} time=100 size=*
Sync
Frequency freq=1000000000
ClockSnapshot dt=0 mono=1 sec=1 nsec=0
EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
String id=1
	data="GC mark assist wait for work"
String id=2
	data="runtime.gcParkAssist"
String id=3
	data="/go/src/runtime/mgcmark.go"
String id=4
	data="chan receive"
String id=5
	data="main.recv"
String id=6
	data="/src/main.go"
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
Stack id=1 nframes=1
	pc=4096 func=2 file=3 line=10
Stack id=2 nframes=1
	pc=8192 func=5 file=6 line=20
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=1 gstatus=2
GoCreate dt=10 new_g=7 new_stack=2 stack=0
GoBlock dt=10 reason_string=1 stack=1
GoStart dt=5 g=7 g_seq=1
GoUnblock dt=20 g=1 g_seq=1 stack=0
GoBlock dt=3 reason_string=4 stack=2
GoStart dt=5 g=1 g_seq=2
GoUnblock dt=30 g=7 g_seq=2 stack=0
GoDestroy dt=5
GoStart dt=5 g=7 g_seq=3
GoDestroy dt=5
ProcStop dt=5
`;

/** samplesOf lists a latency profile's samples as [leaf function, count, ns]. */
function samplesOf(p: ReturnType<typeof latencyProfile>): [string, number, number][] {
  const s = p.samples;
  const out: [string, number, number][] = [];
  for (let i = 0; i < s.length; i++) {
    const loc = s.locations[s.stackStart[i]!]!;
    const fn = p.locations.lineFunction[p.locations.lineStart[loc]!]!;
    out.push([p.strings[p.functions.name[fn]!]!, s.values[2 * i]!, s.values[2 * i + 1]!]);
  }
  return out.sort();
}

test('a Go 1.25 trace follows Go 1.22+ rules; old-format traces Go 1.19 rules', () => {
  assert.equal(traceRules({ version: 1019 }), 'go1.19');
  assert.equal(traceRules({ version: 1021 }), 'go1.19');
  assert.equal(traceRules({ version: 1022 }), 'go1.22');
  assert.equal(traceRules(readTrace(textToWire(trace), 'rules.trace')), 'go1.22');
});

test('the sync profile of a Go 1.22+ trace leaves out GC-assist waits', () => {
  const t = readTrace(textToWire(trace), 'rules.trace');
  assert.deepEqual(samplesOf(latencyProfile(t, 'sync')), [['main.recv', 1, 35]]);
});

test('the same events under Go 1.19 rules count the GC-assist wait too', () => {
  const t = readTrace(textToWire(trace), 'rules.trace');
  const asOld = { ...t, version: 1021 };
  assert.deepEqual(samplesOf(latencyProfile(asOld, 'sync')), [
    ['main.recv', 1, 35],
    ['runtime.gcParkAssist', 1, 25],
  ]);
});

/**
 * Clock at 1 GHz, first event at tick 101 = time 0. G1 runs on P0; at 11 it creates G7 (creator's
 * stack 1, main.spin) and at 21 it is preempted (stack 2, main.loop); G7 runs at 26 and ends at 36;
 * G1 runs again at 41 and ends at 46. Runnable intervals: G7 11→26 = 15 ns from its creation, G1
 * 21→41 = 20 ns after its preemption.
 */
const preemptTrace = `Trace Go1.22
EventBatch gen=1 m=${NoThread} time=100 size=*
Frequency freq=1000000000
EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
String id=1
	data="preempted"
String id=2
	data="main.spin"
String id=3
	data="/src/main.go"
String id=4
	data="main.loop"
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
Stack id=1 nframes=1
	pc=4096 func=2 file=3 line=10
Stack id=2 nframes=1
	pc=8192 func=4 file=3 line=20
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=1 gstatus=2
GoCreate dt=10 new_g=7 new_stack=1 stack=1
GoStop dt=10 reason_string=1 stack=2
GoStart dt=5 g=7 g_seq=1
GoDestroy dt=10
GoStart dt=5 g=1 g_seq=1
GoDestroy dt=5
ProcStop dt=5
`;

test('the sched profile of a Go 1.22+ trace counts the wait after a preemption; Go 1.19 rules do not', () => {
  const t = readTrace(textToWire(preemptTrace), 'preempt.trace');
  assert.deepEqual(samplesOf(latencyProfile(t, 'sched')), [
    ['main.loop', 1, 20],
    ['main.spin', 1, 15],
  ]);
  assert.deepEqual(samplesOf(latencyProfile({ ...t, version: 1021 }, 'sched')), [['main.spin', 1, 15]]);
});

/**
 * G1 runs on P0 (time 0 at tick 101), enters a syscall at 11 (stack 1, main.spin) that returns at
 * 18 with its P kept, and ends at 23: a 7 ns syscall, which the old format has no event to end.
 */
const fastSyscallTrace = `Trace Go1.22
EventBatch gen=1 m=${NoThread} time=100 size=*
Frequency freq=1000000000
EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
String id=1
	data="main.spin"
String id=2
	data="/src/main.go"
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
Stack id=1 nframes=1
	pc=4096 func=1 file=2 line=10
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=1 gstatus=2
GoSyscallBegin dt=10 p_seq=1 stack=1
GoSyscallEnd dt=7
GoDestroy dt=5
ProcStop dt=5
`;

test('the syscall profile of a Go 1.22+ trace counts a syscall that kept its P; Go 1.19 rules do not', () => {
  const t = readTrace(textToWire(fastSyscallTrace), 'syscall.trace');
  assert.deepEqual(samplesOf(latencyProfile(t, 'syscall')), [['main.spin', 1, 7]]);
  assert.deepEqual(samplesOf(latencyProfile({ ...t, version: 1021 }, 'syscall')), []);
});

const json125 = join(sharedDir, 'peer-trace/traces/go1.25/test-encoding-json.trace');

test('on the real Go 1.25 trace: every syscall counts, and every preemption adds to sched', { skip: !existsSync(json125) && 'needs ../shared/peer-trace' }, () => {
  const t = readTrace(readFileSync(json125), 'json.trace');
  const total = (p: ReturnType<typeof latencyProfile>): number => {
    let n = 0;
    for (let i = 0; i < p.samples.length; i++) n += p.samples.values[2 * i]!;
    return n;
  };
  let syscalls = 0;
  let preempts = 0;
  for (let i = 0; i < t.events.length; i++) {
    const ty = t.events.type[i];
    if (ty === EventType.GoSysCall && t.events.stack[i] !== 0) syscalls++;
    else if ((ty === EventType.GoPreempt || ty === EventType.GoSched) && t.events.stack[i] !== 0 && t.events.link[i]! >= 0) preempts++;
  }
  // The test binary's syscalls almost all return with their P (287, of which 1 lost it): Go 1.19's
  // rules see the one, Go 1.22+'s every one that returned within the trace.
  assert.ok(syscalls > 100);
  assert.equal(total(latencyProfile(t, 'syscall')), syscalls);
  assert.ok(total(latencyProfile({ ...t, version: 1021 }, 'syscall')) < 5);
  assert.ok(preempts > 0);
  assert.equal(total(latencyProfile(t, 'sched')) - total(latencyProfile({ ...t, version: 1021 }, 'sched')), preempts);
});
