// The timeline's data (src/trace/timeline.ts, timeline-query.ts) on a trace written here, every
// number worked out by hand from the events: lanes, slices, merging at low zoom, counters, range
// statistics and a slice's waker.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { SliceKind, buildTimeline, sliceGoroutine, sliceKind, sliceStart, sliceStop } from '../src/trace/timeline.js';
import { counterPoints, laneBlocks, selectionStats, sliceDetail } from '../src/trace/timeline-query.js';
import { hostileFn, hostileTrace } from './trace-web-helpers.js';
import { onePStart, writeTrace } from './trace-writer.js';

// hostileTrace, in ns from its first event (1 tick = 1 ns): G5 created on P2 and started on P1 at
// 10, blocks on a channel at 5010 (P1 stops at 5015), is unblocked on P2 at 11010, runs there from
// 11020 and ends at 15020; P2 stops at 15025, the trace's end.
const trace = readTrace(hostileTrace(), 'hostile.trace');
const tl = buildTimeline(trace);
const laneOf = (kind: string, id: number): number => tl.lanes.findIndex((l) => l.kind === kind && l.id === id);
const slices = (lane: number): [number, number, number, number][] => {
  const out: [number, number, number, number][] = [];
  for (let j = tl.laneStart[lane]!; j < tl.laneStart[lane + 1]!; j++) out.push([sliceStart(tl, j), sliceStop(tl, j), sliceKind(tl, j), sliceGoroutine(tl, j, lane)]);
  return out;
};

test('lanes: fixed ones, then Ps, then goroutines; no thread lanes before Go 1.22', () => {
  assert.equal(tl.end, 15025);
  assert.deepEqual(
    tl.lanes.map((l) => `${l.kind} ${l.name}`),
    ['gc GC', 'stw STW', 'net Network wake-ups', 'timer Timer wake-ups', 'syscall Syscalls', 'proc Proc 1', 'proc Proc 2', `goroutine G5 ${hostileFn}`],
  );
});

test('a P lane holds the runs of goroutines on it; a goroutine lane its states', () => {
  assert.deepEqual(slices(laneOf('proc', 1)), [[10, 5010, SliceKind.Running, 5]]);
  assert.deepEqual(slices(laneOf('proc', 2)), [[11020, 15020, SliceKind.Running, 5]]);
  assert.deepEqual(slices(laneOf('goroutine', 5)), [
    [10, 5010, SliceKind.Running, 5],
    [5010, 11010, SliceKind.WaitSync, 5],
    [11010, 11020, SliceKind.Runnable, 5],
    [11020, 15020, SliceKind.Running, 5],
  ]);
  assert.deepEqual(tl.groups[tl.groupOf.get(5)!], hostileFn);
});

test('at low zoom neighbouring slices narrower than a pixel merge into one block, counted, with the longest one kept', () => {
  const g5 = laneOf('goroutine', 5);
  // 2 px for 15,025 ns: 7,512 ns a pixel, every slice narrower; the wait (6,000 ns) is the longest.
  const low = laneBlocks(tl, g5, 0, tl.end, 2);
  assert.deepEqual({ s: low.s, e: low.e, n: low.n, k: low.k, g: low.g }, { s: [10], e: [15020], n: [4], k: [SliceKind.WaitSync], g: [5] });
  // 10,000 px: 1.5 ns a pixel, nothing merges.
  const high = laneBlocks(tl, g5, 0, tl.end, 10_000);
  assert.deepEqual(high.n, [1, 1, 1, 1]);
  // A range query returns only what overlaps it: 6,000–11,015 holds the wait and the runnable slice.
  const mid = laneBlocks(tl, g5, 6000, 11015, 10_000);
  assert.deepEqual(mid.k, [SliceKind.WaitSync, SliceKind.Runnable]);
});

test('counters: goroutines running, runnable, waiting as they change', () => {
  const g = counterPoints(tl, 0, tl.end, 100_000).find((c) => c.name === 'Goroutines')!;
  assert.deepEqual(g.t, [10, 5010, 11010, 11020, 15020]);
  assert.deepEqual(g.v, [1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
  // At one pixel per 5,000 ns, each pixel keeps its largest values.
  const coarse = counterPoints(tl, 0, 15000, 3).find((c) => c.name === 'Goroutines')!;
  assert.deepEqual(coarse.t, [10, 5010, 11010]);
  assert.deepEqual(coarse.v, [1, 0, 0, 0, 0, 1, 1, 1, 0]);
});

test('range statistics: time per state and per group, clipped to the range', () => {
  const all = selectionStats(tl, 0, tl.end);
  assert.deepEqual(all.states, [
    { state: 'running', ns: 9000 },
    { state: 'runnable', ns: 10 },
    { state: 'waiting (sync)', ns: 6000 },
  ]);
  assert.deepEqual(all.groups, [{ name: hostileFn, running: 9000, goroutines: 1 }]);
  const part = selectionStats(tl, 4010, 12020);
  assert.deepEqual(part.states, [
    { state: 'running', ns: 2000 },
    { state: 'runnable', ns: 10 },
    { state: 'waiting (sync)', ns: 6000 },
  ]);
});

test('a run names the event that made its goroutine runnable, and where it ended', () => {
  const p2 = laneOf('proc', 2);
  const d = sliceDetail(trace, tl, tl.laneStart[p2]!, (g) => (g === 5 ? laneOf('goroutine', 5) : undefined))!;
  assert.equal(d.g, 5);
  assert.equal(d.group, hostileFn);
  assert.equal(d.began?.type, 'GoStart');
  assert.deepEqual([d.wokenBy?.type, d.wokenBy?.ts, d.wokenBy?.p], ['GoUnblock', 11010, 2]);
  assert.deepEqual([d.ended?.type, d.ended?.ts], ['GoEnd', 15020]);
  assert.deepEqual(d.startStack.map((f) => f.fn), [hostileFn]);
  assert.equal(sliceDetail(trace, tl, 99, () => undefined), undefined);
});

test('a lane of thousands of slices answers from its levels of detail what merging its slices gives', () => {
  // One goroutine on P0 waits 50 ns (runnable), runs 100 ns and yields (GoSched), 6,000 times: 12,000
  // slices in its lane (the last yield is the end of the trace).
  const records: number[][] = [[EventType.Frequency, 1e9], [EventType.Batch, 0, 1000], [EventType.ProcStart, 0, 3], [EventType.GoCreate, 0, 7, 0, 0]];
  for (let k = 0; k < 6000; k++) records.push([EventType.GoStart, 50, 7, k + 1], [EventType.GoSched, 100, 0]);
  const big = readTrace(writeTrace(records), 'sched.trace');
  const t = buildTimeline(big);
  const lane = t.lanes.findIndex((l) => l.kind === 'goroutine' && l.id === 7);
  const count = t.laneStart[lane + 1]! - t.laneStart[lane]!;
  assert.equal(count, 12_000);
  for (const [t0, t1, width] of [
    [0, t.end, 1500],
    [0, t.end, 37],
    [t.end / 3, t.end / 2, 800],
  ] as const) {
    const b = laneBlocks(t, lane, t0, t1, width);
    // Every slice that overlaps the range is in one block; a block of a level of detail spans at
    // most 4 of its pixels (finer than the query's), so at the range's edges it may bring up to
    // that much more: 4 × 8192 px for the whole trace, 110 ns here, a slice or two.
    let overlapping = 0;
    for (let j = t.laneStart[lane]!; j < t.laneStart[lane + 1]!; j++) if (sliceStop(t, j) >= t0 && sliceStart(t, j) <= t1) overlapping++;
    const merged = b.n.reduce((x, y) => x + y, 0);
    assert.ok(merged >= overlapping && merged <= overlapping + 2 * 8, `${t0}–${t1} at ${width} px: ${merged} for ${overlapping}`);
    if (t0 === 0 && t1 === t.end) assert.equal(merged, count);
    // At most about a block a pixel; here every slice is narrower than a pixel and they touch: one block.
    assert.ok(b.s.length <= 2 * width);
    assert.equal(b.s.length, 1);
    assert.deepEqual([b.k[0], b.g[0]], [SliceKind.Running, 7]);
  }
});

test("the heap counter draws no goal (0) for a goal past 1 PiB, golang/go#63864, as Go 1.22+'s viewer does", () => {
  const noLimitGoal = 8_946_696_872_218_148_864; // ~97% of 2^63, as a Go 1.21 test trace had (a Go 1.19 one had 2^63)
  const t = readTrace(
    writeTrace([
      ...onePStart,
      [EventType.HeapAlloc, 10, 4 << 20],
      [EventType.HeapGoal, 10, 8 << 20],
      [EventType.HeapGoal, 10, noLimitGoal],
      [EventType.HeapAlloc, 10, 5 << 20],
      [EventType.HeapGoal, 10, 2 ** 50],
      [EventType.ProcStop, 10],
    ]),
    'goal.trace',
  );
  const goalTl = buildTimeline(t);
  const heap = counterPoints(goalTl, 0, goalTl.end, 100_000).find((c) => c.name === 'Heap')!;
  // allocated, goal at each change: the goal past 1 PiB is 0; 1 PiB itself is a goal.
  assert.deepEqual(heap.v, [4 << 20, 0, 4 << 20, 8 << 20, 4 << 20, 0, 5 << 20, 0, 5 << 20, 2 ** 50]);
});
