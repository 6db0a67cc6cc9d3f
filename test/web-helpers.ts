// Helpers for the web UI tests: serve a profile in-process, drive Debian's chromium, keep
// screenshots, and make the hostile-name profile.

import { mkdirSync, readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { defaultConfig, type Config } from '../src/driver/config.js';
import type { Profile } from '../src/profile/model.js';
import { parseProfile } from '../src/profile/parse.js';
import { loadWebProfiles } from '../src/web/load.js';
import { type WebServer, startWebServer } from '../src/web/server.js';
import { WebSession } from '../src/web/session.js';
import { launchChromium } from '../bench/web.js';
import { repoRoot } from './helpers.js';

export const profiles = join(repoRoot, 'fixtures', 'profiles');
export const artifacts = join(repoRoot, 'test-artifacts');

/**
 * fixtureConfig finds the Go fixtures' sources in this checkout: the profiles name the paths of
 * the machine they were recorded on (/work/main/fixtures/…), as the list golden cases do.
 */
export function fixtureConfig(over: Partial<Config> = {}): Config {
  return { ...defaultConfig(), trimPath: '/work/main', sourcePath: repoRoot, ...over };
}

/** serve starts a web server for the given sources (and base), bound to 127.0.0.1 on a free port. */
export async function serve(sources: string[], o: { base?: string[]; config?: Config; title?: string } = {}): Promise<WebServer> {
  const loaded = await loadWebProfiles(sources, { ...(o.base && { base: o.base }) });
  return serveProfile(loaded.profile, { ...o, ...(loaded.diff && { diff: loaded.diff }) });
}

/** serveProfile serves a profile built in memory. */
export function serveProfile(profile: Profile, o: { config?: Config; title?: string; diff?: { current: Profile; base: Profile } } = {}): Promise<WebServer> {
  const session = new WebSession({
    profile,
    ...(o.diff && { diff: o.diff }),
    config: o.config ?? fixtureConfig(),
    title: o.title ?? 'fixture',
  });
  return startWebServer({
    session,
    // A server error fails the test that caused it through the response; show why.
    onError: (e) => console.error('web server error:', e),
  });
}


/** PageLog collects what a page did that a test may want to forbid. */
export interface PageLog {
  readonly errors: string[];
  readonly dialogs: string[];
  readonly foreignRequests: string[];
}

/** openPage opens a page at url; requests to any other origin are refused and logged. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const origin = new URL(url).origin;
  const log: PageLog = { errors: [], dialogs: [], foreignRequests: [] };
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank') return route.continue();
    log.foreignRequests.push(u);
    return route.abort();
  });
  await page.goto(url);
  return { page, log };
}

/** screenshot saves the page as test-artifacts/<name>.png (git-ignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  // speedscope draws its text once its font has loaded: wait for it, and a frame to be painted.
  for (const f of page.frames()) await f.evaluate('document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(r)))').catch(() => {});
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

/**
 * flameFrameName hovers down the left edge of speedscope's flame chart until its tooltip names a
 * frame: speedscope draws frames on a canvas, so the tooltip is where their names reach the DOM.
 */
export async function flameFrameNames(page: Page): Promise<string[]> {
  const frame = page.frameLocator('#speedscope');
  const canvases = frame.locator('canvas');
  await canvases.nth(2).waitFor({ timeout: 15_000 });
  const chart = await canvases.last().boundingBox();
  if (!chart) return [];
  const seen: string[] = [];
  for (let y = chart.y + 25; y < chart.y + Math.min(chart.height, 300); y += 10) {
    await page.mouse.move(chart.x + 8, y);
    // Tooltip lines read "36.00 MB (63%) main.allocateBig".
    const text = await frame.locator('body').innerText();
    for (const line of text.split('\n')) {
      const name = /^\S+(?: \S+)? \([<>]?[\d.]+%\) (.+)$/.exec(line.trim())?.[1];
      if (name !== undefined && !seen.includes(name)) seen.push(name);
    }
  }
  await page.mouse.move(0, 0);
  return seen;
}

/** hostileName is what the hostile profile calls main.allocateBig. */
export const hostileName = '<img src=x onerror="window.__pwned=1;alert(1)">';
/** hostileName2 is what it calls main.fillCache. */
export const hostileName2 = '</script><script>window.__pwned=2</script><b>bold</b>';

/** hostileProfile is the Go heap fixture with two function names replaced by markup. */
export function hostileProfile(): Profile {
  const p = parseProfile(readFileSync(join(profiles, 'go-heap.pb.gz')), 'go-heap.pb.gz');
  const strings = p.strings.map((s) => (s === 'main.allocateBig' ? hostileName : s === 'main.fillCache' ? hostileName2 : s));
  return { ...p, strings };
}

/**
 * webTestFile sets up what every web UI test file shares: one chromium for the file, and servers
 * that are closed when it ends. Call it once, at the top of the file.
 */
export function webTestFile(): { browser: () => Browser; started: <T extends WebServer>(s: Promise<T>) => Promise<T> } {
  let browser: Browser | undefined;
  const servers: WebServer[] = [];
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
  });
  return {
    browser: () => browser!,
    started: async <T extends WebServer>(s: Promise<T>): Promise<T> => {
      const server = await s;
      servers.push(server);
      return server;
    },
  };
}
