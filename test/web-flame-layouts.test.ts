// The Flame tab (issue 21): one toolbar row (speedscope's own is scrolled out of its frame, its
// views and export offered by the page's row), proflens's flame graph in the page's light or dark
// theme with speedscope's colours, and its Time Order and Sandwich layouts. Screenshots of both
// themes go to test-artifacts/ (git-ignored).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runCli, scratchDir } from './helpers.js';
import { msg, stringTable, v, varint } from './proto-bytes.js';
import { flameFrameNames, openPage, profiles, screenshot, serve, webTestFile } from './web-helpers.js';

const web = webTestFile();
const heap = join(profiles, 'go-heap.pb.gz');

type Level = { name: string; value: number }[];

/** drawn waits until a canvas box of the proflens flame graph has drawn, and returns the frames at depth d. */
async function level(page: Page, box: string, d: number): Promise<Level> {
  await page.locator(`${box} canvas[data-frames]`).waitFor({ timeout: 15_000 });
  return (await page.evaluate(`document.querySelector(${JSON.stringify(box)}).level(${d})`)) as Level;
}

/** pixel reads the colour the canvas of box has at a frame's top-left corner, inside it, as [r, g, b]. */
async function framePixel(page: Page, box: string, name: string): Promise<number[]> {
  await page.locator(`${box} canvas[data-frames]`).waitFor({ timeout: 15_000 });
  return (await page.evaluate(`(() => {
    const box = document.querySelector(${JSON.stringify(box)});
    const f = box.frameAt(${JSON.stringify(name)});
    const c = box.querySelector('canvas');
    const k = c.width / c.getBoundingClientRect().width;
    return [...c.getContext('2d').getImageData(Math.round((f.left + 2) * k), Math.round((f.top + 2) * k), 1, 1).data].slice(0, 3);
  })()`)) as number[];
}

/** luma is a colour's Rec. 601 luma, 0 to 255. */
const luma = ([r, g, b]: number[]): number => 0.3 * r! + 0.59 * g! + 0.11 * b!;

test('Flame tab: one toolbar row; speedscope\'s own toolbar is out of sight, its views and export in the page\'s row', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([heap], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=flame`);
  // speedscope still draws the profile.
  assert.ok((await flameFrameNames(page)).includes('main.allocateBig'));
  // speedscope's toolbar (its Time Order, Left Heavy, Sandwich buttons) lies above the frame's visible box.
  const theirs = (await page.frameLocator('#speedscope').getByText('Sandwich').first().boundingBox())!;
  const shown = (await page.locator('#speedscope-box').boundingBox())!;
  assert.ok(theirs.y + theirs.height <= shown.y + 0.5, `speedscope's toolbar ends at ${theirs.y + theirs.height}, the frame's box starts at ${shown.y}`);
  // One visible row of view buttons: the page's, with speedscope's three views and proflens's three.
  const rows = page.locator('#flame .row:visible');
  assert.equal(await rows.count(), 1);
  assert.deepEqual(await rows.locator('[data-view]').allTextContents(), ['Left Heavy', 'Time Order', 'Sandwich', 'Left Heavy', 'Time Order', 'Sandwich']);
  // Export (speedscope's, now in our row): the flame graph's speedscope file, with the page's filters.
  await page.click('#flame [data-view=proflens]');
  const href = (await page.getAttribute('#flame-export', 'href'))!;
  assert.equal(await page.getAttribute('#flame-export', 'download'), 'profile.speedscope.json');
  const file = (await (await fetch(new URL(href, page.url()))).json()) as { $schema: string; profiles: { endValue: number }[] };
  assert.equal(file.$schema, 'https://www.speedscope.app/file-format-schema.json');
  // go tool pprof -top go-heap.pb.gz: 57.24MB total; the file's values are bytes.
  assert.equal((file.profiles[0]!.endValue / 1024 / 1024).toFixed(2), '57.24');
  assert.deepEqual(log.errors, []);
});

test('proflens flame graph follows the theme: dark frames on speedscope\'s dark background, light ones in light', { timeout: 90_000 }, async () => {
  const server = await web.started(serve([heap], { title: 'go-heap.pb.gz' }));
  for (const scheme of ['dark', 'light'] as const) {
    const { page, log } = await openPage(web.browser(), `${server.url}?tab=flame&view=proflens`);
    await page.emulateMedia({ colorScheme: scheme });
    await page.reload();
    const frame = await framePixel(page, '#flame-own', 'main.allocateBig');
    const root = await framePixel(page, '#flame-own', 'all: 57.24MB');
    // speedscope's dark palette keeps frames' luma between 0.1 and 0.2, its light one between 0.65 and 0.8.
    if (scheme === 'dark') {
      assert.ok(luma(frame) < 0.25 * 255 && luma(root) < 0.25 * 255, `dark frames: ${frame} and ${root}`);
    } else {
      assert.ok(luma(frame) > 0.6 * 255 && luma(root) > 0.6 * 255, `light frames: ${frame} and ${root}`);
    }
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(bg, scheme === 'dark' ? 'rgb(6, 6, 6)' : 'rgb(255, 255, 255)');
    await screenshot(page, `flame-own-${scheme}`);
    await page.fill('#search', 'fill');
    await page.locator('#flame-own canvas[data-matches="1"]').waitFor();
    await screenshot(page, `flame-own-${scheme}-search`);
    await page.goto(`${server.url}?tab=flame&view=proflens-sandwich&fn=main.allocateBig`);
    const callee = await framePixel(page, '#sandwich-callees', 'main.allocateBigger');
    assert.ok(scheme === 'dark' ? luma(callee) < 0.25 * 255 : luma(callee) > 0.6 * 255, `sandwich frame: ${callee}`);
    await screenshot(page, `flame-own-${scheme}-sandwich`);
    await page.goto(`${server.url}?tab=flame&view=left-heavy`);
    await flameFrameNames(page);
    await screenshot(page, `flame-speedscope-${scheme}`);
    assert.deepEqual(log.errors, []);
    await page.close();
  }
});

test('Sandwich (proflens): a function\'s callers above and callees below, the numbers of proflens peek', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([heap], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=flame&view=proflens`);
  // From a frame's menu: Sandwich.
  await page.locator('#flame-own canvas[data-frames]').waitFor({ timeout: 15_000 });
  const at = (await page.evaluate(`document.querySelector('#flame-own').frameAt('main.fillCache')`)) as { x: number; y: number };
  const canvas = (await page.locator('#flame-own canvas').boundingBox())!;
  await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
  await page.click('#menu button:text("Sandwich")');
  const q = new URL(page.url()).searchParams;
  assert.deepEqual([q.get('tab'), q.get('view'), q.get('fn')], ['flame', 'proflens-sandwich', 'main.fillCache']);

  // proflens peek '^main\.fillCache$' (as go tool pprof -peek prints it):
  //   21743.71kB 100% | main.main.func1 / main.fillCache cum 21743.71kB / 218.34kB 1.00% | strconv.Itoa (inline)
  const peek = (await runCli(['peek', '^main\\.fillCache$', heap])).stdout;
  const kB = (n: number): string => `${(n / 1024).toFixed(2)}kB`;
  const callers = [await level(page, '#sandwich-callers', 0), await level(page, '#sandwich-callers', 1)];
  assert.deepEqual(callers[0]!.map((f) => f.name), ['main.fillCache']);
  assert.match(peek, new RegExp(`${kB(callers[0]![0]!.value)} 37\\.10% +\\| main\\.fillCache`));
  assert.deepEqual(callers[1]!.map((f) => f.name), ['main.main.func1']);
  assert.match(peek, new RegExp(`${kB(callers[1]![0]!.value)} +100% \\| +main\\.main\\.func1`));
  // The callers' chain up to runtime.main, read off proflens tree by hand.
  const chain = [];
  for (let d = 2; d <= 4; d++) chain.push(...(await level(page, '#sandwich-callers', d)).map((f) => f.name));
  assert.deepEqual(chain, ['proflens/fixtures/internal/serve.Main', 'main.main', 'runtime.main']);
  const callees = await level(page, '#sandwich-callees', 1);
  assert.deepEqual(callees.map((f) => f.name), ['strconv.Itoa']);
  assert.match(peek, new RegExp(`${kB(callees[0]!.value)} +1\\.00% \\| +strconv\\.Itoa`));
  // The callers are drawn upwards: the function's row is the lowest of the upper half.
  const callersBox = (await page.locator('#sandwich-callers').boundingBox())!;
  const self = (await page.evaluate(`document.querySelector('#sandwich-callers').frameAt('main.fillCache')`)) as { top: number };
  const up = (await page.evaluate(`document.querySelector('#sandwich-callers').frameAt('runtime.main')`)) as { top: number };
  assert.ok(up.top < self.top, 'callers above the function');
  assert.ok(self.top > callersBox.height - 40, `the function at the bottom of the callers' half: ${self.top} of ${callersBox.height}`);
  await screenshot(page, 'flame-own-sandwich');
  // A click in the sandwich opens the same menu (Source, Peek, Sandwich, Focus, Ignore).
  const callee = (await page.evaluate(`document.querySelector('#sandwich-callees').frameAt('strconv.Itoa')`)) as { x: number; y: number };
  const lower = (await page.locator('#sandwich-callees canvas').boundingBox())!;
  await page.mouse.click(lower.x + callee.x, lower.y + callee.y);
  assert.deepEqual(await page.locator('#menu button').allTextContents(), ['Source', 'Peek', 'Sandwich', 'Focus', 'Ignore']);
  assert.deepEqual(log.errors, []);
});

/** twoCalls is a profile of two samples, main→b (1) first, then main→a (5): Time Order and Left Heavy differ. */
function twoCalls(): string {
  const packed = (num: number, xs: number[]): number[] => msg(num, xs.flatMap(varint));
  const loc = (id: number): number[] => msg(4, [...v(1, id), ...msg(4, [...v(1, id), ...v(2, 10)])]);
  const fn = (id: number, name: number): number[] => msg(5, [...v(1, id), ...v(2, name), ...v(4, 6)]);
  const bytes = [
    ...msg(1, [...v(1, 1), ...v(2, 2)]),
    ...msg(2, [...packed(1, [3, 1]), ...packed(2, [1])]),
    ...msg(2, [...packed(1, [2, 1]), ...packed(2, [5])]),
    ...loc(1), ...loc(2), ...loc(3),
    ...fn(1, 3), ...fn(2, 4), ...fn(3, 5),
    ...stringTable(['', 'samples', 'count', 'main', 'a', 'b', 'main.go']),
  ];
  const path = join(scratchDir('flame-layouts'), 'two-calls.pb');
  writeFileSync(path, Buffer.from(bytes));
  return path;
}

test('Time Order (proflens): siblings in the order the profile has them; Left Heavy: largest first', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([twoCalls()], { title: 'two-calls.pb' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=flame&view=proflens-time`);
  assert.deepEqual(await level(page, '#flame-own', 2), [{ name: 'b', value: 1 }, { name: 'a', value: 5 }]);
  await page.click('#flame [data-view=proflens]');
  await page.waitForFunction(`document.querySelector('#flame-own').level(2)[0]?.name === 'a'`);
  assert.deepEqual(await level(page, '#flame-own', 2), [{ name: 'a', value: 5 }, { name: 'b', value: 1 }]);
  assert.deepEqual(log.errors, []);
});
