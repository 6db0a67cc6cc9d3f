// The goroutine analysis answers with a table read as a map (goroutine-stat-table.ts: its objects
// are made when asked for, issue 16 speed). It must behave as the Map it replaced: ids in creation
// order, any id (small ones index an array, large ones a Map), a fresh object per read. The
// numbers follow from the bytes by hand: one P, 1 tick = 1 ns, times from the ProcStart; goroutine
// j is created at 5j+1, starts at 5j+2, yields (GoSched) at 5j+3, runs again at 5j+4 and ends at
// 5j+5: 2 ns running, 2 ns waiting for the scheduler, 4 ns of life.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goroutineStats } from '../src/trace/goroutine-stats.js';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { writeTrace } from './trace-writer.js';

const ids = [5, 2 ** 24, 2 ** 32 - 1, 2 ** 40 + 3, 9];

const lives = ids.flatMap((id): number[][] => [
  [EventType.GoCreate, 1, id, 1, 1],
  [EventType.GoStartLocal, 1, id],
  [EventType.GoSched, 1, 1],
  [EventType.GoStartLocal, 1, id],
  [EventType.GoEnd, 1],
]);
const header = [{ string: 1, text: 'main.f' }, { string: 2, text: '/src/main.go' }, [EventType.Stack, 1, 1, 0x401000, 1, 2, 10]];
const bytes = writeTrace([[EventType.Frequency, 1e9], ...header, [EventType.Batch, 0, 1000], [EventType.ProcStart, 0, 3], ...lives, [EventType.ProcStop, 1]]);

test('the goroutine statistics read as a map: creation order, any id, numbers by hand', () => {
  const stats = goroutineStats(readTrace(bytes, 'ids.trace'));
  assert.equal(stats.size, ids.length);
  assert.deepEqual([...stats.keys()], ids);
  assert.deepEqual(
    [...stats.values()].map((g) => [g.id, g.name, g.pc, g.creationTime, g.startTime, g.endTime, g.execTime, g.schedWaitTime, g.totalTime]),
    ids.map((id, j) => [id, 'main.f', 0x401000, 5 * j + 1, 5 * j + 2, 5 * j + 5, 2, 2, 4]),
  );
  assert.deepEqual([...stats].map(([id, g]) => [id, g.id]), ids.map((id) => [id, id]));
  assert.equal(stats.get(2 ** 40 + 3)?.creationTime, 16);
  assert.equal(stats.has(9), true);
  assert.equal(stats.has(6), false);
  assert.equal(stats.get(2 ** 40), undefined);
  const seen: number[] = [];
  stats.forEach((g, id) => seen.push(id - g.id));
  assert.deepEqual(seen, [0, 0, 0, 0, 0]);
});

test('each read is a fresh object: changing one changes no later answer', () => {
  const stats = goroutineStats(readTrace(bytes, 'ids.trace'));
  const g = stats.get(5)!;
  g.execTime = 99;
  g.regions.push(g.regions[0]!);
  assert.equal(stats.get(5)!.execTime, 2);
  assert.deepEqual(stats.get(5)!.regions, []);
});
