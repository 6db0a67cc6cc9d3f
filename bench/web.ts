// The web section of the benchmark: how long `proflens web` takes to serve a large profile, how
// long the page then takes to show an interactive flame graph in a real browser (Debian's
// chromium), and the server's peak memory meanwhile.
//
// "Interactive" means speedscope has imported the profile, drawn it, and answers a hover over the
// flame chart with a frame's name in its tooltip.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { readVmHwm } from './measure.js';

/** WebResult are the figures of one run. */
export interface WebResult {
  /** From spawning `proflens web` until it printed its URL (profile loaded, server listening). */
  readonly serverStartMs: number;
  /** From navigating to the page until the flame graph answered a hover. */
  readonly pageMs: number;
  /** Time the browser waited for the flame graph's data (/api/flame), within pageMs. */
  readonly flameRequestMs: number;
  /** Size of the flame graph's data. */
  readonly flameBytes: number;
  /** Peak resident set of the server process, kB (VmHWM), after the page was interactive. */
  readonly serverRssKb: number | undefined;
}

export const chromiumPath = '/usr/bin/chromium';

/** webBenchAvailable says why the web section cannot run, or undefined when it can. */
export function webBenchUnavailable(): string | undefined {
  if (!existsSync(chromiumPath)) return `${chromiumPath} is missing (apt-get install chromium)`;
  return undefined;
}

/** launchChromium starts Debian's chromium headless, with no network of its own. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** benchWeb runs the server on file and loads its page once. */
export async function benchWeb(cli: string, file: string): Promise<WebResult> {
  const t0 = performance.now();
  const server = spawn(process.execPath, [cli, 'web', '--no-browser', '--http', '127.0.0.1:0', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await serverUrl(server);
    const serverStartMs = performance.now() - t0;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      let flameRequestMs = 0;
      let flameBytes = 0;
      page.on('requestfinished', (req) => {
        if (!req.url().includes('/api/flame')) return;
        flameRequestMs = req.timing().responseEnd;
        void req.response().then((r) => r?.body().then((b) => (flameBytes = b.length)));
      });
      const p0 = performance.now();
      await page.goto(url);
      const frame = page.frameLocator('#speedscope');
      const canvases = frame.locator('canvas');
      await canvases.nth(2).waitFor({ timeout: 120_000 });
      const chart = (await canvases.last().boundingBox())!;
      // Hover the first rows of the chart until the tooltip names a frame.
      for (;;) {
        await page.mouse.move(chart.x + 8, chart.y + 30);
        const text = await frame.locator('body').innerText();
        if (/\(\s*[<>]?[\d.]+%\) \S/.test(text)) break;
        if (performance.now() - p0 > 120_000) throw new Error('the flame graph never answered a hover');
        await page.mouse.move(chart.x + 8, chart.y + 60);
      }
      const pageMs = performance.now() - p0;
      return { serverStartMs, pageMs, flameRequestMs, flameBytes, serverRssKb: readVmHwm(server.pid) };
    } finally {
      await browser.close();
    }
  } finally {
    server.kill('SIGTERM');
  }
}

function serverUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /Serving web UI on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-2000)));
    child.on('exit', (code) => reject(new Error(`proflens web exited ${code}: ${err}`)));
  });
}

/** printWeb prints the figures and the targets (5 s to an interactive flame graph, server under 1 GB). */
export function printWeb(name: string, r: WebResult): void {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const total = r.serverStartMs + r.pageMs;
  const rssMb = r.serverRssKb === undefined ? undefined : (r.serverRssKb * 1024) / 1e6;
  console.log('');
  console.log(`web UI, ${name} profile (proflens web, Debian chromium headless):`);
  console.log(`  server start (load + listen)      ${s(r.serverStartMs)}`);
  console.log(`  page → interactive flame graph    ${s(r.pageMs)}  (flame data ${s(r.flameRequestMs)}, ${(r.flameBytes / 1e6).toFixed(1)} MB)`);
  console.log(`  command start → flame graph       ${s(total)}  target ≤ 5 s: ${total <= 5000 ? 'PASS' : 'MISS'}`);
  console.log(`  server peak RSS                   ${rssMb === undefined ? 'n/a' : `${rssMb.toFixed(0)} MB`}  target ≤ 1 GB: ${rssMb === undefined ? 'n/a' : rssMb <= 1000 ? 'PASS' : 'MISS'}`);
}
