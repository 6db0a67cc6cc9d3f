// Task ids in the link pass (link.ts TaskStarts, issue 16 speed): Go numbers tasks from 1 in each
// process, so ids index an array from the first one seen and ids far from it go to a Map. Either
// way a UserTaskCreate links to its task's UserTaskEnd, an ended id may be created again, and an
// open one may not. Expected links follow from the event order by hand (one P, in time order).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { writeTrace } from './trace-writer.js';

const create = (id: number): number[] => [EventType.UserTaskCreate, 1, id, 0, 1, 0];
const end = (id: number): number[] => [EventType.UserTaskEnd, 1, id, 0];

function traceOf(tasks: number[][]): Uint8Array {
  return writeTrace([[EventType.Frequency, 1e9], { string: 1, text: 'work' }, [EventType.Batch, 0, 1000], [EventType.ProcStart, 0, 3], ...tasks, [EventType.ProcStop, 1]]);
}

test('task creates link to their ends, ids near the first, below it and far past it', () => {
  const t = readTrace(
    // 1000 first; 5 below it and 71000 past the array's reach (both in the Map); the array then
    // grows over 71000, which must still be found, ended, and be free to be created again.
    traceOf([create(1000), create(5), create(71000), create(66000), create(70999), end(71000), create(71000), end(5), end(1000), create(5), end(71000), end(66000)]),
    'tasks.trace',
  );
  const links: [number, number][] = [];
  for (let i = 0; i < t.events.length; i++) if (t.events.type[i] === EventType.UserTaskCreate) links.push([i, t.events.link[i]!]);
  // Events: 0 ProcStart, 1 c1000, 2 c5, 3 c71000, 4 c66000, 5 c70999, 6 e71000, 7 c71000, 8 e5,
  // 9 e1000, 10 c5, 11 e71000, 12 e66000, 13 ProcStop.
  assert.deepEqual(links, [[1, 9], [2, 8], [3, 6], [4, 12], [5, -1], [7, 11], [10, -1]]);
});

test('a task created again while open is refused, in the array or in the Map', () => {
  assert.throws(() => readTrace(traceOf([create(7), create(8), create(7)]), 'a.trace'), /task id conflicts \(id:7\)/);
  assert.throws(() => readTrace(traceOf([create(7), create(3), end(7), create(3)]), 'b.trace'), /task id conflicts \(id:3\)/);
});
