// `proflens trend FOLDER` on what `fetch --every` saves from a ?debug=1|2 URL (issue 19.5): the
// folder's .txt dumps are a series like its profiles, ordered by their files' times (a dump has
// none of its own), so a leak shows as the function that grows at every step, with its growth
// per hour. The series is fixtures/dumps/goroutine-debug2.txt with 3, 5 and 7 of its 7 leaked
// workers, taken an hour apart.

import assert from 'node:assert/strict';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const debug2 = readFileSync(join(repoRoot, 'fixtures', 'dumps', 'goroutine-debug2.txt'), 'utf8');

/** The dump with only `keep` of its leaked workers (main.leakWorker goroutines). */
function withLeaked(keep: number): string {
  let seen = 0;
  return debug2
    .trimEnd()
    .split('\n\n')
    .filter((g) => !g.includes('\nmain.leakWorker(') || ++seen <= keep)
    .join('\n\n');
}

test('trend on a folder of goroutine dumps: the leak grows at every step, per hour by the files’ times', async () => {
  const dir = scratchDir('trend-dumps');
  const t0 = Date.parse('2026-12-01T09:00:00Z') / 1000;
  // Named against their time order: the files' times order the series, not their names.
  for (const [name, leaked, hour] of [['goroutine.001.txt', 7, 2], ['goroutine.002.txt', 3, 0], ['goroutine.003.txt', 5, 1]] as const) {
    writeFileSync(join(dir, name), `${withLeaked(leaked)}\n`);
    utimesSync(join(dir, name), t0 + hour * 3600, t0 + hour * 3600);
  }
  writeFileSync(join(dir, '.hidden.txt'), 'not read');
  const r = await runCli(['trend', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^Snapshots: 3, 2026-12-01 09:00:00 UTC to 2026-12-01 11:00:00 UTC \(2hrs\)$/m);
  // 3, 5, 7 leaked workers at 9:00, 10:00, 11:00: +4 in all, +2 an hour.
  assert.match(r.stdout, /^ +3 +7 +\+4 +\+2 {2}main\.leakWorker$/m);
  assert.match(r.stdout, /^ +\+4 \| 3 → 5 → 7 \(\+2\/h\)\n +\| main\.leakWorker$/m);
});
