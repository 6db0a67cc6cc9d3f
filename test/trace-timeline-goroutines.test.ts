// The timeline pass's per-goroutine state (src/trace/timeline-goroutines.ts): small ids are their
// own slots, any other id (huge, negative, fractional: hostile) gets a slot of its own above them,
// and a timeline of goroutines with such ids has the same lanes and slices as one with small ids.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { GoroutineStates } from '../src/trace/timeline-goroutines.js';
import { buildTimeline, sliceKind, sliceStart, sliceStop } from '../src/trace/timeline.js';
import { writeTrace } from './trace-writer.js';

test('slots: small ids are their own, others get distinct slots, and id() gives the id back', () => {
  const s = new GoroutineStates();
  const ids = [1, 7, 5000, 2 ** 40, -3, 2 ** 40, 1.5, 7];
  const slots = ids.map((g) => s.slot(g));
  assert.deepEqual(slots.slice(0, 3), [1, 7, 5000]);
  assert.equal(slots[3], slots[5]);
  assert.equal(slots[1], slots[7]);
  assert.equal(new Set(slots).size, 6);
  for (const [k, g] of ids.entries()) assert.equal(s.id(slots[k]!), g);
  // Memory follows the ids seen: a huge id does not size the arrays by its value.
  assert.ok(s.kind.length < 2 ** 23);
});

/** One goroutine, id g: created at 0 on P0, runs 50–150, yields, runs again 200–300, then the trace ends at 350. */
const oneGoroutine = (g: number): Uint8Array =>
  writeTrace([
    [EventType.Frequency, 1e9],
    [EventType.Batch, 0, 0],
    [EventType.ProcStart, 0, 3],
    [EventType.GoCreate, 0, g, 0, 0],
    [EventType.GoStart, 50, g, 1],
    [EventType.GoSched, 100, 0],
    [EventType.GoStart, 50, g, 2],
    [EventType.GoSched, 100, 0],
    [EventType.ProcStop, 50],
  ]);

test('a goroutine with a huge id gets the lane and slices one with a small id gets', () => {
  const slices = (g: number): unknown => {
    const tl = buildTimeline(readTrace(oneGoroutine(g), `g${g}.trace`));
    const l = tl.lanes.findIndex((x) => x.kind === 'goroutine');
    assert.equal(tl.lanes[l]!.id, g);
    const out: number[][] = [];
    for (let j = tl.laneStart[l]!; j < tl.laneStart[l + 1]!; j++) out.push([sliceStart(tl, j), sliceStop(tl, j), sliceKind(tl, j)]);
    return out;
  };
  const small = slices(7);
  // Runnable 0–50, running 50–150, runnable 150–200, running 200–300, runnable to the end (350).
  assert.deepEqual(small, [
    [0, 50, 1],
    [50, 150, 0],
    [150, 200, 1],
    [200, 300, 0],
    [300, 350, 1],
  ]);
  assert.deepEqual(slices(2 ** 40), small);
});
