// The trace web UI on a large trace: from `proflens trace --no-browser TRACE` to an interactive
// timeline in Debian's chromium, the server's peak memory, and the time of redraws at the whole
// trace and at a 1 ms range; then go tool trace on the same file (time until its first timeline
// view answers, its peak memory). `node dist/bench/trace-web.js TRACE [--no-go] [--no-proflens]`.
//
// "Interactive" means the timeline has drawn the server's first answer for the Procs view (its P,
// GC, STW, wake-up and syscall lanes and the counters: window.__proflensTimeline.ready) and no
// request is pending, so the page answers input at once. The goroutine lanes may still be being
// filled by the server then (between requests; a request that reads one fills the rest first).
// The browser is started and given a blank page first, and the bench waits until it is idle, as
// a user's browser is already running: the total counts from the command's start to the
// interactive timeline, so the work the server does after it listens (the timeline) is counted
// too. Timestamps: server ready (trace read: the server listens, then computes the timeline), meta
// received by the page, first lanes received, first draw.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineQuiet, readVmHwm } from './measure.js';
import { launchChromium } from './web.js';

interface Stats {
  ready: boolean;
  pending: number;
  fetches: number;
  drawMs: number[];
}

/** firstLine resolves with the first match of re in the child's stdout or stderr. */
function firstMatch(child: ChildProcess, re: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const on = (s: Buffer): void => {
      out = (out + s.toString()).slice(-4000);
      const m = re.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.on('exit', (code) => reject(new Error(`${what} exited ${code}: ${out}`)));
  });
}

/**
 * peakOfTree is the largest peak RSS (KB) of a process and its children: `go tool trace` runs the
 * tool as a child of `go`, and proflens restarts itself with the huge-page tunable for large inputs
 * (cli/huge-pages.ts), so the server is the spawned process's child there.
 */
function peakOfTree(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').map(Number).filter((n) => n > 0);
  } catch {
    // pgrep exits 1 when there is no child.
  }
  return Math.max(readVmHwm(pid) ?? 0, ...children.map((p) => readVmHwm(p) ?? 0));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

async function benchProflens(cli: string, file: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    // A user's browser is running and idle; one just launched is still starting (~1 s of a core
    // here), and the server read the trace 0.85 s slower beside it (5.6–5.8 s against 6.5–6.6 s).
    await machineQuiet();
    const t0 = performance.now();
    const server = spawn(process.execPath, [cli, 'trace', '--no-browser', '--http', '127.0.0.1:0', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await firstMatch(server, /Serving trace UI on (\S+)/, 'proflens trace');
      const serverMs = performance.now() - t0;
      const p0 = performance.now();
      const seen = new Map<string, number>();
      page.on('requestfinished', (r) => {
        const path = new URL(r.url()).pathname;
        if (!seen.has(path)) seen.set(path, performance.now() - p0);
      });
      await page.goto(url);
      const ready = (n: number) =>
        page.waitForFunction(
          (k) => {
            const s = (globalThis as unknown as { __proflensTimeline?: Stats }).__proflensTimeline;
            return !!s && s.ready && s.pending === 0 && s.fetches > k;
          },
          n,
          { timeout: 600_000, polling: 20 },
        );
      await ready(0);
      const pageMs = performance.now() - p0;
      const at = (path: string): string => `${((seen.get(path) ?? Number.NaN) / 1000).toFixed(1)} s`;
      const steps = `meta received ${at('/api/trace/meta')}, first lanes ${at('/api/trace/lanes')}, drawn ${(pageMs / 1000).toFixed(1)} s`;
      const stats = (): Promise<Stats> => page.evaluate(() => (globalThis as unknown as { __proflensTimeline: Stats }).__proflensTimeline);
      // Redraws at the whole trace: pans that change nothing but redraw (the range is clamped).
      await page.locator('#tl-box').focus();
      const before = (await stats()).drawMs.length;
      for (let k = 0; k < 10; k++) await page.keyboard.press('s');
      await page.waitForTimeout(300);
      const whole = (await stats()).drawMs.slice(before - (await stats()).drawMs.length || undefined);
      // Redraws at 1 ms in the middle, with the data of that range.
      const end = Number(new URL(page.url()).searchParams.get('end') ?? '0') || 0;
      const meta = (await (await fetch(`${url}api/trace/meta`)).json()) as { end: number };
      const mid = Math.floor((end || meta.end) / 2);
      const f = (await stats()).fetches;
      await page.goto(`${url}?start=${mid}&end=${mid + 1_000_000}`);
      await ready(0);
      void f;
      const before2 = (await stats()).drawMs.length;
      for (let k = 0; k < 10; k++) await page.keyboard.press(k % 2 ? 'a' : 'd');
      await page.waitForTimeout(300);
      const all2 = (await stats()).drawMs;
      const ms = all2.slice(Math.min(before2, all2.length - 10));
      const q0 = performance.now();
      await (await fetch(`${url}api/trace/lanes?start=${mid}&end=${mid + 1_000_000}&width=1500&lanes=0-40`)).json();
      const q1 = performance.now();
      await (await fetch(`${url}api/trace/lanes?width=1500&lanes=0-40`)).json();
      const q2 = performance.now();
      console.log(`proflens trace: server ready ${(serverMs / 1000).toFixed(1)} s, page interactive ${(pageMs / 1000).toFixed(1)} s later (total ${((serverMs + pageMs) / 1000).toFixed(1)} s, the browser already running; after the page opened: ${steps}); server peak RSS ${(peakOfTree(server.pid) / 1024).toFixed(0)} MB`);
      console.log(`  redraw, whole trace: median ${median(whole).toFixed(1)} ms, max ${Math.max(...whole).toFixed(1)} ms (${whole.length}); 1 ms range: median ${median(ms).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (${ms.length})`);
      console.log(`  /api/trace/lanes for 41 lanes at 1500 px: 1 ms range ${(q1 - q0).toFixed(0)} ms, whole trace ${(q2 - q1).toFixed(0)} ms (HTTP round trip included)`);
    } finally {
      server.kill();
    }
  } finally {
    await browser.close();
  }
}

async function benchGo(file: string): Promise<void> {
  const t0 = performance.now();
  const child = spawn('go', ['tool', 'trace', '-http=127.0.0.1:0', file], { env: { ...process.env, BROWSER: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const base = await firstMatch(child, /listening on (http:\/\/[\d.:]+)/, 'go tool trace');
    const listenMs = performance.now() - t0;
    const index = await (await fetch(`${base}/`)).text();
    // The first timeline view: the first range link of the index page, then its JSON.
    const link = /href="(\/trace\?start=\d+&end=\d+)"|href="(\/trace)"/.exec(index);
    const view = link?.[1] ?? link?.[2] ?? '/trace';
    const jsonPath = view.replace('/trace', '/jsontrace');
    const body = await (await fetch(`${base}${jsonPath}`)).arrayBuffer();
    const viewMs = performance.now() - t0;
    const rss = peakOfTree(child.pid);
    console.log(`go tool trace: listening after ${(listenMs / 1000).toFixed(1)} s; first timeline view (${jsonPath}, ${(body.byteLength / 2 ** 20).toFixed(0)} MB of JSON) after ${(viewMs / 1000).toFixed(1)} s; peak RSS ${(rss / 1024).toFixed(0)} MB`);
  } finally {
    child.kill();
  }
}

/** runTraceWebBench runs both on one trace (npm run bench's trace web UI section). */
export async function runTraceWebBench(cli: string, file: string, go = true): Promise<void> {
  await benchProflens(cli, file);
  if (go) await benchGo(file);
}

if (process.argv[1]?.endsWith('trace-web.js')) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist/bench/trace-web.js TRACE [--no-go] [--no-proflens]');
  const cli = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'bin', 'proflens.js');
  if (!process.argv.includes('--no-proflens')) await benchProflens(cli, file);
  if (!process.argv.includes('--no-go')) await benchGo(file);
}
