// The timeline's goroutine lanes filled after the first view (issue 18, speed): a timeline built
// with deferGoroutineLanes answers the P lanes at once, fills its goroutine lanes step by step or
// when a query reads them, and ends up equal to one built at once. Goroutines with no state of any
// length get no lane.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Trace } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { SliceKind, buildTimeline, completeTimeline, completeTimelineStep, sliceKind, sliceStart, sliceStop, type Timeline } from '../src/trace/timeline.js';
import { laneBlocks, selectionStats } from '../src/trace/timeline-query.js';
import { sharedDir } from './helpers.js';
import { NoThread, textToWire } from './trace-gen-text.js';
import { hostileTrace } from './trace-web-helpers.js';


const columns = (tl: Timeline) => ({
  laneStart: [...tl.laneStart],
  threads: Object.fromEntries(Object.entries(tl.threads).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)])),
  goroutineEnd: [...tl.goroutineEnd],
  ev: [...tl.ev],
});

function sameWhenDeferred(t: Trace): void {
  const now = buildTimeline(t);
  const later = buildTimeline(t, { deferGoroutineLanes: true });
  assert.deepEqual(later.lanes, now.lanes);
  // The P lanes are there before any goroutine lane is filled.
  const p = now.lanes.findIndex((l) => l.kind === 'proc');
  assert.deepEqual(laneBlocks(later, p, 0, now.end, 500), laneBlocks(now, p, 0, now.end, 500));
  assert.equal(completeTimelineStep(later), true, 'nothing was left to fill');
  // A query of a goroutine lane fills the rest first.
  const g = now.lanes.findIndex((l) => l.kind === 'goroutine');
  assert.deepEqual(laneBlocks(later, g, 0, now.end, 500), laneBlocks(now, g, 0, now.end, 500));
  assert.equal(completeTimelineStep(later), false);
  assert.deepEqual(columns(later), columns(now));
  assert.deepEqual(selectionStats(later, 0, now.end), selectionStats(now, 0, now.end));
}

test('deferred goroutine lanes: P lanes at once, the rest filled on demand, equal to a timeline built at once', () => {
  sameWhenDeferred(readTrace(hostileTrace(), 'hostile.trace'));
});

test('completeTimeline on a timeline with nothing deferred does nothing', () => {
  const tl = buildTimeline(readTrace(hostileTrace(), 'hostile.trace'));
  const before = columns(tl);
  completeTimeline(tl);
  assert.deepEqual(columns(tl), before);
});

/** G1 runs from its status (t=1) to the end (t=10), where it creates G9: G9 is runnable for no time at all. */
const emptyGoroutine = `Trace Go1.22
EventBatch gen=1 m=${NoThread} time=100 size=*
Frequency freq=1000000000
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=1 gstatus=2
GoCreate dt=9 new_g=9 new_stack=0 stack=0
`;

test('a goroutine with no state of any length gets no lane', () => {
  const tl = buildTimeline(readTrace(textToWire(emptyGoroutine), 'empty.trace'));
  assert.equal(tl.end, 10);
  assert.deepEqual(
    tl.lanes.filter((l) => l.kind === 'goroutine').map((l) => l.id),
    [1],
  );
  const g1 = tl.lanes.findIndex((l) => l.kind === 'goroutine' && l.id === 1);
  const j = tl.laneStart[g1]!;
  assert.deepEqual([sliceStart(tl, j), sliceStop(tl, j), sliceKind(tl, j)], [1, 10, SliceKind.Running]);
});

const json125 = join(sharedDir, 'peer-trace/traces/go1.25/test-encoding-json.trace');

test('deferred goroutine lanes on the real Go 1.25 trace equal a timeline built at once', { skip: !existsSync(json125) && 'needs ../shared/peer-trace' }, () => {
  sameWhenDeferred(readTrace(readFileSync(json125), 'json.trace'));
});
