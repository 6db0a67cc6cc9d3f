// The web UI in a real browser (Debian's chromium through playwright-core): one browser for the
// file, one page per test. Each test saves screenshots in test-artifacts/ for a person to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fixtureConfig, flameFrameNames, hostileName, hostileName2, hostileProfile, openPage, profiles, screenshot, serve, serveProfile, webTestFile } from './web-helpers.js';

const web = webTestFile();
const started = web.started;

const param = (page: Page, k: string): string | null => new URL(page.url()).searchParams.get(k);

test('Go heap profile: flame graph, sample type, focus from top, source', { timeout: 60_000 }, async () => {
  const server = await started(serve([join(profiles, 'go-heap.pb.gz')], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), server.url);

  // speedscope imported the profile and draws its frames: the tooltip names them.
  const names = await flameFrameNames(page);
  assert.ok(names.includes('runtime.main'), `flame graph frames: ${names.join(' | ')}`);
  assert.ok(names.includes('main.allocateBig'), `flame graph frames: ${names.join(' | ')}`);
  await screenshot(page, 'go-heap-flame');

  // Sandwich lists every function in a table.
  await page.click('#flame [data-view=sandwich]');
  await page.frameLocator('#speedscope').locator('text=main.fillCache').first().waitFor();
  await screenshot(page, 'go-heap-sandwich');

  // Another sample type: the flame graph and top follow, and the URL keeps it.
  await page.selectOption('#sample', 'alloc_space');
  assert.equal(param(page, 'si'), 'alloc_space');
  const flameUrl = decodeURIComponent((await page.getAttribute('#speedscope', 'src')) ?? '');
  assert.match(flameUrl, /\/api\/flame\?si=alloc_space/);
  await page.click('#tabs [data-tab=top]');
  await page.locator('#top .labels', { hasText: 'Type: alloc_space' }).waitFor();
  // main.churn allocates but keeps nothing: it is in alloc_space's top only.
  await page.locator('#top td.name', { hasText: 'main.churn' }).first().waitFor();
  await screenshot(page, 'go-heap-top-alloc-space');

  // Sorting by name puts the rows in name order.
  await page.click('#top th[data-sort=name]');
  const sorted = await page.locator('#top td.name').allTextContents();
  assert.deepEqual(sorted, [...sorted].sort());

  // Focus on a function from the top table: the filter goes into the URL and every view.
  await page.click('#top tr:has(td.name[title="main.allocateBig"]) button:text("focus")');
  assert.equal(param(page, 'focus'), '^main\\.allocateBig$');
  assert.equal(await page.inputValue('#refine input[name=focus]'), '^main\\.allocateBig$');
  // Focus refines the view it was asked from (Top); the flame graph follows when opened.
  await page.click('#tabs [data-tab=flame]');
  await page.click('#flame [data-view=left-heavy]');
  const focused = await flameFrameNames(page);
  assert.ok(focused.includes('main.allocateBig') && !focused.includes('main.fillCache'), focused.join(' | '));
  await page.click('#tabs [data-tab=top]');
  await page.locator('#top .labels', { hasText: 'focus=^main\\.allocateBig$' }).waitFor();
  const rows = await page.locator('#top td.name').allTextContents();
  assert.ok(rows.includes('main.allocateBig') && !rows.includes('main.fillCache'), rows.join(', '));
  await screenshot(page, 'go-heap-top-focused');
  const download = await page.getAttribute('#download', 'href');
  assert.match(download ?? '', /focus=%5Emain%5C.allocateBig%24/);

  // Its source: the lines that allocate are marked hot.
  await page.click('#top tr:has(td.name[title="main.allocateBig"]) button:text("source")');
  assert.equal(param(page, 'fn'), 'main.allocateBig');
  const hot = page.locator('#source tr.hot td.code');
  await hot.first().waitFor();
  const hotLines = (await hot.allTextContents()).map((s) => s.trim());
  assert.ok(hotLines.includes('allocateBigger()'), hotLines.join(' | '));
  await screenshot(page, 'go-heap-source');

  // Peek: callers and callees.
  await page.click('#tabs [data-tab=peek]');
  await page.locator('#peek tr.callee', { hasText: 'main.allocateBigger' }).waitFor();
  await screenshot(page, 'go-heap-peek');

  // The call graph, laid out by Graphviz in WebAssembly: a node leads to its peek.
  await page.click('#tabs [data-tab=graph]');
  const node = page.locator('#graph svg g.node', { hasText: 'allocateBigger' });
  await node.first().waitFor({ timeout: 20_000 });
  assert.ok((await page.locator('#graph svg g.node').count()) >= 3);
  await screenshot(page, 'go-heap-graph');
  // A box opens the function menu; Peek goes to its callers and callees.
  await page.keyboard.press('0');
  await node.first().click();
  await page.click('#menu button:text("Peek")');
  assert.equal(param(page, 'tab'), 'peek');
  assert.equal(param(page, 'fn'), 'main.allocateBigger');

  // Reloading the page keeps every choice.
  await page.reload();
  await page.locator('#peek tr.peek-node', { hasText: 'main.allocateBigger' }).waitFor();
  assert.equal(await page.inputValue('#sample'), 'alloc_space');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('Node CPU profile: flame graph of wall time and of samples', { timeout: 60_000 }, async () => {
  const server = await started(serve([join(profiles, 'node-time.pb.gz')], { title: 'node-time.pb.gz' }));
  const { page, log } = await openPage(web.browser(), server.url);
  const names = await flameFrameNames(page);
  assert.ok(names.includes('busyLoop'), `flame graph frames: ${names.join(' | ')}`);
  await page.click('#flame [data-view=time-ordered]');
  await page.frameLocator('#speedscope').locator('canvas').nth(2).waitFor();
  await screenshot(page, 'node-time-flame');
  await page.selectOption('#sample', 'sample');
  await page.click('#tabs [data-tab=top]');
  await page.locator('#top .labels', { hasText: 'Type: sample' }).waitFor();
  assert.ok((await page.locator('#top td.name').allTextContents()).includes('sortNumbers'));
  await screenshot(page, 'node-time-top');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('diff flame graph: a frame shows its base, new and delta values', { timeout: 60_000 }, async () => {
  const base = join(profiles, 'go-heap-early.pb.gz');
  const server = await started(serve([join(profiles, 'go-heap.pb.gz')], { base: [base], title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=diff`);
  // The figures the page must show, from the server's data.
  const data = (await (await fetch(`${server.url}api/diff`)).json()) as { names: string[]; frame: number[]; current: number[]; base: number[] };
  const i = data.frame.findIndex((f, k) => k > 0 && data.names[f] === 'main.allocateBig');
  assert.ok(i > 0, 'main.allocateBig is in the diff tree');
  assert.ok(data.current[i]! > data.base[i]!, 'main.allocateBig grew between the snapshots');

  const box = page.locator('#diff .canvas-box');
  await page.locator('#diff canvas[data-frames]').waitFor();
  const at = await box.evaluate((b, name) => (b as unknown as { frameRect(n: string): { x: number; y: number } | undefined }).frameRect(name), 'main.allocateBig');
  assert.ok(at, 'main.allocateBig is drawn');
  const canvas = await page.locator('#diff canvas').boundingBox();
  await page.mouse.move(canvas!.x + at.x, canvas!.y + at.y);
  const tip = await page.locator('#diff .tooltip').innerText();
  const lines = tip.split('\n');
  assert.equal(lines[0], 'main.allocateBig');
  assert.match(lines[1]!, /^base:\s+\S+/);
  assert.match(lines[3]!, /^delta: \+\d/);
  // The colour under the pointer is a red: the frame grew.
  const [r, g] = (await page.evaluate(`(() => {
    const c = document.querySelector('#diff canvas');
    const k = c.width / c.clientWidth;
    return Array.from(c.getContext('2d').getImageData(Math.round(${at.x} * k), Math.round(${at.y} * k), 1, 1).data);
  })()`)) as number[];
  assert.ok(r! > 150 && g! < 120, `pixel colour ${r},${g}`);
  await screenshot(page, 'go-heap-diff-flame');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('function names with markup are shown as text and never run', { timeout: 60_000 }, async () => {
  const server = await started(serveProfile(hostileProfile(), { title: '<img src=y onerror="window.__pwned=3">', config: fixtureConfig() }));
  const { page, log } = await openPage(web.browser(), server.url);
  const names = await flameFrameNames(page);
  assert.ok(names.includes(hostileName), `flame graph frames: ${names.join(' | ')}`);
  await screenshot(page, 'hostile-flame');
  await page.click('#tabs [data-tab=top]');
  await page.locator('#top td.name', { hasText: hostileName }).waitFor();
  assert.ok((await page.locator('#top td.name').allTextContents()).includes(hostileName2));
  await screenshot(page, 'hostile-top');
  await page.click(`#top tr:has(td.name[title='${hostileName}']) button:text("peek")`);
  await page.locator('#peek tr.peek-node', { hasText: hostileName }).waitFor();
  await screenshot(page, 'hostile-peek');
  await page.click('#tabs [data-tab=source]');
  await page.locator('#source h3', { hasText: hostileName }).waitFor();
  await page.click('#tabs [data-tab=graph]');
  await page.locator('#graph svg g.node', { hasText: 'onerror' }).first().waitFor({ timeout: 20_000 });
  await screenshot(page, 'hostile-graph');
  await page.click('#tabs [data-tab=flame]');
  await page.click('#flame [data-view=sandwich]');
  await page.frameLocator('#speedscope').locator(`text=${hostileName2}`).first().waitFor();

  const pwned = await page.evaluate('window.__pwned');
  const frameImgs = await page.frameLocator('#speedscope').locator('img, b').count();
  assert.equal(pwned, undefined);
  assert.equal(await page.locator('img, b, svg image, svg script').count(), 0, 'no element was made from a profile string');
  assert.equal(frameImgs, 0, 'speedscope made no element from a profile string');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});
