// The trace server's work after it listens (issue 18, speed): the timeline is computed at its first
// use, not when the session is made (so `proflens trace` prints its address and starts the browser
// before those seconds, not after), and the first view is prepared a step per turn of the event
// loop, so that the page's files and meta are answered between steps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTrace } from '../src/trace/read.js';
import { buildTimeline } from '../src/trace/timeline.js';
import { firstViewSteps } from '../src/trace/timeline-query.js';
import { goroutineAnalysis } from '../src/trace/goroutine-analysis.js';
import { TraceSession } from '../src/web/trace-session.js';
import { repoRoot } from './helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const trace = readTrace(readFileSync(fixture), fixture);

test('a trace session computes its timeline at first use, once', () => {
  let builds = 0;
  const counted: typeof buildTimeline = (t, o) => (builds++, buildTimeline(t, o));
  const s = new TraceSession(trace, 'tracesvc.trace', goroutineAnalysis, counted);
  assert.equal(builds, 0);
  const meta = s.meta();
  assert.equal(builds, 1);
  assert.equal(s.timeline.end, meta.end);
  s.counters(new URLSearchParams({ width: '100' }));
  assert.equal(builds, 1);
});

test('prepare computes the timeline and the first view a step per turn of the event loop', async () => {
  let builds = 0;
  const counted: typeof buildTimeline = (t, o) => (builds++, buildTimeline(t, o));
  const s = new TraceSession(trace, 'tracesvc.trace', goroutineAnalysis, counted);
  // The turns another task (a request) gets while prepare runs.
  let turns = 0;
  let done = false;
  const other = (): void => {
    turns++;
    if (!done) setImmediate(other);
  };
  setImmediate(other);
  await s.prepare();
  done = true;
  assert.equal(builds, 1);
  const steps = firstViewSteps(s.timeline).length;
  // The three counters at least (this trace has no lane long enough for levels of detail).
  assert.ok(steps >= 3, `${steps} steps`);
  assert.ok(turns >= steps, `${turns} turns for ${steps} steps`);
  // What was prepared answers as before: the same meta, once made.
  assert.equal(s.meta(), s.meta());
});

test('prepare runs no step of the first view while requests keep coming', async () => {
  const s = new TraceSession(trace, 'tracesvc.trace');
  // Requests every 10 ms for 300 ms: the steps wait for a quiet moment after them.
  const from = performance.now();
  const busy = setInterval(() => s.noteRequest(), 10);
  setTimeout(() => clearInterval(busy), 300);
  s.noteRequest();
  await s.prepare();
  assert.ok(performance.now() - from >= 300, `prepared after ${(performance.now() - from).toFixed(0)} ms`);
});
