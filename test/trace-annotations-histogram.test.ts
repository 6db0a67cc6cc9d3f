// The duration histograms of user tasks and regions (src/trace/annotations.ts) against go tool
// trace's /usertasks and /userregions: each bucket's bounds are the latmin and latmax of its link on
// Go's page (saved in fixtures/expected-trace by fixtures/regen-trace.sh), and the tasks or regions
// listed in a bucket are the ones Go's page behind that link lists (go tool trace run now; skipped
// without go). Then a hand-made trace whose buckets are worked out by hand.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bucketMin, durationBucket, regionTypes, taskTypes, type HistogramRow } from '../src/trace/annotations.js';
import { goroutineAnalysis } from '../src/trace/goroutine-analysis.js';
import { EventType } from '../src/trace/model.js';
import { niceDuration } from '../src/trace/nice-duration.js';
import { readTrace } from '../src/trace/read.js';
import { hasGo } from './go-fixture.js';
import { withGoTraceServer } from './go-trace-server.js';
import { repoRoot, runCli } from './helpers.js';
import { modelTrace } from './trace-model.js';

const traceFile = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const expected = (name: string): string => readFileSync(join(repoRoot, 'fixtures', 'expected-trace', `tracesvc.trace.${name}`), 'utf8');
const fixture = readTrace(readFileSync(traceFile), traceFile);

const unitNs: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** goDuration reads a Go time.Duration string as Go's pages write them ("630.957µs", "1.584893ms", "1m2s"). */
function goDuration(s: string): number {
  let ns = 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let end = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    ns += Number(m[1]) * unitNs[m[2]!]!;
    end = re.lastIndex;
  }
  assert.equal(end, s.length, `not a Go duration: ${s}`);
  return Math.round(ns);
}

/** PageHistogram is one row's histogram on Go's page: per bucket its label and link, then the last label. */
interface PageHistogram {
  readonly buckets: { label: string; href: string | undefined; latmin?: number; latmax?: number }[];
  readonly end: string;
}

/** pageHistograms reads every histogram of a /usertasks or /userregions page, in row order. */
function pageHistograms(html: string): PageHistogram[] {
  return [...html.matchAll(/<td><table>(.*?)<\/table><\/td>/gs)].map((m) => {
    const buckets = [...m[1]!.matchAll(/<td class="histoTime" align="right">(?:<a href=([^>]*)>)?([^<]+)/g)].map((b) => {
      const href = b[1];
      if (href === undefined) return { label: b[2]!, href };
      const q = new URLSearchParams(href.slice(href.indexOf('?') + 1));
      return { label: b[2]!, href, latmin: goDuration(q.get('latmin')!), latmax: goDuration(q.get('latmax')!) };
    });
    const end = /<tr><td align="right">([^<]+)<\/td><\/tr>$/.exec(m[1]!);
    assert.ok(end, 'the histogram ends with its upper bound');
    return { buckets, end: end[1]! };
  });
}

/** assertBucketsLikePage checks our buckets' bounds against the labels and links of Go's page. */
function assertBucketsLikePage(rows: readonly HistogramRow[], page: PageHistogram, what: string): void {
  assert.equal(rows.length, page.buckets.length, `${what}: buckets`);
  rows.forEach((r, k) => {
    const b = page.buckets[k]!;
    assert.equal(niceDuration(r.from), b.label, `${what}: bucket ${k} label`);
    assert.equal(b.href !== undefined, r.count > 0, `${what}: Go links exactly the buckets with something in them`);
    if (b.href !== undefined) assert.deepEqual([r.from, r.to], [b.latmin, b.latmax], `${what}: bucket ${k} bounds`);
    // What a bucket lists is what it counts, and each duration lies within its bounds.
    assert.equal(r.items.length, r.count, `${what}: bucket ${k} items`);
    // (Both ends in, as the link's latmin and latmax: Go counts exactly 1000 ns in the bucket below 1000.)
    for (const item of r.items) assert.ok(item.duration >= r.from && item.duration <= r.to, `${what}: ${JSON.stringify(item)} in [${r.from}, ${r.to}]`);
  });
  assert.equal(niceDuration(rows[rows.length - 1]!.to), page.end, `${what}: upper bound`);
}

test('task buckets have the bounds of the links on go tool trace /usertasks, and list the tasks they count', async () => {
  const rows = taskTypes(await fixture);
  const pages = pageHistograms(expected('usertasks.html'));
  assert.equal(rows.length, pages.length);
  rows.forEach((r, i) => assertBucketsLikePage(r.histogram, pages[i]!, `task ${r.type}`));
  const ids = rows.flatMap((r) => r.histogram.flatMap((b) => b.items.map((t) => t.id)));
  assert.equal(new Set(ids).size, ids.length, 'each task in one bucket');
  assert.equal(ids.length, rows.reduce((n, r) => n + r.complete, 0), 'every complete task listed');
});

test('region buckets have the bounds of the links on go tool trace /userregions, and list the regions they count', async () => {
  const t = await fixture;
  const rows = regionTypes(t, goroutineAnalysis(t));
  const pages = pageHistograms(expected('userregions.html'));
  assert.equal(rows.length, pages.length);
  rows.forEach((r, i) => assertBucketsLikePage(r.histogram, pages[i]!, `region ${r.type}`));
  for (const r of rows) assert.equal(r.histogram.reduce((n, b) => n + b.items.length, 0), r.count);
});

test('the tasks and regions of each bucket are those Go lists behind the bucket\'s link', { skip: hasGo ? false : 'go is not installed', timeout: 120_000 }, async () => {
  const t = await fixture;
  const tasks = taskTypes(t);
  const regions = regionTypes(t, goroutineAnalysis(t));
  await withGoTraceServer(traceFile, async (get) => {
    const taskPages = pageHistograms(await get('/usertasks'));
    for (const [i, r] of tasks.entries()) {
      for (const [k, b] of r.histogram.entries()) {
        const href = taskPages[i]!.buckets[k]!.href;
        if (href === undefined) continue;
        const ids = [...(await get(href)).matchAll(/>Task (\d+)<\/a>/g)].map((m) => Number(m[1]));
        assert.deepEqual(b.items.map((x) => x.id).sort((x, y) => x - y), ids.sort((x, y) => x - y), `task ${r.type} bucket ${niceDuration(b.from)}`);
      }
    }
    const regionPages = pageHistograms(await get('/userregions'));
    for (const [i, r] of regions.entries()) {
      for (const [k, b] of r.histogram.entries()) {
        const href = regionPages[i]!.buckets[k]!.href;
        if (href === undefined) continue;
        const page = await get(href);
        const listed = [...page.matchAll(/<td> <a href="\/trace\?goid=(\d+)">\d+<\/a> <\/td>\n\s*<td> (?:<a href="\/trace\?focustask=(\d+)">)?/g)].map((m) => `${m[1]} ${m[2] ?? 0}`);
        assert.deepEqual(b.items.map((x) => `${x.goroutine} ${x.task}`).sort(), listed.sort(), `region ${r.type} bucket ${niceDuration(b.from)}`);
      }
    }
  });
});

test('hand-made tasks fall in the buckets worked out by hand, listed with id, start and duration', () => {
  const E = EventType;
  // Bucket b holds [10^(b/5), 10^((b+1)/5)) ns, by Go's float arithmetic: ln(1000)/ln(10^0.2) is
  // 14.999…, so 1000 ns is bucket 14 (630–1000 ns; Go's own int(math.Log(1000)/logDiv) is 14 too),
  // 1500 ns bucket 15 (1000–1584), 2000 ns bucket 16 (1584–2511). Task 4 never ends: it only counts.
  const t = modelTrace(
    [
      [E.UserTaskCreate, 0, 0, 1, [1, 0, 1], 3],
      [E.UserTaskCreate, 100, 0, 1, [2, 0, 1], 4],
      [E.UserTaskCreate, 200, 0, 1, [3, 0, 1], 5],
      [E.UserTaskEnd, 1000, 0, 1, [1], -1],
      [E.UserTaskEnd, 1600, 0, 1, [2], -1],
      [E.UserTaskEnd, 2200, 0, 1, [3], -1],
      [E.UserTaskCreate, 2300, 0, 1, [4, 0, 1], -1],
    ],
    ['', 'job'],
  );
  assert.deepEqual([durationBucket(1000), durationBucket(1500), durationBucket(2000)], [14, 15, 16]);
  assert.deepEqual([bucketMin(14), bucketMin(15), bucketMin(16), bucketMin(17)], [630, 1000, 1584, 2511]);
  assert.deepEqual(taskTypes(t), [
    {
      type: 'job',
      count: 4,
      complete: 3,
      histogram: [
        { from: 630, to: 1000, count: 1, items: [{ id: 1, start: 0, duration: 1000 }] },
        { from: 1000, to: 1584, count: 1, items: [{ id: 2, start: 100, duration: 1500 }] },
        { from: 1584, to: 2511, count: 1, items: [{ id: 3, start: 200, duration: 2000 }] },
      ],
    },
  ]);
});

test('proflens trace tasks --json lists each bucket\'s tasks; the text ends each histogram with its upper bound', async () => {
  const json = await runCli(['trace', 'tasks', '--json', traceFile]);
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as { histogram: HistogramRow[] }[];
  assert.ok(rows[0]!.histogram.every((b) => b.items.length === b.count));
  const text = await runCli(['trace', 'tasks', traceFile]);
  // Go's page ends the request histogram with 15ms (its last bucket's upper bound).
  assert.match(text.stdout, /\n {6}15ms\n$/);
});
