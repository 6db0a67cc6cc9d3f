// The web UI's normalize switch (issue 15.9): the diff flame graph and every other view scale the
// sources to the base's totals as pprof's -normalize does, by the command line's default or the
// page's switch. The two profiles are the same stacks, the sources' values ten times the base's:
// normalized, nothing changed; not normalized, everything grew.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../bench/web.js';
import { encodeProfile } from '../src/profile/encode.js';
import { parseProfile } from '../src/profile/parse.js';
import { scaleSamples } from '../src/profile/transform.js';
import { loadWebProfiles } from '../src/web/load.js';
import { type WebServer, startWebServer } from '../src/web/server.js';
import { WebSession } from '../src/web/session.js';
import { scratchDir } from './helpers.js';
import { fixtureConfig, openPage, profiles, screenshot } from './web-helpers.js';

interface DiffData {
  names: string[];
  frame: number[];
  current: number[];
  base: number[];
}
interface TopData {
  labels: string[];
  rows: { name: string; flat: number }[];
}

const dir = scratchDir('web-normalize');
const basePath = join(dir, 'base.pb.gz');
const tenfoldPath = join(dir, 'tenfold.pb.gz');
const servers: WebServer[] = [];
let browser: Browser | undefined;

before(() => {
  const base = parseProfile(readFileSync(join(profiles, 'go-cpu.pb.gz')), 'go-cpu.pb.gz');
  writeFileSync(basePath, encodeProfile(base));
  writeFileSync(tenfoldPath, encodeProfile(scaleSamples(base, base.sampleTypes.map(() => 10))));
});
after(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

/** serveDiff serves the tenfold profile against the base, as `proflens web [--normalize] --base base tenfold` loads them. */
async function serveDiff(normalize: boolean): Promise<WebServer> {
  const loaded = await loadWebProfiles([tenfoldPath], { base: [basePath], normalize });
  const server = await startWebServer({ session: new WebSession({ ...loaded, config: fixtureConfig(), title: 'tenfold' }) });
  servers.push(server);
  return server;
}

async function getJSON<T>(server: WebServer, path: string): Promise<{ status: number; body: T }> {
  const r = await fetch(new URL(path, server.url));
  return { status: r.status, body: (await r.json()) as T };
}

/** framesThatChanged lists the frames whose values differ between the base and the sources. */
function framesThatChanged(d: DiffData): string[] {
  return d.frame.flatMap((f, i) => (d.current[i] !== d.base[i] ? [i === 0 ? 'root' : d.names[f]!] : []));
}

test('the diff flame graph follows normalize, from the command line or the page', async () => {
  const plain = await serveDiff(false);
  const raw = (await getJSON<DiffData>(plain, '/api/diff')).body;
  assert.ok(raw.frame.length > 3);
  // Not normalized: every frame is ten times its base value (red on the page).
  for (let i = 0; i < raw.frame.length; i++) assert.equal(raw.current[i], 10 * raw.base[i]!, raw.names[raw.frame[i]!]);
  assert.ok(raw.base[0]! > 0);

  const switched = (await getJSON<DiffData>(plain, '/api/diff?normalize=1')).body;
  assert.deepEqual(framesThatChanged(switched), []);
  assert.deepEqual(switched.base, raw.base);

  const normalized = await serveDiff(true);
  assert.deepEqual(framesThatChanged((await getJSON<DiffData>(normalized, '/api/diff')).body), []);
  // The page can turn the command line's --normalize off.
  assert.deepEqual((await getJSON<DiffData>(normalized, '/api/diff?normalize=0')).body.current, raw.current);
  assert.equal((await getJSON<{ normalize: boolean }>(normalized, '/api/meta')).body.normalize, true);
});

test('Top follows the same switch: the normalized difference of identical stacks is empty', async () => {
  const plain = await serveDiff(false);
  const top = (await getJSON<TopData>(plain, '/api/top')).body;
  assert.ok(top.rows.some((r) => r.flat > 0), 'not normalized, the sources less the base are 9 times the base');
  const n = (await getJSON<TopData>(plain, '/api/top?normalize=1')).body;
  assert.deepEqual(n.rows, []);
  assert.ok(n.labels.some((l) => /Total samples = 0\b/.test(l)), n.labels.join('\n'));
  // Back again: the loaded profile, not the normalized one kept from the request before.
  assert.deepEqual((await getJSON<TopData>(plain, '/api/top?normalize=0')).body.rows, top.rows);
});

test('normalize without a base, or a value that is not 0 or 1, is a bad request', async () => {
  const loaded = await loadWebProfiles([basePath], {});
  const server = await startWebServer({ session: new WebSession({ ...loaded, config: fixtureConfig(), title: 'alone' }) });
  servers.push(server);
  const alone = await getJSON<{ error: string }>(server, '/api/top?normalize=1');
  assert.equal(alone.status, 400);
  assert.equal(alone.body.error, 'must have base profile to normalize by');
  const bad = await getJSON<{ error: string }>(await serveDiff(false), '/api/diff?normalize=yes');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /normalize "yes" is not 1 or 0/);
});

test('the page has a normalize switch, kept in its address, that changes the diff requested', { timeout: 60_000 }, async () => {
  browser = await launchChromium();
  const server = await serveDiff(false);
  const { page, log } = await openPage(browser, `${server.url}?tab=diff`);
  const box = page.locator('#diff .canvas-box');
  await page.locator('#diff canvas[data-frames]').waitFor();
  const raw = (await getJSON<DiffData>(server, '/api/diff')).body;
  // The widest frame below the root: drawn first, in the root's first child slot.
  const name = raw.names[raw.frame[1]!]!;
  const colourOf = async (): Promise<number[]> => {
    const at = await box.evaluate((b, n) => (b as unknown as { frameRect(n: string): { x: number; y: number } | undefined }).frameRect(n), name);
    assert.ok(at, `${name} is drawn`);
    return (await page.evaluate(`(() => {
      const c = document.querySelector('#diff canvas');
      const k = c.width / c.clientWidth;
      return Array.from(c.getContext('2d').getImageData(Math.round(${at.x} * k), Math.round(${at.y} * k), 1, 1).data).slice(0, 3);
    })()`)) as number[];
  };
  const [r, g] = await colourOf();
  assert.ok(r! > 150 && g! < 120, `not normalized, ${name} is red: ${r},${g}`);

  const toggle = page.locator('#normalize');
  assert.equal(await toggle.isVisible(), true);
  assert.equal(await toggle.isChecked(), false);
  const answered = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/diff');
  await toggle.check();
  assert.equal(new URL((await answered).url()).searchParams.get('normalize'), '1');
  assert.equal(new URL(page.url()).searchParams.get('normalize'), '1');
  // Redrawn grey: unchanged (#c4c7cc).
  let colour = await colourOf();
  for (let tries = 0; tries < 50 && colour.join() !== '196,199,204'; tries++) {
    await page.waitForTimeout(100);
    colour = await colourOf();
  }
  assert.deepEqual(colour, [196, 199, 204]);
  await screenshot(page, 'diff-flame-normalized');

  // Reloaded, the page keeps the switch; Top asks with it too.
  await page.reload();
  // The switch is set from the address once the page has its meta: wait for the page to have
  // drawn (asking at once raced the page's start, and failed one run in three).
  await page.locator('#diff canvas[data-frames]').waitFor();
  assert.equal(await page.locator('#normalize').isChecked(), true);
  const topAsked = page.waitForRequest((req) => new URL(req.url()).pathname === '/api/top');
  await page.locator('#tabs [data-tab=top]').click();
  assert.equal(new URL((await topAsked).url()).searchParams.get('normalize'), '1');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});
