// The trace web UI in a real browser (Debian's chromium through playwright-core): the timeline
// drawn for traces of Go 1.19, 1.21 and 1.25, zoom and range selection, a slice's goroutine, the
// goroutine pages against `proflens trace goroutines --json`, a latency profile as a flame graph,
// and a trace whose strings are markup. Screenshots go to test-artifacts/trace-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot, runCli, sharedDir } from './helpers.js';
import { flameFrameNames, openPage, screenshot, webTestFile } from './web-helpers.js';
import { hostileFn, hostileTrace, serveTrace, settled, timelineStats } from './trace-web-helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const peer = join(sharedDir, 'peer-trace', 'traces');

const { browser: chromium, started } = webTestFile();

const param = (page: Page, k: string): string | null => new URL(page.url()).searchParams.get(k);

/** canvasPoint turns a point of the timeline box into page coordinates. */
async function canvasPoint(page: Page, p: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const box = (await page.locator('#tl-box').boundingBox())!;
  return { x: box.x + p.x, y: box.y + p.y };
}

function blockRect(page: Page, kind: string): Promise<{ x: number; y: number; g: number; n: number } | undefined> {
  return page.locator('#tl-box').evaluate((b, k) => (b as unknown as { blockRect(k: string): { x: number; y: number; g: number; n: number } | undefined }).blockRect(k), kind);
}

test('the fixture trace: timeline drawn, zoom, range selection, a slice opens its goroutine', { timeout: 120_000 }, async () => {
  const server = await started(serveTrace(fixture, 'tracesvc.trace'));
  const { page, log } = await openPage(chromium(), server.url);
  const first = await settled(page);
  assert.ok(first.blocks > 50, `blocks drawn: ${first.blocks}`);
  assert.ok(first.merged > 0, 'at the whole trace, neighbouring slices are merged');
  await screenshot(page, 'trace-timeline-whole');

  // Zoom in with the keyboard (W, as in Chrome's viewer) around the middle: the range shrinks and
  // fewer slices are merged.
  const before = await page.textContent('#range-text');
  await page.locator('#tl-box').focus();
  for (let k = 0; k < 12; k++) await page.keyboard.press('w');
  const zoomed = await settled(page, first.fetches);
  assert.notEqual(await page.textContent('#range-text'), before);
  // Twelve steps of 1.25: 1/14.6 of the trace.
  const span = zoomed.t1 - zoomed.t0;
  assert.ok(span < 1_011_187_624 / 10, `zoomed span ${span}`);
  assert.ok(zoomed.merged < first.merged, `merged blocks ${first.merged} → ${zoomed.merged}`);
  await screenshot(page, 'trace-timeline-zoomed');

  // Wheel zoom out again, then pan with D.
  const c = (await page.locator('#tl-canvas').boundingBox())!;
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  await page.mouse.wheel(0, 400);
  const out = await settled(page, zoomed.fetches);
  const span2 = out.t1 - out.t0;
  assert.ok(span2 > span, `wheel zoomed out: ${span} → ${span2}`);
  await page.keyboard.press('d');
  const panned = await settled(page, out.fetches);
  assert.ok(panned.t0 > out.t0, 'D pans right');

  // Shift+drag selects a range: its statistics are the server's for that range.
  const s0 = { x: c.x + 300, y: c.y + 200 };
  await page.keyboard.down('Shift');
  await page.mouse.move(s0.x, s0.y);
  await page.mouse.down();
  await page.mouse.move(s0.x + 200, s0.y, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.locator('#range-states tr').first().waitFor();
  const states = await page.locator('#range-states tr td:first-child').allTextContents();
  assert.ok(states.includes('running') || states.includes('waiting (network)'), states.join(', '));
  await screenshot(page, 'trace-timeline-selection');
  await page.click('#zoom-selection');
  await settled(page);

  // Whole trace again, then click the widest block of a P lane: its goroutine opens.
  await page.click('#zoom-out');
  await settled(page);
  const at = await blockRect(page, 'proc');
  assert.ok(at, 'a P lane has a block');
  const p = await canvasPoint(page, at);
  await page.mouse.click(p.x, p.y);
  await page.locator('#slice-title').waitFor();
  const title = (await page.textContent('#slice-title'))!;
  assert.match(title, /^G\d+ /);
  const g = Number(/^G(\d+)/.exec(title)![1]);
  await screenshot(page, 'trace-timeline-slice');
  await page.click('#open-goroutine');
  await page.locator('#goroutines h3', { hasText: `Goroutine ${g}` }).waitFor();
  assert.equal(param(page, 'g'), String(g));
  // Its blocking events, a heading per kind and stack: the server's counts, as words.
  const waits = server.session.goroutine(new URLSearchParams({ id: String(g) })).waits;
  assert.ok(waits.length > 0, `G${g} blocked somewhere`);
  const headings = await page.locator('#goroutines h4').allTextContents();
  for (const w of waits) assert.ok(headings.some((h) => h.startsWith(`${w.kind}: ${w.count} ${w.count === 1 ? 'time' : 'times'}, `) && h.endsWith(' in all')), `${w.kind} ${w.count} in ${headings.join(' | ')}`);
  await screenshot(page, 'trace-goroutine');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('a slice names the event that woke its goroutine, and the link follows it', { timeout: 60_000 }, async () => {
  const server = await started(serveTrace(fixture, 'tracesvc.trace'));
  // A run that began with a GoUnblock by another goroutine: found through the API, then clicked in the page.
  const meta = server.session.meta();
  const tl = server.session.timeline;
  let found: { start: number; end: number; lane: number } | undefined;
  for (let l = 0; l < meta.lanes.length && !found; l++) {
    if (meta.lanes[l]!.kind !== 'proc') continue;
    for (let j = tl.laneStart[l]!; j < tl.laneStart[l + 1]!; j++) {
      const d = server.session.slice(new URLSearchParams({ i: String(j) }));
      if (d.wokenBy?.type === 'GoUnblock' && d.wokenBy.g > 0 && d.end - d.start > 20_000) {
        found = { start: d.start, end: d.end, lane: l };
        break;
      }
    }
  }
  assert.ok(found, 'the fixture has a run woken by another goroutine');
  const pad = (found.end - found.start) / 4;
  const { page, log } = await openPage(chromium(), `${server.url}?view=procs&start=${Math.floor(found.start - pad)}&end=${Math.ceil(found.end + pad)}`);
  await settled(page);
  const box = (await page.locator('#tl-box').boundingBox())!;
  // Click the middle of the range on the found lane: lanes start below the axis (22 px) and the
  // three counters (34 px each), 20 px a lane, in the order of the Procs view.
  const procsView = meta.lanes.flatMap((l, k) => (l.kind !== 'goroutine' && l.kind !== 'thread' ? [k] : []));
  const row = procsView.indexOf(found.lane);
  await page.mouse.click(box.x + 180 + (box.width - 180) / 2, box.y + 22 + 3 * 34 + row * 20 + 10);
  await page.locator('#waker').waitFor();
  const waker = (await page.textContent('#waker'))!;
  const wg = Number(/by G(\d+)/.exec(waker)?.[1]);
  assert.ok(wg > 0, waker);
  await screenshot(page, 'trace-timeline-waker');
  await page.click('#waker');
  await page.waitForFunction(() => new URL((globalThis as unknown as { location: { href: string } }).location.href).searchParams.get('view') === 'goroutines');
  await settled(page);
  await screenshot(page, 'trace-timeline-waker-followed');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('goroutine pages agree with proflens trace goroutines --json', { timeout: 60_000 }, async () => {
  const cli = await runCli(['trace', 'goroutines', fixture, '--json']);
  assert.equal(cli.code, 0, cli.stderr);
  const groups = JSON.parse(cli.stdout) as { pc: number; name: string; count: number; execTime: number }[];
  const server = await started(serveTrace(fixture, 'tracesvc.trace'));
  const { page, log } = await openPage(chromium(), `${server.url}?tab=goroutines`);
  await page.locator('#goroutines tbody tr').first().waitFor();
  const rows = await page.locator('#goroutines tbody tr').evaluateAll((trs) => trs.map((tr) => ({ pc: Number(tr.getAttribute('data-pc')), cells: [...tr.children].map((td) => td.textContent) })));
  assert.equal(rows.length, groups.length);
  for (const g of groups) {
    const r = rows.find((x) => x.pc === g.pc);
    assert.ok(r, `group ${g.name}`);
    assert.equal(r.cells[0], g.name || '(goroutines that did not start)');
    assert.equal(r.cells[1], String(g.count));
  }
  await screenshot(page, 'trace-goroutine-groups');
  // The busiest group's goroutines: the same ids and totals as --group.
  const top = groups.find((g) => g.name !== '')!;
  await page.locator('#goroutines tbody tr', { has: page.locator(`text="${top.name}"`) }).locator('button').click();
  await page.locator('#goroutines .bar').first().waitFor();
  const esc = top.name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const gcli = await runCli(['trace', 'goroutines', fixture, '--group', `^${esc}$`, '--json']);
  const members = JSON.parse(gcli.stdout) as { id: number; totalTime: number }[];
  const ids = (await page.locator('#goroutines tbody tr td:first-child').allTextContents()).map(Number);
  assert.deepEqual([...ids].sort((a, b) => a - b), members.map((m) => m.id).sort((a, b) => a - b));
  await screenshot(page, 'trace-goroutine-group');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('a latency profile opens as a flame graph in the pprof views', { timeout: 60_000 }, async () => {
  const cli = await runCli(['top', '--pprof', 'sync', '--json', fixture]);
  assert.equal(cli.code, 0, cli.stderr);
  const topName = (JSON.parse(cli.stdout) as { rows: { name: string }[] }).rows[0]!.name;
  const server = await started(serveTrace(fixture, 'tracesvc.trace'));
  const { page, log } = await openPage(chromium(), `${server.url}?tab=profiles`);
  await page.click('#profiles a:text-is("sync")');
  await page.waitForURL(/\/pprof-sync\//);
  const names = await flameFrameNames(page);
  assert.ok(names.includes(topName), `flame graph frames: ${names.join(' | ')}; top: ${topName}`);
  await screenshot(page, 'trace-latency-sync-flame');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('a trace whose strings are markup shows them as text', { timeout: 60_000 }, async () => {
  const server = await started(serveTrace(hostileTrace(), 'hostile.trace'));
  const { page, log } = await openPage(chromium(), `${server.url}?view=goroutines`);
  await settled(page);
  await screenshot(page, 'trace-hostile-timeline');
  const at = await blockRect(page, 'goroutine');
  assert.ok(at);
  const p = await canvasPoint(page, at);
  await page.mouse.click(p.x, p.y);
  await page.locator('#slice-title').waitFor();
  assert.equal(await page.textContent('#slice-title'), `G5 ${hostileFn}`);
  await page.click('#open-goroutine');
  await page.locator('#goroutines h3', { hasText: 'Goroutine 5' }).waitFor();
  await page.goto(`${server.url}?tab=goroutines`);
  await page.locator('#goroutines tbody tr').first().waitFor();
  assert.ok((await page.locator('#goroutines tbody td').allTextContents()).includes(hostileFn));
  await screenshot(page, 'trace-hostile-groups');
  assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
  assert.equal(await page.locator('#goroutines img').count(), 0);
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

for (const [version, file] of [
  ['1.19', 'go1.19/test-encoding-json.trace'],
  ['1.21', 'go1.21/test-encoding-json.trace'],
  ['1.25', 'go1.25/test-encoding-json.trace'],
] as const) {
  const path = join(peer, file);
  test(`the Go ${version} trace of ../shared/peer-trace: timeline drawn in every view`, { timeout: 90_000, skip: existsSync(path) ? false : `${path} is absent` }, async () => {
    const server = await started(serveTrace(path, file));
    const { page, log } = await openPage(chromium(), server.url);
    const s = await settled(page);
    assert.ok(s.blocks > 20, `blocks: ${s.blocks}`);
    await screenshot(page, `trace-go${version}-procs`);
    await page.click('[data-view=goroutines]');
    const g = await settled(page, s.fetches);
    assert.ok(g.blocks > 20, `goroutine view blocks: ${g.blocks}`);
    await screenshot(page, `trace-go${version}-goroutines`);
    const threads = page.locator('[data-view=threads]');
    assert.equal(await threads.isVisible(), version === '1.25', 'thread lanes for Go 1.22+ traces only');
    if (version === '1.25') {
      await threads.click();
      const t = await settled(page, g.fetches);
      assert.ok(t.blocks > 5, `thread view blocks: ${t.blocks}`);
      await screenshot(page, `trace-go${version}-threads`);
      const cpu = await (await fetch(`${server.url}api/trace/lanes?width=1000&lanes=0-2000`)).json() as { cpu: unknown[] };
      assert.ok(cpu.cpu.length > 0, 'CPU samples shown on their goroutines');
    }
    // Every redraw is timed by the page for the benchmark (which holds the 50 ms target; a timed
    // assertion here failed on a loaded machine): the views drawn above were each counted.
    const times = (await timelineStats(page)).drawMs;
    assert.ok(times.length >= 3 && times.every((ms) => ms >= 0), `redraws (ms): ${times.join(' ')}`);
    assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
    await page.close();
  });
}

test('tasks: a histogram bucket lists its tasks, and a task opens on the timeline', { timeout: 60_000 }, async () => {
  const server = await started(serveTrace(fixture, 'tracesvc.trace'));
  const { page, log } = await openPage(chromium(), `${server.url}?tab=tasks`);
  // `proflens trace tasks` prints for this trace: "request: 213 tasks, 213 complete", its 1584µs bucket 80.
  await page.locator('#tasks h4', { hasText: 'request: 213 tasks, 213 complete' }).waitFor();
  const bucket = page.locator('#tasks tr', { has: page.locator('button:text-is("1.585ms")') });
  assert.equal(await bucket.locator('td').last().textContent(), '80');
  await bucket.locator('button').click();
  await page.locator('#task-list tr').nth(80).waitFor();
  assert.equal(await page.locator('#task-list tr').count(), 81, 'a header and 80 tasks');
  await screenshot(page, 'trace-tasks');
  await page.locator('#task-list tr').nth(1).locator('button').click();
  const shown = await settled(page);
  assert.equal(param(page, 'view'), 'goroutines');
  const span = shown.t1 - shown.t0;
  assert.ok(span >= 1_584_000 && span < 2_600_000, `the task's span: ${span}`);
  await screenshot(page, 'trace-task-timeline');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});
