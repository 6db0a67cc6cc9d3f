// Helpers for the trace web UI tests: serve a trace in-process, wait for the timeline to be drawn,
// and the hostile trace whose strings are markup.

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { type WebServer, startWebServer } from '../src/web/server.js';
import { traceApp } from '../src/web/trace-app.js';
import { TraceSession } from '../src/web/trace-session.js';
import { writeTrace } from './trace-writer.js';

/** serveTrace serves a trace (a file, or bytes) on 127.0.0.1, a free port. */
export async function serveTrace(source: string | Uint8Array, title = typeof source === 'string' ? source : 'trace'): Promise<WebServer & { session: TraceSession }> {
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  const session = new TraceSession(readTrace(bytes, title), title);
  const server = await startWebServer({ app: traceApp(session), onError: (e) => console.error('trace web server error:', e) });
  return Object.assign(server, { session });
}

/** TimelineStats is what the page reports of its drawing (window.__proflensTimeline). */
export interface TimelineStats {
  draws: number;
  lastDrawMs: number;
  maxDrawMs: number;
  fetches: number;
  pending: number;
  ready: boolean;
  blocks: number;
  merged: number;
  /** The range drawn last (ns). */
  t0: number;
  t1: number;
  /** The last 200 redraws' times (ms). */
  drawMs: number[];
}

export function timelineStats(page: Page): Promise<TimelineStats> {
  return page.evaluate(() => (globalThis as unknown as { __proflensTimeline: TimelineStats }).__proflensTimeline);
}

/** settled waits until the timeline has drawn the server's answer for its current range and no request is pending. */
export async function settled(page: Page, fetchesBefore = 0): Promise<TimelineStats> {
  // (Functions, not strings: the page's content security policy forbids evaluating strings.)
  await page.waitForFunction(
    (n) => {
      const s = (globalThis as unknown as { __proflensTimeline?: TimelineStats }).__proflensTimeline;
      return !!s && s.ready && s.pending === 0 && s.fetches > n;
    },
    fetchesBefore,
    { timeout: 20_000 },
  );
  // The fetch is debounced: let a pending one start, then wait for it too.
  await page.waitForTimeout(80);
  await page.waitForFunction(() => (globalThis as unknown as { __proflensTimeline: TimelineStats }).__proflensTimeline.pending === 0);
  return timelineStats(page);
}

/** hostileFn is the start function of the hostile trace's goroutine: markup that must stay text. */
export const hostileFn = '<img src=x onerror="window.__pwned=1;alert(1)">';

/**
 * hostileTrace is a Go 1.19 trace (test/trace-writer.ts) whose one goroutine starts in a function
 * named hostileFn, in a file named like a closing script tag: it runs 10–15 µs, blocks on a
 * channel until 21 µs, then runs again on P1.
 */
export function hostileTrace(): Uint8Array {
  return writeTrace([
    [EventType.Frequency, 1e9],
    { string: 1, text: hostileFn },
    { string: 2, text: '</script><script>window.__pwned=2</script>.go' },
    [EventType.Stack, 1, 1, 0x401000, 1, 2, 42],
    [EventType.Batch, 1, 1000],
    [EventType.ProcStart, 0, 11],
    [EventType.GoStart, 10, 5, 1],
    [EventType.GoBlockRecv, 5000, 0],
    [EventType.ProcStop, 5],
    [EventType.Batch, 2, 1001],
    [EventType.ProcStart, 0, 12],
    [EventType.GoCreate, 9, 5, 1, 0],
    [EventType.GoUnblock, 11000, 5, 2, 0],
    [EventType.GoStart, 10, 5, 3],
    [EventType.GoEnd, 4000],
    [EventType.ProcStop, 5],
  ]);
}
