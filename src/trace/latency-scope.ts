// Which part of each wait a scoped latency profile counts, by go tool trace's rules for its profiles
// of one goroutine group (/io?id=PC, /block, /syscall, /sched) and of one region type (/regionio?
// type=…&pc=…, /regionblock, …) (Go 1.19 cmd/trace/pprof.go, the region filter of annotations.go).
//
// Go's rules: a scope is, per goroutine, a list of time intervals. A group gives each of its
// goroutines one interval, from its start (StartTime: its first GoStart, 0 when it never ran) to
// its end, or the trace's last event when it outlived the trace. A region filter (type: the
// region's name; pc: the PC of the frame that started it, 0 when it began before the trace;
// latmin/latmax: its duration, both ends in) gives each goroutine its matching regions, of which
// only the outermost count: sorted by start then end, a region that starts before the last kept
// one ends is dropped (so of two regions starting together the shorter one is kept). A wait then
// counts for the goroutine that emitted its event (ev.G: for a sched wait, the goroutine that
// woke or created the other, not the one that waited), with the part of it that overlaps that
// goroutine's intervals, when that part is above zero. Go 1.22+'s tool (cmd/trace/v2/pprof.go)
// counts a wait for the goroutine that waited, sched waits too; it is followed on traces of the
// generational format (rules.ts), with the same intervals (Go 1.22+ names a group by its start
// function rather than its PC; a PC or a regex here chooses the same goroutines unless two start
// functions share a name).

import type { RegionTypeRow } from './annotations.js';
import type { GoroutineStat } from './goroutine-stats.js';
import { EventType, argsPerEvent, type Trace } from './model.js';
import { traceRules } from './rules.js';

/** LatencyWeight is how many ns of the wait of event i, from `from` to `to`, a profile counts (0 or less: none). */
export type LatencyWeight = (i: number, from: number, to: number) => number;

/** GoroutineIntervals holds per goroutine its intervals as flat [begin, end, begin, end, …] ns, sorted and not overlapping. */
export type GoroutineIntervals = Map<number, number[]>;

/** lastTimestamp is the time of the trace's last event (0 for a trace of fewer than two), as Go's tool takes it. */
function lastTimestamp(t: Trace): number {
  const n = t.events.length;
  return n > 1 ? t.events.ts[n - 1]! : 0;
}

/** groupIntervals gives each goroutine `inGroup` accepts its life, as go tool trace's group profiles take it. */
export function groupIntervals(t: Trace, stats: ReadonlyMap<number, GoroutineStat>, inGroup: (g: GoroutineStat) => boolean): GoroutineIntervals {
  const last = lastTimestamp(t);
  const out: GoroutineIntervals = new Map();
  for (const g of stats.values()) if (inGroup(g)) out.set(g.id, [g.startTime, g.endTime === 0 ? last : g.endTime]);
  return out;
}

/** RegionFilter is go tool trace's region filter: each field given must match. */
export interface RegionFilter {
  /** The region's name (Go's `type=`). */
  readonly type?: string;
  /** The PC of the frame that started it (Go's `pc=`, hex there); 0 for regions begun before the trace. */
  readonly pc?: number;
  /** Its shortest and longest duration, ns, both ends in (Go's `latmin=`, `latmax=`). */
  readonly latMin?: number;
  readonly latMax?: number;
}

/** regionIntervals gives each goroutine the outermost of its regions the filter matches (rows: regionTypes's, every item kept). */
export function regionIntervals(rows: readonly RegionTypeRow[], filter: RegionFilter): GoroutineIntervals {
  const spans = new Map<number, [number, number][]>();
  for (const r of rows) {
    if ((filter.type !== undefined && r.type !== filter.type) || (filter.pc !== undefined && (r.frame?.pc ?? 0) !== filter.pc)) continue;
    for (const b of r.histogram) {
      for (const k of b.items) {
        if ((filter.latMin !== undefined && k.duration < filter.latMin) || (filter.latMax !== undefined && k.duration > filter.latMax)) continue;
        let list = spans.get(k.goroutine);
        if (list === undefined) spans.set(k.goroutine, (list = []));
        list.push([k.start, k.start + k.duration]);
      }
    }
  }
  const out: GoroutineIntervals = new Map();
  for (const [g, list] of spans) {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const kept: number[] = [];
    let lastEnd = 0;
    for (const [from, to] of list) {
      if (lastEnd > from) continue; // inside (or overlapping) the region kept before it
      kept.push(from, to);
      lastEnd = to;
    }
    out.set(g, kept);
  }
  return out;
}

/** overlapWeight counts of each wait its overlap with the intervals of the goroutine it counts for (the rules above). */
export function overlapWeight(t: Trace, intervals: GoroutineIntervals): LatencyWeight {
  const { g, type, args } = t.events;
  const waiterCounts = traceRules(t) === 'go1.22';
  return (i, from, to) => {
    const ty = type[i]!;
    const spans = intervals.get(waiterCounts && (ty === EventType.GoUnblock || ty === EventType.GoCreate) ? args[i * argsPerEvent]! : g[i]!);
    if (spans === undefined) return 0;
    // The spans are sorted and do not overlap, so their ends are sorted too: find the first that
    // ends at or after `from` by bisection (a worker with a region per item has thousands of
    // spans and as many waits), then add up until one begins after `to`.
    let lo = 0;
    let hi = spans.length >> 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[2 * mid + 1]! < from) lo = mid + 1;
      else hi = mid;
    }
    let ns = 0;
    for (let k = 2 * lo; k < spans.length && spans[k]! <= to; k += 2) {
      ns += Math.min(spans[k + 1]!, to) - Math.max(spans[k]!, from);
    }
    return ns;
  };
}
