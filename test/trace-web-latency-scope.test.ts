// The trace web UI's links to the latency profiles of one goroutine group and of one region type
// (issue 18), in a real browser: a group's page and the Regions page link them, and each opens in
// the pprof views with the profile go tool trace serves for that scope (its top, from
// fixtures/expected-trace/latency: the same functions, the same total).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../bench/web.js';
import type { WebServer } from '../src/web/server.js';
import { repoRoot } from './helpers.js';
import { flameFrameNames, openPage } from './web-helpers.js';
import { serveTrace } from './trace-web-helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const latencyDir = join(repoRoot, 'fixtures', 'expected-trace', 'latency');

let browser: Browser;
let server: WebServer & Awaited<ReturnType<typeof serveTrace>>;
before(async () => {
  [browser, server] = await Promise.all([launchChromium(), serveTrace(fixture, 'tracesvc.trace')]);
});
after(async () => {
  await Promise.all([browser?.close(), server?.close()]);
});

/** goTop reads Go's -top file: its functions and its "of TOTAL total". */
function goTop(file: string): { names: string[]; total: string } {
  const text = readFileSync(join(latencyDir, file), 'utf8');
  return { names: [...text.matchAll(/^ +\S+ +\S+ +\S+ +\S+ +\S+  (.+)$/gm)].map((m) => m[1]!).slice(1), total: /of (\S+) total/.exec(text)![1]! };
}

/** opened checks the pprof views the link opened: Go's functions in the flame graph and Go's total in top. */
async function assertOpened(page: Page, mount: RegExp, file: string): Promise<void> {
  await page.waitForURL(mount);
  const go = goTop(file);
  const names = await flameFrameNames(page);
  for (const n of go.names) assert.ok(names.includes(n), `${n} in the flame graph: ${names.join(' | ')}`);
  const top = (await (await page.request.get(new URL('api/top', page.url()).toString())).json()) as { labels: string[] };
  assert.ok(top.labels.some((l) => l.includes(`of ${go.total} total`)), `${go.total} in ${top.labels.join(' | ')}`);
}

test("a goroutine group's page links its latency profiles; sched opens go tool trace's /sched?id=PC", { timeout: 60_000 }, async () => {
  const worker = server.session.groups().find((g) => g.name === 'main.worker')!;
  const { page, log } = await openPage(browser, new URL(`?tab=goroutines&pc=${worker.pc}`, server.url).toString());
  await page.click('#goroutines a:text-is("sched")');
  await assertOpened(page, new RegExp(`/pprof-sched-g${worker.pc}/`), `tracesvc.trace.group-${worker.pc}.sched.top`);
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('the Regions page links each type’s and each bucket’s latency profiles, as go tool trace’s /regionblock', { timeout: 60_000 }, async () => {
  const rows = server.session.regions();
  const n = rows.findIndex((r) => r.type === 'compute');
  const { page, log } = await openPage(browser, new URL('?tab=regions', server.url).toString());
  await page.locator('#regions .region-profiles').nth(n).locator('a:text-is("sync")').click();
  await assertOpened(page, new RegExp(`/pprof-sync-t${n}/`), 'tracesvc.trace.region-compute.sync.top');
  // A bucket: the first one holding regions, Go's first link of the type's histogram.
  const b = rows[n]!.histogram.findIndex((h) => h.count > 0);
  await page.goto(new URL(`?tab=regions&rtype=${n}&rbucket=${b}`, server.url).toString());
  await page.locator('#regions .region-profiles', { hasText: 'this bucket' }).locator('a:text-is("sync")').click();
  await assertOpened(page, new RegExp(`/pprof-sync-t${n}-b${b}/`), 'tracesvc.trace.region-compute.bucket-0.sync.top');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});
