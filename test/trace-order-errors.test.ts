// Which error an old-format trace whose order is broken gets (issue 16): the ordering checks the
// times as it merges the Ps' events (faster than a pass after it), but Go checks them only after
// the whole merge, so a merge that fails later must still say so. The messages are those Go
// 1.19's `go tool trace -d` printed for these very bytes ("failed to parse trace: …").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType as E } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { type TraceRecord, onePStart, writeTrace } from './trace-writer.js';

// G7 is created on P0 at tick 1100 and started on P1 at tick 1050: it can only start after its
// creation, so the merged order goes back in time.
const startsBeforeCreated: readonly TraceRecord[] = [
  ...onePStart,
  [E.GoCreate, 100, 7, 1, 1],
  [E.Batch, 1, 1000],
  [E.ProcStart, 0, 4],
  [E.GoStartLocal, 50, 7],
  [E.GoEnd, 10],
];

test('a merge that goes back in time: time stamps out of order', () => {
  assert.throws(() => readTrace(writeTrace(startsBeforeCreated), 'a.trace'), {
    message: 'a.trace: malformed Go 1.19 trace: time stamps out of order',
  });
});

test('a merge that goes back in time and later cannot go on: the merge error, as Go reports it', () => {
  // Then P1 starts G99, which nothing created.
  const bytes = writeTrace([...startsBeforeCreated, [E.GoStartLocal, 500, 99]]);
  assert.throws(() => readTrace(bytes, 'b.trace'), {
    message: 'b.trace: malformed Go 1.19 trace: no consistent ordering of events possible',
  });
});
