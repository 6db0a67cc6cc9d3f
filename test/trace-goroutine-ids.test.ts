// Goroutine ids of any size: the reader keeps the goroutine column in 4 bytes an event (a 100 MB
// trace has some 20 million events, and every byte an event is 20 MB of memory first touched) and
// widens it to 8 only for a trace with an id above 2^32−1 (issue 16, speed). Either way every
// event must carry its goroutine exactly. The ids sit around the 4-byte limit; the goroutine of
// each event follows from the bytes by Go's rules (GoStartLocal names it, it runs until GoEnd),
// checked by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { goroutinePerIdTrace } from './trace-writer.js';

/** The goroutine column of the GoStart and GoEnd events, in order. */
function runningGs(bytes: Uint8Array): { kind: string; gs: number[] } {
  const t = readTrace(bytes, 'ids.trace');
  const gs: number[] = [];
  for (let i = 0; i < t.events.length; i++) {
    const type = t.events.type[i];
    if (type === EventType.GoStart || type === EventType.GoEnd) gs.push(t.events.g[i]!);
  }
  return { kind: t.events.g.constructor.name, gs };
}

test("Go's goroutine ids (all below 2^32) take 4 bytes an event, exactly", () => {
  const ids = [1, 7, 2 ** 31, 2 ** 32 - 1];
  assert.deepEqual(runningGs(goroutinePerIdTrace(ids)), { kind: 'Uint32Array', gs: ids.flatMap((id) => [id, id]) });
});

test('a goroutine id above 2^32−1 widens the column, and every id stays exact', () => {
  const ids = [5, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3, 9];
  assert.deepEqual(runningGs(goroutinePerIdTrace(ids)), { kind: 'Float64Array', gs: ids.flatMap((id) => [id, id]) });
});
