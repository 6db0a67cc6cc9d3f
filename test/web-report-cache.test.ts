// The web session caches each filtered report under a key made of the query's report parameters:
// two queries that differ only in where an '&' or '=' sits inside a value must not share a report.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';
import { serve } from './web-helpers.js';

const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
const server = await serve([heap], { title: 'go-heap.pb.gz' });
after(() => server.close());

/** frameNames are the names in the speedscope file the flame graph is drawn from. */
async function frameNames(query: string): Promise<string[]> {
  const r = await fetch(`${server.url}api/flame?${query}`);
  assert.equal(r.status, 200);
  const file = (await r.json()) as { shared: { frames: { name: string }[] } };
  return file.shared.frames.map((f) => f.name);
}

test("a value holding '&' and '=' is one parameter's, not two", async () => {
  // focus "main&ignore=zzz" matches no function: nothing is left.
  const none = await frameNames(`focus=${encodeURIComponent('main&ignore=zzz')}`);
  assert.ok(!none.includes('main.fillCache'), none.join(' '));
  // focus "main" with ignore "zzz&ignore" keeps main's functions; the old key read both as
  // "focus=main&ignore=zzz&ignore" and served the first report.
  const kept = await frameNames(`focus=main&ignore=${encodeURIComponent('zzz&ignore')}`);
  assert.ok(kept.includes('main.fillCache'), kept.join(' '));
});
