// Where the goroutines' time went within a stretch of a trace — the numbers a timeline shows for its
// selection: for [from, to), the time spent running, waiting to run, blocked (by reason), in
// syscalls, in GC…, summed over all goroutines and per goroutine group (start function).
//
// The states and their rules are the goroutine analysis's (goroutine-analysis.ts: Go 1.19's
// columns for old-format traces, Go 1.22+'s for the generational format), so over the whole trace
// the sums are exactly what `proflens trace goroutines` reports. The analysis takes every
// goroutine's statistics at `from` and at `to` during its one pass; since each column is time
// summed as it passes, their difference is the time inside the range.
//
//   rangeStats(trace, from, to) → { states, columns, groups: [{ pc, name, goroutines, … }] }
//
// Times are ns since the trace's first event. A `to` at or after the last event means the trace's
// end, where Go's analysis closes what is still open (Go 1.19 then also charges an unfinished GC
// cycle to goroutines that already ended; only a range reaching the end includes that).

import { goroutineAnalysis } from './goroutine-analysis.js';
import type { ExecStat } from './goroutine-stats.js';
import type { Trace } from './model.js';
import { traceRules, type TraceRules } from './rules.js';

/** RangeTimes is time per state (ns) in the range: the ExecStat fields, and the page's named columns. */
export interface RangeTimes {
  execTime: number;
  schedWaitTime: number;
  ioTime: number;
  blockTime: number;
  syscallTime: number;
  gcTime: number;
  sweepTime: number;
  /** Goroutine lifetime inside the range. */
  totalTime: number;
  /**
   * The same time by the names of the goroutine page's columns: Go 1.19's (Execution, Network
   * wait, Sync block, Blocking syscall, Scheduler wait, GC sweeping, GC pause) or Go 1.22+'s
   * (Execution time, Block time (chan receive), …, Unknown time); zero ones left out.
   */
  columns: Record<string, number>;
}

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

/** add adds sign × s to sum. */
function add(sum: RangeTimes, s: ExecStat, sign: 1 | -1): void {
  for (const f of fields) sum[f] += sign * s[f];
  for (const [k, v] of Object.entries(columnsOf(s))) sum.columns[k] = (sum.columns[k] ?? 0) + sign * v;
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
  const before = new Map<number, ExecStat>();
  const after = new Map<number, ExecStat>();
  const stats = goroutineAnalysis(t, {
    regions: false,
    snapshots: { at: [from, end], take: (k, id, stat) => (k === 0 ? before : after).set(id, stat) },
  });
  const total = emptyTimes();
  const groups = new Map<number, { name: string; goroutines: number; times: RangeTimes }>();
  for (const [id, s1] of after) {
    const g = stats.get(id)!;
    const inRange = emptyTimes();
    add(inRange, s1, 1);
    const s0 = before.get(id);
    if (s0 !== undefined) add(inRange, s0, -1);
    if (inRange.totalTime === 0 && fields.every((f) => inRange[f] === 0)) continue;
    add(total, s1, 1);
    if (s0 !== undefined) add(total, s0, -1);
    let group = groups.get(g.pc);
    if (group === undefined) groups.set(g.pc, (group = { name: g.name, goroutines: 0, times: emptyTimes() }));
    group.goroutines++;
    for (const f of fields) group.times[f] += inRange[f];
    for (const [k, v] of Object.entries(inRange.columns)) group.times.columns[k] = (group.times.columns[k] ?? 0) + v;
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
