// The Flame tab's own flame graph (issue 21): a frame click opens the function menu, Focus and
// Ignore refine without leaving the tab, the search box highlights matching frames, double-click
// zooms, and names with markup stay text. Screenshots go to test-artifacts/ (git-ignored).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hostileName, hostileProfile, openPage, profiles, screenshot, serve, serveProfile, webTestFile } from './web-helpers.js';

const web = webTestFile();
const heap = join(profiles, 'go-heap.pb.gz');
const param = (page: Page, k: string): string | null => new URL(page.url()).searchParams.get(k);

type Spot = { x: number; y: number; match: boolean; width: number };

/** spot is where our flame graph drew a frame (page coordinates), waiting until it is drawn. */
async function spot(page: Page, name: string): Promise<Spot> {
  await page.locator('#flame-own canvas[data-frames]').waitFor({ timeout: 15_000 });
  const at = (await page.evaluate(`document.querySelector('#flame-own').frameAt(${JSON.stringify(name)})`)) as Spot | undefined;
  assert.ok(at, `${name} is drawn`);
  const box = (await page.locator('#flame-own canvas').boundingBox())!;
  return { ...at, x: box.x + at.x, y: box.y + at.y };
}

/** redrawnWith waits until the flame graph, fetched again, draws a frame of this name. */
async function redrawnWith(page: Page, name: string): Promise<void> {
  const find = `!!document.querySelector('#flame-own').frameAt?.(${JSON.stringify(name)})`;
  for (let t = 0; t < 150 && !(await page.evaluate(find)); t++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(await page.evaluate(find), `${name} is drawn`);
}

/** tooltip hovers a point of the flame graph and reads its tooltip. */
async function tooltip(page: Page, x: number, y: number): Promise<string> {
  await page.mouse.move(x, y);
  return (await page.locator('#flame-own .tooltip').textContent()) ?? '';
}

test('flame graph (proflens view): a frame opens the menu, Focus stays in the tab, search highlights, double-click zooms', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([heap], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=flame`);
  // The default stays speedscope; the proflens view is one button away.
  await page.locator('#speedscope').waitFor();
  assert.equal(await page.locator('#flame-own').isHidden(), true);
  await page.click('#flame [data-view=proflens]');
  assert.equal(param(page, 'view'), 'proflens');
  assert.equal(await page.locator('#speedscope').isHidden(), true);

  // The root is the whole profile: go tool pprof -top go-heap.pb.gz says 57.23MB (100%).
  const root = await spot(page, 'all: 57.24MB');
  assert.match(await tooltip(page, root.x, root.y), /^all\n57\.24MB \(100\.00%\)$/);

  const big = await spot(page, 'main.allocateBig');
  await page.mouse.click(big.x, big.y);
  assert.deepEqual(await page.locator('#menu button').allTextContents(), ['Source', 'Peek', 'Sandwich', 'Focus', 'Ignore']);
  assert.equal(await page.locator('#menu .menu-title').textContent(), 'main.allocateBig');
  await screenshot(page, 'flame-actions-menu');
  await page.click('#menu button:text("Focus")');
  assert.equal(param(page, 'focus'), '^main\\.allocateBig$');
  assert.equal(param(page, 'tab'), 'flame');
  assert.equal(await page.locator('#menu').isHidden(), true);
  // Focused: go tool pprof -focus '^main\.allocateBig$' gives main.allocateBig's cum, 36MB, as the total.
  await redrawnWith(page, 'all: 36.00MB');
  assert.equal(await page.locator('#flame-own').isHidden(), false, 'still our flame graph');

  // Search: frames whose names contain the text are highlighted, the others not.
  await page.fill('#search', 'allocatebigger');
  assert.equal((await spot(page, 'main.allocateBigger')).match, true);
  assert.equal((await spot(page, 'main.allocateBig')).match, false);
  assert.equal(param(page, 'search'), 'allocatebigger');
  await screenshot(page, 'flame-actions-search');
  await page.fill('#search', '');

  // Double-click zooms: main.allocateBigger fills the width, and reset zoom brings the whole back.
  const bigger = await spot(page, 'main.allocateBigger');
  const whole = (await page.locator('#flame-own canvas').boundingBox())!.width;
  assert.ok(bigger.width < whole * 0.9, `not full width before: ${bigger.width} of ${whole}`);
  await page.mouse.dblclick(bigger.x, bigger.y);
  assert.ok(Math.abs((await spot(page, 'main.allocateBigger')).width - whole) < 1, 'zoomed to full width');
  await page.click('#flame-reset');
  assert.ok((await spot(page, 'main.allocateBigger')).width < whole * 0.9, 'reset zoom');
  await page.keyboard.press('Escape');

  // Ignore from a frame also stays in the tab.
  const fill = await spot(page, 'main.allocateBigger');
  await page.mouse.click(fill.x, fill.y);
  await page.click('#menu button:text("Ignore")');
  assert.equal(param(page, 'ignore'), '^main\\.allocateBigger$');
  assert.equal(param(page, 'tab'), 'flame');
  await screenshot(page, 'flame-actions-ignored');
  assert.deepEqual(log.errors, []);
});

test('flame graph (proflens view): a markup name is drawn and shown as text', { timeout: 60_000 }, async () => {
  const server = await web.started(serveProfile(hostileProfile()));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=flame&view=proflens`);
  const at = await spot(page, hostileName);
  assert.equal(await tooltip(page, at.x, at.y), `${hostileName}\n36.00MB (62.90%)`);
  await page.mouse.click(at.x, at.y);
  assert.equal(await page.locator('#menu .menu-title').textContent(), hostileName);
  await page.fill('#search', '<img');
  assert.equal((await spot(page, hostileName)).match, true);
  await screenshot(page, 'flame-actions-hostile');
  assert.equal(await page.evaluate('window.__pwned'), undefined);
  assert.equal(await page.locator('img, b').count(), 0, 'no element from a name');
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual(log.errors, []);
});
