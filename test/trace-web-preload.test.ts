// The trace page asks for its meta and its modules at once (issue 18, speed): the HTML preloads
// the meta (at the URL trace.js fetches, so the preload is what it reads) and trace.js's imports,
// instead of each waiting for the module before it while the server prepares the first view.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';
import { webTestFile } from './web-helpers.js';
import { serveTrace, settled } from './trace-web-helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const { browser: chromium, started } = webTestFile();

test('the page asks for its meta before its script has run, once', { timeout: 60_000 }, async () => {
  const server = await started(serveTrace(fixture, 'tracesvc.trace'));
  const page = await chromium().newPage({ viewport: { width: 1280, height: 800 } });
  const asked: string[] = [];
  let sawMeta!: () => void;
  const metaAsked = new Promise<void>((resolve) => (sawMeta = resolve));
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    asked.push(path);
    if (path === '/api/trace/meta') sawMeta();
  });
  // trace.js is held until the meta is asked for (or 5 s): only a preload can ask for it then.
  let metaFirst = false;
  await page.route('**/ui/trace.js', async (route) => {
    metaFirst = await Promise.race([metaAsked.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    await route.continue();
  });
  await page.goto(server.url);
  const s = await settled(page);
  assert.ok(s.ready);
  assert.ok(metaFirst, `requests: ${asked.join(' ')}`);
  assert.equal(asked.filter((p) => p === '/api/trace/meta').length, 1, `requests: ${asked.join(' ')}`);
  await page.close();
});
