// The trace web UI's MMU and Regions pages (go tool trace's /mmu and /userregions, issue 18): the MMU endpoint answers what Go's
// tool served for the fixture trace (fixtures/expected-trace, saved by regen-trace.sh from
// /mmuPlot and /mmuDetails), and in chromium the page draws that curve, lists the worst windows of
// the window clicked on the curve, and a worst window opens its stretch of the timeline.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../bench/web.js';
import { repoRoot, runCli } from './helpers.js';
import { openPage, screenshot } from './web-helpers.js';
import { serveTrace } from './trace-web-helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const expected = (name: string): unknown => JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'expected-trace', `tracesvc.trace.${name}.json`), 'utf8'));
type GoPlot = { curve: [number, number][]; xMin: number; xMax: number };
type GoWindow = { Time: number; MutatorUtil: number };

let browser: Browser;
let server: Awaited<ReturnType<typeof serveTrace>>;
before(async () => {
  [browser, server] = await Promise.all([launchChromium(), serveTrace(fixture, 'tracesvc.trace')]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const api = async (query: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await fetch(new URL(`api/trace/mmu?${query}`, server.url));
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

test('/api/trace/mmu: the curve and worst windows go tool trace served for the same trace and flags', async () => {
  for (const [flags, tag] of [
    ['stw,background,assist', 'stw+background+assist'],
    ['sweep', 'sweep'],
    ['', 'none'],
  ] as const) {
    const { status, body } = await api(`flags=${flags}&window=1000000`);
    assert.equal(status, 200);
    const go = expected(`mmuPlot.${tag}`) as GoPlot;
    assert.deepEqual(body.curve, go.curve, `curve for flags=${flags}`);
    const worst = (body.worst as { time: number; mutatorUtil: number }[]).map((w) => [w.time, w.mutatorUtil]);
    const goWorst = (expected(`mmuDetails.${tag}.1000000`) as GoWindow[]).map((w) => [w.Time, w.MutatorUtil]);
    assert.deepEqual(worst, goWorst, `worst 1ms windows for flags=${flags}`);
  }
  // Without flags, the page's first view: Go's first boxes (STW, background, assist).
  assert.deepEqual((await api('')).body.curve, (expected('mmuPlot.stw+background+assist') as GoPlot).curve);
  const bad = await api('flags=stw,nope');
  assert.equal(bad.status, 400);
  assert.match(String(bad.body.error), /unknown MMU flag "nope"/);
});

test('the MMU page: the curve drawn, a click on it lists that window size\'s worst windows, one opens the timeline there', { timeout: 120_000 }, async () => {
  const { page, log } = await openPage(browser, new URL('?tab=mmu', server.url).toString());
  await page.waitForSelector('#mmu-plot path');
  const path = await page.getAttribute('#mmu-plot path', 'd');
  assert.equal(path!.split('L').length, (expected('mmuPlot.stw+background+assist') as GoPlot).curve.length, 'one point per point of Go\'s curve');
  // The default window is 1 ms: Go's worst windows of 1 ms, lowest first.
  const goWorst = expected('mmuDetails.stw+background+assist.1000000') as GoWindow[];
  const firstRow = await page.textContent('#mmu-worst tr:nth-child(2) td:first-child');
  assert.equal(firstRow, `${(goWorst[0]!.MutatorUtil * 100).toFixed(1)}%`);
  await screenshot(page, 'trace-mmu');

  // A click right of the middle of the plot picks a larger window: the page asks for it.
  const box = (await page.locator('#mmu-plot').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height / 2);
  await page.waitForFunction(() => new URL((globalThis as unknown as { location: { href: string } }).location.href).searchParams.get('window') !== null);
  const picked = Number(new URL(page.url()).searchParams.get('window'));
  assert.ok(picked > 1_000_000, `a window larger than 1ms was picked: ${picked}`);
  await page.waitForSelector('#mmu-window', { state: 'attached' });
  assert.match((await page.textContent('#mmu h4'))!, /^Worst windows of /);

  // Unticking a flag changes the curve (sweeping alone: another curve than the default).
  await page.uncheck('input[data-flag="stw"]');
  await page.waitForFunction(() => new URL((globalThis as unknown as { location: { href: string } }).location.href).searchParams.get('flags') === 'background,assist');

  // A worst window opens the timeline on that stretch.
  await page.click('#mmu-worst button.link');
  await page.waitForFunction(() => new URL((globalThis as unknown as { location: { href: string } }).location.href).searchParams.get('tab') === 'timeline');
  const q = new URL(page.url()).searchParams;
  assert.ok(Number(q.get('end')) - Number(q.get('start')) === picked, 'the window\'s length');
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.foreignRequests, []);
});

test('the Regions page (Go\'s /userregions): the types and buckets of `proflens trace regions --json`; a bucket lists its regions, one opens its goroutine on the timeline', { timeout: 120_000 }, async () => {
  const cli = await runCli(['trace', 'regions', '--json', fixture]);
  assert.equal(cli.code, 0, cli.stderr);
  const expectedRows = JSON.parse(cli.stdout) as { type: string; count: number; histogram: { count: number; items: { goroutine: number }[] }[] }[];
  assert.ok(expectedRows.length > 0 && expectedRows.every((r) => r.histogram.every((b) => b.items.length <= 1000)), 'the fixture has regions, no bucket cut');
  const api = (await (await fetch(new URL('api/trace/regions', server.url))).json()) as unknown;
  assert.deepEqual(api, expectedRows);

  const { page, log } = await openPage(browser, new URL('?tab=regions', server.url).toString());
  await page.waitForSelector('#regions h4');
  const headings = await page.locator('#regions h4').allTextContents();
  assert.deepEqual(headings.map((h) => Number(/: (\d+) regions$/.exec(h)?.[1])), expectedRows.map((r) => r.count));
  // The first type's fullest bucket: its regions listed, as many as it counts.
  const fullest = expectedRows[0]!.histogram.reduce((best, b, i, all) => (b.count > all[best]!.count ? i : best), 0);
  await page.locator('#regions table.hist').first().locator('tr').nth(fullest).locator('button').click();
  await page.waitForSelector('#region-list');
  assert.equal(await page.locator('#region-list tr').count(), 1 + expectedRows[0]!.histogram[fullest]!.count);
  await screenshot(page, 'trace-regions');
  const first = expectedRows[0]!.histogram[fullest]!.items[0]!;
  await page.locator('#region-list button.link').first().click();
  await page.waitForFunction(() => new URL((globalThis as unknown as { location: { href: string } }).location.href).searchParams.get('tab') === 'timeline');
  assert.equal(new URL(page.url()).searchParams.get('goroutine'), String(first.goroutine));
  assert.deepEqual(log.errors, []);
});
