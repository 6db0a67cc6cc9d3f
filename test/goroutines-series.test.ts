// `proflens goroutines` on a series of three or more dumps (issue 19.3): the buckets that grow at
// every step, with growth per hour from the files' times. The series is made from
// fixtures/dumps/goroutine-debug2.txt (7 leaked workers, 3 in select, 2 sleeping) by dropping
// goroutines, so each count below is known by construction.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const text = readFileSync(join(repoRoot, 'fixtures', 'dumps', 'goroutine-debug2.txt'), 'utf8');

/** without drops, per function, that many goroutines whose first frame is in it. */
function without(drop: Record<string, number>): string {
  const left = { ...drop };
  return text
    .split('\n\n')
    .filter((g) => {
      const func = g.split('\n')[1]?.split('(', 1)[0] ?? '';
      return !((left[func] ?? 0) > 0 && left[func]!-- > 0);
    })
    .join('\n\n');
}

/**
 * writeSeries writes three dumps an hour apart (by mtime): leaked workers 3 → 5 → 7 (grows at
 * every step), select 3 → 3 → 3 (flat), sleeping 2 → 1 → 2 (not monotonic), into `dir`.
 */
function writeSeries(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const t0 = Date.UTC(2026, 0, 1, 8) / 1000;
  const steps: { name: string; drop: Record<string, number> }[] = [
    { name: 'goroutine.001.txt', drop: { 'main.leakWorker': 4 } },
    { name: 'goroutine.002.txt', drop: { 'main.leakWorker': 2, 'time.Sleep': 1 } },
    { name: 'goroutine.003.txt', drop: {} },
  ];
  return steps.map(({ name, drop }, i) => {
    const file = join(dir, name);
    writeFileSync(file, without(drop));
    utimesSync(file, t0 + i * 3600, t0 + i * 3600);
    return file;
  });
}

test('a series: only the bucket that grows at every step, with growth per hour from the files\' times', async () => {
  const files = writeSeries(join(scratchDir('goroutines-series'), 'a'));
  // Given in any order: the dumps are put oldest first by their times.
  const r = await runCli(['goroutines', files[2]!, files[0]!, files[1]!]);
  assert.equal(r.code, 0, r.stderr);
  // 3 → 5 → 7 over two hours: +4, 2 per hour.
  assert.match(r.stdout, /^1 bucket grows at every step of the 3 dumps\n\n\+4 \(3 → 5 → 7, \+2\/h\) 7 goroutines \[chan receive\] created by main\.main\.func1\n  \* main\.leakWorker /);
  assert.doesNotMatch(r.stdout, /select|Sleep/);
});

test('a series from a folder (what fetch --every fills), and as --json', async () => {
  const dir = join(scratchDir('goroutines-series'), 'b');
  writeSeries(dir);
  writeFileSync(join(dir, 'notes.md'), 'not a dump');
  const r = await runCli(['goroutines', '--json', dir]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { dumps: number; grew: { counts: number[]; growth: number; perHour: number; frames: { func: string }[] }[] };
  assert.equal(out.dumps, 3);
  assert.equal(out.grew.length, 1);
  assert.deepEqual(out.grew[0]!.counts, [3, 5, 7]);
  assert.equal(out.grew[0]!.growth, 4);
  assert.equal(out.grew[0]!.perHour, 2);
  assert.deepEqual(out.grew[0]!.frames.map((f) => f.func), ['main.leakWorker']);
});

test('a series where nothing grows at every step says so; --base with a series is a usage error', async () => {
  const same = join(repoRoot, 'fixtures', 'dumps', 'goroutine-debug2.txt');
  const r = await runCli(['goroutines', same, same, same]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'no bucket grew at every step of the 3 dumps\n');
  const bad = await runCli(['goroutines', '--base', same, same, same]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--base compares two dumps/);
});
