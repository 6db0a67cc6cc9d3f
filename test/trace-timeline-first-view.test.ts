// The first view's levels of detail made ahead (issue 18, speed): the server makes them once it
// listens (prepareFirstView); what the page is then answered is what it got when they were made
// at its first request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { buildTimeline } from '../src/trace/timeline.js';
import { counterPoints, laneBlocks, prepareFirstView } from '../src/trace/timeline-query.js';
import { writeTrace } from './trace-writer.js';

/** One goroutine on P0 runnable 50 ns and running 100 ns, 6,000 times: a P lane of 6,000 runs, past the 4,096 that get levels of detail. */
function sched(): Uint8Array {
  const records: number[][] = [[EventType.Frequency, 1e9], [EventType.Batch, 0, 1000], [EventType.ProcStart, 0, 3], [EventType.GoCreate, 0, 7, 0, 0]];
  for (let k = 0; k < 6000; k++) records.push([EventType.GoStart, 50, 7, k + 1], [EventType.GoSched, 100, 0]);
  return writeTrace(records);
}

test('a timeline whose first view was prepared answers as one prepared by its first query', () => {
  const t = readTrace(sched(), 'sched.trace');
  const prepared = buildTimeline(t, { deferGoroutineLanes: true });
  prepareFirstView(prepared);
  const lazy = buildTimeline(t, { deferGoroutineLanes: true });
  const p0 = lazy.lanes.findIndex((l) => l.kind === 'proc' && l.id === 0);
  assert.equal(lazy.laneStart[p0 + 1]! - lazy.laneStart[p0]!, 6000);
  for (const [t0, t1, width] of [
    [0, lazy.end, 1500],
    [0, lazy.end, 40],
    [lazy.end / 3, lazy.end / 2, 700],
  ] as const) {
    for (let l = 0; l < lazy.lanes.length; l++) assert.deepEqual(laneBlocks(prepared, l, t0, t1, width), laneBlocks(lazy, l, t0, t1, width), `lane ${l}`);
    assert.deepEqual(counterPoints(prepared, t0, t1, width), counterPoints(lazy, t0, t1, width));
  }
  // At 40 px the 6,000 runs (each 100 of 900,000 ns, 150 ns apart) merge into one block.
  const whole = laneBlocks(prepared, p0, 0, prepared.end, 40);
  assert.deepEqual([whole.s.length, whole.n[0]], [1, 6000]);
});
