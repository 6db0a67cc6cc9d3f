// The web UI's label frames with a base (issue 21): the Compare tab and the diff flame graph add
// the tagroot frames to both profiles, as `proflens diff --tagroot` does (see
// diff-label-frames.test.ts for Go's numbers), and a tagroot or other refine field given on the
// command line shows in the form and can be cleared there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fixtureConfig, openPage, profiles, screenshot, serve, webTestFile } from './web-helpers.js';

const web = webTestFile();
const base = join(profiles, 'go-heap-early.pb.gz');
const heap = join(profiles, 'go-heap.pb.gz');
const param = (page: Page, k: string): string | null => new URL(page.url()).searchParams.get(k);

/** compareRow reads the Compare tab's row of a name: base, new, delta, delta% as shown. */
async function compareRow(page: Page, name: string): Promise<string[]> {
  const row = page.locator('#compare tbody tr', { has: page.locator(`td.name[title="${name}"]`) });
  await row.waitFor({ timeout: 15_000 });
  return (await row.locator('td').allTextContents()).slice(0, 4);
}

test('Compare tab and diff flame graph with tagroot: label frames on both sides, as proflens diff --tagroot', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([heap], { base: [base], config: fixtureConfig({ cum: true }), title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=compare&tagroot=bytes`);
  // go tool pprof -diff_base=go-heap-early.pb.gz -tagroot=bytes: 25165824 grew 24576kB, 12582912 12288kB.
  assert.deepEqual(await compareRow(page, '25165824'), ['0', '24MB', '+24MB', 'new']);
  assert.deepEqual(await compareRow(page, '12582912'), ['0', '12MB', '+12MB', 'new']);

  // The diff flame graph: 25165824 right under the root, nothing of it in the base; 1024 (20000kB) in both.
  const d = (await (await fetch(`${server.url}api/diff?tagroot=bytes`)).json()) as { names: string[]; frame: number[]; parent: number[]; current: number[]; base: number[] };
  const at = (name: string): number => d.frame.findIndex((f, i) => i > 0 && d.names[f] === name);
  const big = at('25165824');
  assert.ok(big > 0, '25165824 is a frame of the diff flame graph');
  assert.equal(d.parent[big], 0);
  assert.deepEqual([d.base[big], (d.current[big]! / 1024 ** 2).toFixed(2)], [0, '24.00']);
  const kB = at('1024');
  assert.deepEqual([(d.base[kB]! / 1024).toFixed(0), (d.current[kB]! / 1024).toFixed(0)], ['20000', '20000']);
  await page.click('#tabs [data-tab=diff]');
  await page.locator('#diff canvas[data-frames]').waitFor({ timeout: 15_000 });
  assert.ok(await page.evaluate(`!!document.querySelector('#diff .canvas-box').frameRect('25165824')`), 'drawn');
  await screenshot(page, 'diff-flame-tagroot');
  assert.deepEqual(log.errors, []);
});

test('a tagroot from the command line fills the field, and an emptied field clears it', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([heap], { config: fixtureConfig({ tagRoot: 'bytes' }), title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=top`);
  const field = page.locator('#refine input[name=tagroot]');
  const labelRow = page.locator('#top tbody tr', { has: page.locator('td.name[title="25165824"]') });
  await labelRow.waitFor({ timeout: 15_000 });
  assert.equal(await field.inputValue(), 'bytes');
  // Emptied and applied: no label frames, and the address says so (an empty tagroot, not none).
  await field.fill('');
  await page.click('#refine button[type=submit]');
  assert.equal(param(page, 'tagroot'), '');
  // The new table: its label row gone (main.allocateBig is a row of both tables: waiting for it
  // passed before the table was redrawn on a busy machine).
  await labelRow.waitFor({ state: 'detached', timeout: 15_000 });
  await page.locator('#top tbody tr', { has: page.locator('td.name[title="main.allocateBig"]') }).waitFor({ timeout: 15_000 });
  assert.equal(await labelRow.count(), 0);
  assert.equal(await field.inputValue(), '');
  // Reloaded, it stays cleared; the flame graph's file has no label frame either.
  await page.reload();
  await page.locator('#top tbody tr').first().waitFor({ timeout: 15_000 });
  assert.equal(await labelRow.count(), 0);
  assert.equal(await field.inputValue(), '');
  const flame = (await (await fetch(`${server.url}api/flame?tagroot=`)).json()) as { shared: { frames: { name: string }[] } };
  assert.ok(!flame.shared.frames.some((f) => f.name === '25165824'), 'no label frames in the flame graph');
  // Reset: back to the command line's.
  await page.click('#reset');
  await labelRow.waitFor({ timeout: 15_000 });
  assert.equal(param(page, 'tagroot'), null);
  assert.equal(await field.inputValue(), 'bytes');
  // Typing the command line's value again leaves the address clean.
  await field.fill('bytes');
  await page.click('#refine button[type=submit]');
  assert.equal(param(page, 'tagroot'), null);
  assert.deepEqual(log.errors, []);
});
