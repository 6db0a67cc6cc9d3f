// The diff flame graph in the page's light and dark themes (issue 21): its frames, root and
// unchanged grey follow the theme as the proflens flame graph does, and the growth stays red in
// both. Screenshots of both themes go to test-artifacts/ (git-ignored).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openPage, profiles, screenshot, serve, webTestFile } from './web-helpers.js';

const web = webTestFile();
const base = join(profiles, 'go-heap-early.pb.gz');
const heap = join(profiles, 'go-heap.pb.gz');

/** framePixel reads the diff canvas's colour just inside a frame's top-left corner, as [r, g, b]. */
async function framePixel(page: Page, name: string): Promise<number[]> {
  return (await page.evaluate(`(() => {
    const box = document.querySelector('#diff .canvas-box');
    const f = box.frameRect(${JSON.stringify(name)});
    const c = box.querySelector('canvas');
    const k = c.width / c.getBoundingClientRect().width;
    return [...c.getContext('2d').getImageData(Math.round((f.left + 2) * k), Math.round((f.top + 2) * k), 1, 1).data].slice(0, 3);
  })()`)) as number[];
}

/** luma is a colour's Rec. 601 luma, 0 to 255. */
const luma = ([r, g, b]: number[]): number => 0.3 * r! + 0.59 * g! + 0.11 * b!;

test('diff flame graph follows the theme: dark frames in dark, light ones in light, growth red in both', { timeout: 90_000 }, async () => {
  const server = await web.started(serve([heap], { base: [base], title: 'go-heap.pb.gz' }));
  for (const scheme of ['dark', 'light'] as const) {
    const { page, log } = await openPage(web.browser(), `${server.url}?tab=diff`);
    await page.emulateMedia({ colorScheme: scheme });
    await page.reload();
    await page.locator('#diff canvas[data-frames]').waitFor({ timeout: 15_000 });
    // go tool pprof -diff_base: main.allocateBig is new (+36MB); main.fillCache moved 0.41% (grey).
    const root = await framePixel(page, 'all: 57.24MB (base 21.24MB)');
    const same = await framePixel(page, 'main.fillCache');
    const grew = await framePixel(page, 'main.allocateBig');
    const [r, g, b] = grew as [number, number, number];
    assert.ok(r > g + 80 && r > b + 80, `${scheme}: growth is red: ${grew}`);
    if (scheme === 'dark') {
      assert.ok(luma(root) < 0.2 * 255 && luma(same) < 0.25 * 255, `dark root and unchanged frame: ${root} and ${same}`);
      // Light names (#d0d0d0) on the full red: the frame stays dark enough to read them.
      assert.ok(luma(grew) < 0.4 * 255, `dark growth: ${grew}`);
    } else {
      assert.ok(luma(root) > 0.8 * 255 && luma(same) > 0.7 * 255, `light root and unchanged frame: ${root} and ${same}`);
    }
    // The legend's swatches are the frames' colours.
    const swatch = await page.evaluate(`getComputedStyle(document.querySelector('.legend.same'), '::before').backgroundColor`);
    assert.equal(swatch, `rgb(${same.join(', ')})`);
    await screenshot(page, `diff-flame-${scheme}`);
    assert.deepEqual(log.errors, []);
    await page.close();
  }
});
