// How the merge of an old-format trace's P streams orders events of equal time (issue 16). The
// merge takes a stream's next event straight after its last when it is earlier than every other
// stream's (runOn in order.ts); at an equal time the other stream's event, there first, goes
// first, and the frontier's ties move as Go's sort and swap move them. HeapAlloc events need no
// goroutine, so only their times and streams decide; their values say which came first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType as E } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { type TraceRecord, writeTrace } from './trace-writer.js';

/** heapValues reads a trace and lists its HeapAlloc values in the merged order. */
function heapValues(records: readonly TraceRecord[]): number[] {
  const t = readTrace(writeTrace([[E.Frequency, 1e9], ...records]), 'ties.trace');
  const out: number[] = [];
  for (let i = 0; i < t.events.length; i++) if (t.events.type[i] === E.HeapAlloc) out.push(t.events.args[i * 3]!);
  return out;
}

test('an event at the time of another P’s, already waiting, goes after it (go tool trace -d: 1, 11, 2)', () => {
  // P0 at ticks 1100 and 1500, P1 at 1500.
  const records: TraceRecord[] = [[E.Batch, 0, 1000], [E.HeapAlloc, 100, 1], [E.HeapAlloc, 400, 2], [E.Batch, 1, 1000], [E.HeapAlloc, 500, 11]];
  assert.deepEqual(heapValues(records), [1, 11, 2]);
});

test('two tied Ps waiting while a third runs on: their order turns at every event taken, as in Go', () => {
  // P1 and P2 both at tick 1500 while P0 runs n events before it. Go moves its frontier's last
  // entry to the front at every take and sorts stably, so the tied pair swaps each time.
  const run = (n: number): number[] =>
    heapValues([
      [E.Batch, 0, 1000],
      ...Array.from({ length: n }, (_, k): number[] => [E.HeapAlloc, 100, k + 1]),
      [E.Batch, 1, 1000],
      [E.HeapAlloc, 500, 11],
      [E.Batch, 2, 1000],
      [E.HeapAlloc, 500, 12],
    ]);
  // Go 1.19's go tool trace -d printed 12 before 11 for three (in most runs: it takes the
  // streams from a map; we take them in P order).
  assert.deepEqual(run(3), [1, 2, 3, 12, 11]);
  assert.deepEqual(run(4), [1, 2, 3, 4, 11, 12]);
});
