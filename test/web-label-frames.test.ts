// The web UI's tagroot and tagleaf fields (issue 21): label values become frames at the root or
// the leaf of every stack, as `proflens top --tagroot` and `go tool pprof -tagroot` make them. The
// expected rows were printed by `go tool pprof -symbolize=none -tagroot=bytes -top go-heap.pb.gz`
// (Go 1.19); the test also compares them with proflens's CLI. A screenshot of the option goes to
// test-artifacts/ (git-ignored).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runCli } from './helpers.js';
import { openPage, profiles, screenshot, serve, webTestFile } from './web-helpers.js';

const web = webTestFile();
const heap = join(profiles, 'go-heap.pb.gz');
const param = (page: Page, k: string): string | null => new URL(page.url()).searchParams.get(k);

/** topRow reads Top's row of a name: its flat and cum as printed. */
async function topRow(page: Page, name: string): Promise<{ flat: string; cum: string }> {
  const row = page.locator('#top tbody tr', { has: page.locator(`td.name[title="${name}"]`) });
  await row.waitFor({ timeout: 15_000 });
  const cells = await row.locator('td').allTextContents();
  return { flat: cells[0]!, cum: cells[3]! };
}

/** cliCum is the cum column of a name in `proflens top` with the given flags. */
async function cliCum(flags: string[], name: string): Promise<string> {
  const r = await runCli(['top', ...flags, heap]);
  const line = r.stdout.split('\n').find((l) => l.trim().split(/\s+/).slice(5).join(' ') === name);
  assert.ok(line, `${name} in:\n${r.stdout}`);
  return line.trim().split(/\s+/)[3]!;
}

test('tagroot in the refine form: label values are frames at the root, with the numbers of go tool pprof -tagroot', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([heap], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=top`);
  await page.locator('#top tbody tr').first().waitFor({ timeout: 15_000 });
  await page.fill('#refine input[name=tagroot]', 'bytes');
  await page.click('#refine button[type=submit]');
  assert.equal(param(page, 'tagroot'), 'bytes');
  // go tool pprof -tagroot=bytes -top: "0 0% 99.62% 24MB 41.93% 25165824" and "19.53MB 34.12% 1024".
  assert.deepEqual(await topRow(page, '25165824'), { flat: '0', cum: '24MB' });
  assert.deepEqual(await topRow(page, '1024'), { flat: '0', cum: '19.53MB' });
  assert.equal(await cliCum(['--tagroot', 'bytes'], '25165824'), '24MB');
  assert.equal(await cliCum(['--tagroot', 'bytes'], '1024'), '19.53MB');
  await screenshot(page, 'label-frames-tagroot-top');

  // The flame graph has them too, right under the root: the proflens view draws 25165824 at depth 1.
  await page.click('#tabs [data-tab=flame]');
  await page.click('#flame [data-view=proflens]');
  await page.locator('#flame-own canvas[data-frames]').waitFor({ timeout: 15_000 });
  const at = (await page.evaluate(`document.querySelector('#flame-own').frameAt('25165824')`)) as { y: number } | undefined;
  assert.ok(at, '25165824 is a frame of the flame graph');
  assert.ok(at.y > 18 && at.y < 36, `right under the root: y ${at.y}`);
  const flame = JSON.parse(await (await fetch(`${server.url}api/flame?tagroot=bytes`)).text()) as { shared: { frames: { name: string }[] } };
  assert.ok(flame.shared.frames.some((f) => f.name === '1024'), 'the speedscope file has the label frames');
  await screenshot(page, 'label-frames-tagroot-flame');
  assert.deepEqual(log.errors, []);
});

test('tagleaf: label values are frames below the leaves, as the CLI makes them', { timeout: 60_000 }, async () => {
  const server = await web.started(serve([heap], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=top&tagleaf=bytes`);
  // At the leaf a label frame holds the flat values: go tool pprof -tagleaf=bytes -top puts 24MB flat on 25165824.
  const row = await topRow(page, '25165824');
  // Read once the page has drawn: the form is filled when the profile's facts have arrived.
  assert.equal(await page.locator('#refine input[name=tagleaf]').inputValue(), 'bytes');
  assert.deepEqual(row, { flat: '24MB', cum: '24MB' });
  assert.equal(await cliCum(['--tagleaf', 'bytes'], '25165824'), row.cum);
  // Reset clears the label keys with the filters.
  await page.click('#reset');
  assert.equal(param(page, 'tagleaf'), null);
  assert.deepEqual(log.errors, []);
});
