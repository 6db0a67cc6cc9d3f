// The goroutine analysis a trace gets: Go 1.19's GoroutineStats for old-format traces, Go 1.22+'s
// state transitions for the generational format (rules.ts decides which), so that the commands
// need not know that there are two.

import { goroutineStats, type GoroutineStat, type TimeWindow } from './goroutine-stats.js';
import { goroutineTransitionStats } from './goroutine-transitions.js';
import type { Trace } from './model.js';
import { traceRules } from './rules.js';

/** goroutineAnalysis computes every goroutine's statistics by the rules that apply to t. */
export function goroutineAnalysis(t: Trace, opts: { regions?: boolean; window?: TimeWindow } = {}): ReadonlyMap<number, GoroutineStat> {
  return traceRules(t) === 'go1.22' ? goroutineTransitionStats(t, opts) : goroutineStats(t, opts);
}
