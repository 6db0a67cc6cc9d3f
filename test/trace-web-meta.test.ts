// The trace page's meta (issue 18, speed): goroutine lanes are sent as ids and groups, not as
// objects with spelled-out names (24 MB of JSON for 280 k goroutines), and the page's
// withGoroutineLanes turns them back into exactly the timeline's lanes, names included.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { readTrace } from '../src/trace/read.js';
import { TraceSession } from '../src/web/trace-session.js';
import { repoRoot } from './helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');

test('meta sends goroutine lanes as id steps and groups; the page rebuilds the lanes as the timeline has them', async () => {
  const session = new TraceSession(readTrace(readFileSync(fixture), fixture), 'tracesvc.trace');
  const json = JSON.stringify(session.meta());
  assert.doesNotMatch(json, /"kind":"goroutine"/);
  const page = (await import(pathToFileURL(join(repoRoot, 'src', 'web', 'assets', 'trace-timeline.js')).href)) as {
    withGoroutineLanes: (m: unknown) => { lanes: { kind: string; name: string; id: number }[] };
  };
  const lanes = page.withGoroutineLanes(JSON.parse(json)).lanes;
  const expected = session.timeline.lanes;
  assert.ok(expected.filter((l) => l.kind === 'goroutine').length > 100);
  assert.deepEqual(lanes, expected.map((l) => ({ kind: l.kind, name: l.name, id: l.id })));
});
