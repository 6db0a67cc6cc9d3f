// Where the goroutines' time went within a stretch of a trace — the numbers a timeline shows for its
// selection: for [from, to), the time spent running, waiting to run, blocked (by reason), in
// syscalls, in GC…, summed over all goroutines and per goroutine group (start function).
//
// The states and their rules are the goroutine analysis's (goroutine-analysis.ts: Go 1.19's
// columns for old-format traces, Go 1.22+'s for the generational format), run with a window: each
// span of time the analysis adds to a column counts only its part inside [from, to). So over the
// whole trace the sums are exactly what `proflens trace goroutines` reports, and the ranges of a
// split add up to the whole, quirks included (Go 1.19 adds some waits only when they end, and drops
// a wait it overwrites: the window counts what Go's analysis keeps, where in time it lies).
//
//   rangeStats(trace, from, to) → { total: { execTime, …, columns }, groups: [{ pc, name, goroutines, … }] }
//
// Times are ns since the trace's first event.

import { goroutineAnalysis } from './goroutine-analysis.js';
import type { ExecStat } from './goroutine-stats.js';
import type { Trace } from './model.js';
import { niceDuration } from './nice-duration.js';
import { traceRules, type TraceRules } from './rules.js';

/**
 * RangeTimes is time per state (ns) in the range: the ExecStat fields (totalTime: goroutine
 * lifetime inside the range), and `columns`, the same time by the names of the goroutine page's
 * columns: Go 1.19's (Execution, Network wait, Sync block, Blocking syscall, Scheduler wait, GC
 * sweeping, GC pause) or Go 1.22+'s (Execution time, Block time (chan receive), …, Unknown time);
 * zero ones left out.
 */
export type RangeTimes = Omit<ExecStat, 'columns' | 'rangeTimes'> & { columns: Record<string, number> };

/** RangeGroup is one goroutine group (same start PC) and its time in the range. */
export interface RangeGroup extends RangeTimes {
  readonly pc: number;
  /** The start function ("" for goroutines that never ran during the trace). */
  readonly name: string;
  /** How many of its goroutines lived in the range. */
  readonly goroutines: number;
}

/** RangeStats is the answer for one range. */
export interface RangeStats {
  readonly from: number;
  readonly to: number;
  /** Whose states: Go 1.19's goroutine analysis or Go 1.22+'s. */
  readonly rules: TraceRules;
  /** Summed over every goroutine. */
  readonly total: RangeTimes;
  /** Per group, most total time first (then by name and PC). */
  readonly groups: RangeGroup[];
}

/** Go 1.19's page columns for the ExecStat fields. */
const go119Columns = [
  ['execTime', 'Execution'],
  ['ioTime', 'Network wait'],
  ['blockTime', 'Sync block'],
  ['syscallTime', 'Blocking syscall'],
  ['schedWaitTime', 'Scheduler wait'],
  ['sweepTime', 'GC sweeping'],
  ['gcTime', 'GC pause'],
] as const satisfies readonly (readonly [keyof ExecStat, string])[];

const fields = ['execTime', 'schedWaitTime', 'ioTime', 'blockTime', 'syscallTime', 'gcTime', 'sweepTime', 'totalTime'] as const;

const emptyTimes = (): RangeTimes => ({ execTime: 0, schedWaitTime: 0, ioTime: 0, blockTime: 0, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 0, columns: {} });

/** columnsOf names a statistic's time by the page's columns (Go 1.22+'s come with the statistic). */
function columnsOf(s: ExecStat): Record<string, number> {
  if (s.columns !== undefined) return s.columns;
  const out: Record<string, number> = {};
  for (const [field, name] of go119Columns) if (s[field] !== 0) out[name] = s[field];
  return out;
}

/** add adds s to sum. */
function add(sum: RangeTimes, s: ExecStat): void {
  for (const f of fields) sum[f] += s[f];
  for (const [k, v] of Object.entries(columnsOf(s))) sum.columns[k] = (sum.columns[k] ?? 0) + v;
}

/** dropZeros leaves the columns with time in them. */
function dropZeros(t: RangeTimes): RangeTimes {
  t.columns = Object.fromEntries(Object.entries(t.columns).filter(([, v]) => v !== 0));
  return t;
}

/**
 * rangeStats returns where the goroutines' time went in [from, to) (ns since the trace's first
 * event; `to` below `from` is an empty range), in total and per goroutine group.
 */
export function rangeStats(t: Trace, from: number, to: number): RangeStats {
  const end = Math.max(from, to);
  const stats = goroutineAnalysis(t, { regions: false, window: { from, to: end } });
  const total = emptyTimes();
  const groups = new Map<number, { name: string; goroutines: number; times: RangeTimes }>();
  for (const g of stats.values()) {
    if (g.totalTime === 0 && fields.every((f) => g[f] === 0)) continue; // not alive in the range
    add(total, g);
    let group = groups.get(g.pc);
    if (group === undefined) groups.set(g.pc, (group = { name: g.name, goroutines: 0, times: emptyTimes() }));
    group.goroutines++;
    add(group.times, g);
  }
  return {
    from,
    to: end,
    rules: traceRules(t),
    total: dropZeros(total),
    groups: [...groups]
      .map(([pc, r]) => ({ pc, name: r.name, goroutines: r.goroutines, ...dropZeros(r.times) }))
      .sort((a, b) => b.totalTime - a.totalTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.pc - b.pc)),
  };
}

/** renderRangeStats prints the range's time per column, in all and per group (durations as Go's pages round them). */
export function renderRangeStats(r: RangeStats): string {
  const to = niceDuration(r.to);
  const line = (t: RangeTimes): string =>
    Object.entries(t.columns)
      .map(([k, v]) => `${k} ${niceDuration(v).trim()}`)
      .join(', ') || 'no time';
  const out = [`Goroutines from ${r.from < 0 ? '-' : ''}${niceDuration(Math.abs(r.from)).trim()} to ${to.trim()}: ${line(r.total)}`];
  for (const g of r.groups) out.push(`  ${g.name || '(never ran)'} ×${g.goroutines}: ${line(g)}`);
  return `${out.join('\n')}\n`;
}
