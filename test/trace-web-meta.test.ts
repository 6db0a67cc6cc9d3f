// The trace page's meta (issue 18, speed): goroutine lanes are sent as ids and groups, not as
// objects with spelled-out names (24 MB of JSON for 280 k goroutines), and the page's
// TraceLanes reads them back as exactly the timeline's lanes, names included, making each only
// when read.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { readTrace } from '../src/trace/read.js';
import { TraceSession } from '../src/web/trace-session.js';
import { repoRoot } from './helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');

test('meta sends goroutine lanes as id steps and groups; the page reads the lanes as the timeline has them', async () => {
  const session = new TraceSession(readTrace(readFileSync(fixture), fixture), 'tracesvc.trace');
  const json = JSON.stringify(session.meta());
  assert.doesNotMatch(json, /"kind":"goroutine"/);
  const page = (await import(pathToFileURL(join(repoRoot, 'src', 'web', 'assets', 'trace-timeline.js')).href)) as {
    TraceLanes: new (m: unknown) => { length: number; at(i: number): { kind: string; name: string; id: number } | undefined; laneOfGoroutine(g: number): number };
  };
  const read = new page.TraceLanes(JSON.parse(json));
  const lanes = Array.from({ length: read.length }, (_, i) => read.at(i));
  const expected = session.timeline.lanes;
  assert.ok(expected.filter((l) => l.kind === 'goroutine').length > 100);
  assert.deepEqual(lanes, expected.map((l) => ({ kind: l.kind, name: l.name, id: l.id })));
  assert.equal(read.at(read.length), undefined);
  // Each goroutine's lane found by its id, as the page's links find it; -1 for one with none.
  expected.forEach((l, k) => l.kind === 'goroutine' && assert.equal(read.laneOfGoroutine(l.id), k));
  assert.equal(read.laneOfGoroutine(Number.MAX_SAFE_INTEGER), -1);
  assert.equal(read.laneOfGoroutine(0), -1);
});
