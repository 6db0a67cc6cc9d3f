// speedscope's view keys in the Flame tab (issue 21): 1, 2 and 3 switch speedscope to Time Order,
// Left Heavy and Sandwich inside its frame; the page's toolbar and address follow, without
// loading speedscope again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { flameFrameNames, openPage, profiles, serve, webTestFile } from './web-helpers.js';

const web = webTestFile();
const heap = join(profiles, 'go-heap.pb.gz');

/** active is the views of the toolbar's highlighted buttons. */
const active = (page: Page): Promise<string[]> => page.evaluate(`[...document.querySelectorAll('#flame [data-view].active')].map((b) => b.dataset.view)`) as Promise<string[]>;

/**
 * speedscopeView is the view speedscope shows: the name of its toolbar's highlighted tab. Its three
 * tabs (an emoji, then the name) share one class but the selected one (hashed style class names).
 */
async function speedscopeView(page: Page): Promise<string> {
  const frame = page.frames().find((f) => f.url().includes('/speedscope/'))!;
  return (await frame.evaluate(`(() => {
    const tabs = [...document.querySelectorAll('div')].filter((d) => d.children.length === 1 && /(Time Order|Left Heavy|Sandwich)$/.test(d.textContent));
    const odd = tabs.filter((d) => tabs.filter((e) => e.className === d.className).length === 1);
    return odd.map((d) => /(Time Order|Left Heavy|Sandwich)$/.exec(d.textContent)[1]).join(',');
  })()`)) as string;
}

test('speedscope keys 1, 2, 3: the toolbar and the address follow its view, the frame stays loaded', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([heap], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=flame`);
  await flameFrameNames(page);
  assert.deepEqual(await active(page), ['left-heavy']);
  assert.equal(await speedscopeView(page), 'Left Heavy');
  // A mark in speedscope's window: gone if the frame were loaded again.
  const speedscope = (): NonNullable<ReturnType<Page['frames']>[number]> => page.frames().find((f) => f.url().includes('/speedscope/'))!;
  await speedscope().evaluate('window.mark = 1');
  // Keys typed in speedscope's frame, as after a click in it.
  await speedscope().evaluate('window.focus()');
  const view = (): string | null => new URL(page.url()).searchParams.get('view');
  for (const [key, want, name] of [['1', 'time-ordered', 'Time Order'], ['3', 'sandwich', 'Sandwich'], ['2', 'left-heavy', 'Left Heavy']] as const) {
    await page.keyboard.press(key);
    await page.waitForFunction(`document.querySelector('#flame [data-view].active')?.dataset.view === ${JSON.stringify(want)}`, undefined, { timeout: 5_000 }).catch(() => {});
    assert.deepEqual(await active(page), [want], `key ${key}`);
    assert.equal(view(), want);
    assert.equal(await speedscopeView(page), name);
  }
  assert.equal(await speedscope().evaluate('window.mark'), 1, 'the same speedscope document');
  // The toolbar's own buttons still load speedscope in their view.
  await page.click('#flame [data-view=time-ordered]');
  assert.equal(view(), 'time-ordered');
  await flameFrameNames(page);
  assert.equal(await speedscopeView(page), 'Time Order');
  assert.deepEqual(log.errors, []);
});
