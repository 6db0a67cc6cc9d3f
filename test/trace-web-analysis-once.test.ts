// The trace web session's goroutine analysis (issue 18, speed): one analysis serves the groups and
// Regions pages whichever opens first, keeping the user regions only when the trace has some.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { goroutineAnalysis } from '../src/trace/goroutine-analysis.js';
import { readTrace } from '../src/trace/read.js';
import { TraceSession } from '../src/web/trace-session.js';
import { repoRoot } from './helpers.js';
import { hostileTrace } from './trace-web-helpers.js';

const traceFile = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');

test('the web session runs the goroutine analysis once when the groups open before Regions (issue 18)', () => {
  const t = readTrace(readFileSync(traceFile), traceFile);
  const runs: boolean[] = [];
  const counted: typeof goroutineAnalysis = (tr, o) => (runs.push(!!o?.regions), goroutineAnalysis(tr, o));
  const groupsFirst = new TraceSession(t, 'z', counted);
  const groups = groupsFirst.groups();
  groupsFirst.goroutines(new URLSearchParams({ pc: String(groups[0]!.pc) }));
  const regions = groupsFirst.regions();
  groupsFirst.scopedProfile('pprof-sync-t0');
  assert.deepEqual(runs, [true], 'one analysis, keeping the regions the trace has, serves both pages');
  // The same regions as a session that opened Regions first.
  assert.deepEqual(regions, new TraceSession(t, 'y').regions());
  assert.deepEqual(
    regions.map((r) => r.type),
    ['allocate', 'compute', 'count'],
  );
});

test('the web session keeps no regions for a trace that has none', () => {
  const t = readTrace(hostileTrace(), 'hostile.trace');
  const runs: boolean[] = [];
  const counted: typeof goroutineAnalysis = (tr, o) => (runs.push(!!o?.regions), goroutineAnalysis(tr, o));
  const s = new TraceSession(t, 'h', counted);
  s.groups();
  assert.deepEqual(s.regions(), []);
  assert.deepEqual(runs, [false]);
});
