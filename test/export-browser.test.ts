// The exports in a real browser (Debian's chromium through playwright-core): the offline HTML
// flame graph draws from its own file with no request, and shows hostile names as text; the
// speedscope JSON loads in the speedscope proflens bundles.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchChromium } from '../bench/web.js';
import { encodeProfile } from '../src/profile/encode.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';
import { hostileName, hostileName2, hostileProfile, screenshot } from './web-helpers.js';

const skip = !existsSync(chromiumPath) && `no chromium at ${chromiumPath}`;
let browser: Browser | undefined;
before(async () => {
  if (!skip) browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const fx = (name: string): string => join(repoRoot, 'fixtures', 'profiles', name);

test('flamegraph.html: one file that draws offline, hostile names as text, zoom and search', { skip, timeout: 60_000 }, async () => {
  const dir = scratchDir('flame-html');
  const source = join(dir, 'hostile.pb.gz');
  writeFileSync(source, encodeProfile(hostileProfile()));
  const out = join(dir, 'flame.html');
  const r = await runCli(['proto', '--format', 'flamegraph.html', '--output', out, source]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.ok(!/<script[^>]+src=|<link|https?:\/\/(?!www\.w3\.org)/i.test(html), 'no external script, stylesheet or URL');

  const page = await browser!.newPage({ viewport: { width: 1200, height: 700 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (q) => requests.push(q.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => void d.dismiss());
  await page.goto(pathToFileURL(out).href);
  await page.locator('#flame .f').first().waitFor();
  assert.deepEqual(requests, [pathToFileURL(out).href], 'the page loaded nothing but itself');
  assert.deepEqual(errors, []);
  const names = await page.locator('#flame .f').allTextContents();
  assert.ok(names.includes(hostileName), names.join(' | '));
  assert.ok(names.includes(hostileName2), names.join(' | '));
  assert.ok(names.includes('main.allocateBigger'));
  assert.equal(await page.evaluate('window.__pwned'), undefined);
  assert.equal(await page.locator('img, b').count(), 0, 'no element was made from a profile string');
  await screenshot(page, 'export-flame-html');

  // The root spans the page; a click on a frame zooms: it then spans the page too.
  const width = async (name: string): Promise<number> => (await page.locator('#flame .f', { hasText: name }).first().boundingBox())!.width;
  const full = await width('all');
  assert.ok((await width('main.allocateBigger')) < full * 0.9);
  await page.locator('#flame .f', { hasText: 'main.allocateBigger' }).first().click();
  assert.ok(Math.abs((await width('main.allocateBigger')) - full) < 2);
  await page.click('#reset');
  // Search marks matching frames and says how much they hold: main.allocateBigger is 24MB of inuse_space.
  await page.fill('#search', 'allocatebigger');
  assert.equal(await page.locator('#flame .f.m').count(), 1);
  assert.match((await page.locator('#info').textContent()) ?? '', /^Matched: 24MB \(/);
  await page.close();
});

test('speedscope export: loads in the bundled speedscope', { skip, timeout: 60_000 }, async () => {
  const r = await runCli(['proto', '--format', 'speedscope', fx('go-cpu.pb.gz')]);
  assert.equal(r.code, 0, r.stderr);
  // speedscope fetches #profileURL=…: serve its release folder and the file from 127.0.0.1.
  const dir = join(dirname(createRequire(import.meta.url).resolve('speedscope/package.json')), 'dist', 'release');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split(/[?#]/)[0]!;
    if (path === '/profile.json') return void res.end(r.stdout);
    const file = join(dir, path === '/' ? 'index.html' : path.slice(1));
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/#profileURL=${encodeURIComponent('/profile.json')}`;
    await page.goto(url);
    // speedscope titles the page with the profile's name once it has imported it.
    await page.waitForFunction('document.title.startsWith("go-cpu.pb.gz")', undefined, { timeout: 20_000 });
    await page.locator('canvas').first().waitFor();
    assert.deepEqual(errors, []);
    assert.equal(await page.locator('text=Something went wrong').count(), 0);
    await screenshot(page, 'export-speedscope');
    await page.close();
  } finally {
    server.close();
  }
});
