// What a terminal shows while profiles are fetched: the URL and a live countdown of the profiling
// seconds left, on one line rewritten in place. When standard error is not a terminal, nothing is
// shown but the saved paths and errors.

import type { GrabOptions } from '../src/fetch/grab.js';
import type { ProfileRequest } from '../src/fetch/url.js';

/** ProgressIO is where progress goes. */
export interface ProgressIO {
  readonly stderr: (s: string) => void;
  /** Whether standard error is a terminal (a countdown makes sense). */
  readonly stderrIsTTY?: boolean;
}

type Callbacks = Pick<GrabOptions, 'onFetch' | 'onFetched' | 'onSaved'>;

/**
 * fetchProgress returns the callbacks that report fetches for one run, and a stop function; `what`
 * names what is fetched (`profile`, or `trace` for /debug/pprof/trace).
 */
export function fetchProgress(io: ProgressIO, what: 'profile' | 'trace' = 'profile'): Callbacks & { stop: () => void } {
  const active = new Map<ProfileRequest, number>(); // request → when it started (performance.now(), ms)
  let timer: NodeJS.Timeout | undefined;
  let shown = false;
  const clear = (): void => {
    if (shown) io.stderr('\r\x1b[K');
    shown = false;
  };
  const draw = (): void => {
    if (active.size === 0) return;
    const now = performance.now();
    let left = 0;
    // The once-a-second timer may fire a hair before a whole second has passed by this clock (libuv
    // times it from its cached loop time); a 50 ms allowance keeps "1s left" from showing twice.
    for (const [req, start] of active) left = Math.max(left, Math.ceil(req.seconds - (now - start) / 1000 - 0.05));
    const first = active.keys().next().value!.display;
    const fetching = active.size === 1 ? `Fetching ${what} over HTTP from ${first}` : `Fetching ${active.size} ${what}s over HTTP`;
    const status = left > 0 ? `${left}s left` : 'waiting for the server';
    io.stderr(`\r\x1b[K${fetching} — ${status}`);
    shown = true;
  };
  return {
    onFetch: (req) => {
      if (!io.stderrIsTTY) return;
      active.set(req, performance.now());
      draw();
      timer ??= setInterval(draw, 1000);
    },
    onFetched: (req) => {
      if (!active.delete(req)) return;
      clear();
      if (active.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      } else {
        draw();
      }
    },
    onSaved: (path) => {
      clear();
      io.stderr(`Saved ${what} in ${path}\n`);
      draw();
    },
    stop: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}
