// Go 1.22+ thread lanes (issue 18): a thread's lane shows the goroutines it runs and the syscalls
// they make on it, as Go 1.22's "view by thread" does. The traces are written in Go's text form;
// every slice is worked out by hand from the dt values (clock 1 GHz, batches from tick 100, the
// first event at tick 101 = time 0).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { SliceKind, buildTimeline, sliceGoroutine, sliceKind, sliceStart, sliceStop, type Timeline } from '../src/trace/timeline.js';
import { sharedDir } from './helpers.js';
import { lostPTrace, oneThreadSyscallTrace, textToWire } from './trace-gen-text.js';


const threadSlices = (tl: Timeline, m: number): [number, number, number, number][] => {
  const lane = tl.lanes.findIndex((l) => l.kind === 'thread' && l.id === m);
  assert.ok(lane >= 0, `no lane for thread ${m}`);
  const out: [number, number, number, number][] = [];
  for (let j = tl.laneStart[lane]!; j < tl.laneStart[lane + 1]!; j++) out.push([sliceStart(tl, j), sliceStop(tl, j), sliceKind(tl, j), sliceGoroutine(tl, j, lane)]);
  return out;
};

test('a syscall that keeps its P cuts its run on the thread lane: run, syscall, run', () => {
  const tl = buildTimeline(readTrace(textToWire(oneThreadSyscallTrace), 'fast.trace'));
  const { Running, Syscall } = SliceKind;
  assert.deepEqual(threadSlices(tl, 1), [
    [1, 20, Running, 1],
    [25, 30, Running, 7],
    [30, 34, Syscall, 7],
    [34, 50, Running, 7],
    [55, 60, Running, 1],
  ]);
});


test('a syscall that loses its P stays on its thread until it returns', () => {
  const tl = buildTimeline(readTrace(textToWire(lostPTrace), 'steal.trace'));
  assert.equal(tl.end, 40);
  assert.deepEqual(threadSlices(tl, 0), [
    [1, 10, SliceKind.Running, 1],
    [10, 40, SliceKind.Syscall, 1],
  ]);
  assert.deepEqual(threadSlices(tl, 1), [[3, 40, SliceKind.Running, 2]]);
});

const json125 = join(sharedDir, 'peer-trace/traces/go1.25/test-encoding-json.trace');

test('on the real Go 1.25 trace thread lanes hold syscalls, each begun by its GoSysCall, in order and apart', { skip: !existsSync(json125) && 'needs ../shared/peer-trace' }, () => {
  const t = readTrace(readFileSync(json125), 'json.trace');
  const tl = buildTimeline(t);
  let syscalls = 0;
  tl.lanes.forEach((lane, l) => {
    if (lane.kind !== 'thread') return;
    for (let j = tl.laneStart[l]!; j < tl.laneStart[l + 1]!; j++) {
      assert.ok(sliceStart(tl, j) < sliceStop(tl, j), `thread ${lane.id}: empty slice ${j}`);
      if (j > tl.laneStart[l]!) assert.ok(sliceStart(tl, j) >= sliceStop(tl, j - 1), `thread ${lane.id}: slice ${j} overlaps the one before`);
      if (sliceKind(tl, j) !== SliceKind.Syscall) continue;
      syscalls++;
      const e = tl.ev[j]!;
      assert.equal(t.events.type[e], EventType.GoSysCall);
      assert.equal(t.events.ts[e], sliceStart(tl, j));
      assert.equal(t.events.g[e], sliceGoroutine(tl, j, l));
    }
  });
  assert.ok(syscalls > 0, 'no syscalls on any thread lane');
});
