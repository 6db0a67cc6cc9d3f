// Mutator utilization: at each moment of a trace, the fraction of the program's Ps that run the
// program rather than the garbage collector, as go tool trace's MMU page computes it (Go 1.19
// internal/trace/gc.go, MutatorUtilization; Go 1.22+'s internal/trace keeps the same idea).
//
// What counts as "GC" is chosen by flags: stop-the-world pauses take every P; background mark
// workers, mark assists and sweeping take the P they run on. Without perProc there is one series
// (1 − GC Ps / all Ps); with it, one series per P (1 or 0), a new one each time GOMAXPROCS adds a P.
//
// Rules by trace format (src/trace/rules.ts): old-format traces follow Go 1.19 exactly. Go 1.22+
// traces follow Go 1.22's MutatorUtilizationV2 where our model can tell the difference: only
// stop-the-world pauses for GC count (Go 1.21+ also records other pauses, such as ReadMemStats),
// and the utilization is re-evaluated at every event. Two Go 1.22 rules are not applied: its
// correction for a sweep or assist already running when the trace starts (the model does not mark
// such ranges), and background workers (the Go 1.22+ reader does not keep goroutine labels, which is
// how Go recognises a mark worker), so `background` changes nothing on a Go 1.22+ trace.

import { EventType, argsPerEvent, stringById, stwKindName, type Trace } from './model.js';
import { traceRules, type TraceRules } from './rules.js';

/** UtilFlags are the bits of Go's UtilFlags, by the names go tool trace's /mmuPlot?flags= uses. */
export const UtilFlags = {
  stw: 1,
  background: 2,
  assist: 4,
  sweep: 8,
  perProc: 16,
} as const satisfies Record<string, number>;

/** UtilFlagName is one of UtilFlags' names. */
export type UtilFlagName = keyof typeof UtilFlags;

/** defaultUtilFlags are the boxes Go's MMU page ticks at first: STW, background workers, mark assist. */
export const defaultUtilFlags = UtilFlags.stw | UtilFlags.background | UtilFlags.assist;

/**
 * utilFlagsFromNames reads flag names (`stw`, `background`, `assist`, `sweep`, `perProc`; any case)
 * into UtilFlags bits, or names the first unknown one.
 */
export function utilFlagsFromNames(names: readonly string[]): { flags: number } | { unknown: string } {
  let flags = 0;
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const key = (Object.keys(UtilFlags) as UtilFlagName[]).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) return { unknown: name };
    flags |= UtilFlags[key];
  }
  return { flags };
}

/**
 * UtilSeries is a step function: from time[k] (ns since the trace's first event) until time[k+1]
 * the mean mutator utilization is util[k], in [0, 1]. Times strictly increase; the last point is
 * the trace's end, with utilization 0.
 */
export interface UtilSeries {
  readonly time: number[];
  readonly util: number[];
}

/** addUtil appends a change, as Go's addUtil: no point for no change, the lowest for one instant. */
function addUtil(s: UtilSeries, time: number, util: number): void {
  const n = s.time.length;
  if (n > 0) {
    if (util === s.util[n - 1]) return;
    if (time === s.time[n - 1]) {
      if (util < s.util[n - 1]!) s.util[n - 1] = util;
      return;
    }
  }
  s.time.push(time);
  s.util.push(util);
}

interface PerP {
  /** gc > 0: the P does GC work now. */
  gc: number;
  /** The index in the output of this P's series (perProc), else 0. */
  series: number;
}

/**
 * maxProcs bounds GOMAXPROCS, and maxAddedProcs the Ps all GOMAXPROCS changes add together: a
 * damaged or hostile trace could otherwise ask for billions of series (Go's tool would try).
 */
export const maxProcs = 1 << 20;
const maxAddedProcs = 1 << 22;

/** MutatorUtilizationError says that a trace asks for more Ps than mutatorUtilization follows. */
export class MutatorUtilizationError extends Error {}

/**
 * mutatorUtilization returns the mutator utilization functions of a trace for the given flags
 * (UtilFlags bits): one series, or with perProc one per P. No series for a trace without events
 * or without GOMAXPROCS. `rules` defaults to the trace's own (src/trace/rules.ts).
 *
 * Go re-evaluates every P at each event; this keeps the number of Ps in GC as it changes and, per
 * P, re-evaluates only the Ps whose state changed (all of them when the world stops or restarts)
 * and those whose last point is not their state (addUtil keeps the lowest value of an instant), so
 * that it gives Go's series in time linear in the events.
 */
export function mutatorUtilization(t: Trace, flags: number, rules: TraceRules = traceRules(t)): UtilSeries[] {
  const ev = t.events;
  if (ev.length === 0) return [];
  const perProc = (flags & UtilFlags.perProc) !== 0;
  const go122 = rules === 'go1.22';
  const out: UtilSeries[] = [];
  let ps: PerP[] = [];
  let added = 0;
  let stw = 0;
  /** How many Ps have gc > 0. */
  let gcPs = 0;
  // Per P (perProc): the Ps to re-evaluate at the next evaluation; all of them after stw changed.
  const touched = new Set<number>();
  let stwWas = false;
  // Ends of the stop-the-world pauses that were counted (Go 1.22+ counts only GC ones).
  const stwEnds = new Set<number>();
  const assists = new Set<number>();
  const bgMark = new Set<number>();
  // Per goroutine: the event that ends its current run (the GoStart's link).
  const runEnd = new Map<number, number>();
  const gcOn = (p: number, delta: number): void => {
    const pp = ps[p];
    if (pp === undefined) return; // an event on a P beyond GOMAXPROCS: Go's tool would crash
    const was = pp.gc > 0;
    pp.gc += delta;
    if (was !== pp.gc > 0) {
      gcPs += was ? -1 : 1;
      if (perProc) touched.add(p);
    }
  };

  for (let i = 0; i < ev.length; i++) {
    const type = ev.type[i]!;
    const ts = ev.ts[i]!;
    const p = ev.p[i]!;
    const g = ev.g[i]!;
    let changed = true;
    switch (type) {
      case EventType.Gomaxprocs: {
        const procs = ev.args[i * argsPerEvent]!;
        if (procs > maxProcs || (added += Math.max(0, procs - ps.length)) > maxAddedProcs) {
          throw new MutatorUtilizationError(`GOMAXPROCS ${procs} at ${ts} ns: more Ps than the mutator utilization follows (${maxProcs}, ${maxAddedProcs} added in all)`);
        }
        if (ps.length > procs) {
          for (const q of ps.slice(procs)) {
            if (perProc) addUtil(out[q.series]!, ts, 0);
            if (q.gc > 0) gcPs--;
          }
          for (const k of touched) if (k >= procs) touched.delete(k);
          ps = ps.slice(0, procs);
        }
        while (ps.length < procs) {
          let series = 0;
          if (perProc || out.length === 0) {
            series = out.length;
            out.push({ time: [ts], util: [1] });
          }
          if (perProc) touched.add(ps.length);
          ps.push({ gc: 0, series });
        }
        break;
      }
      case EventType.GCSTWStart:
        if ((flags & UtilFlags.stw) !== 0 && (!go122 || stwKindName(t.version, ev.args[i * argsPerEvent]!).includes('GC'))) {
          stw++;
          stwEnds.add(ev.link[i]!);
        }
        break;
      case EventType.GCSTWDone:
        if (stwEnds.delete(i)) stw--;
        break;
      case EventType.GCMarkAssistStart:
        if ((flags & UtilFlags.assist) !== 0) {
          gcOn(p, 1);
          assists.add(g);
        }
        break;
      case EventType.GCMarkAssistDone:
        if ((flags & UtilFlags.assist) !== 0) {
          gcOn(p, -1);
          assists.delete(g);
        }
        break;
      case EventType.GCSweepStart:
        if ((flags & UtilFlags.sweep) !== 0) gcOn(p, 1);
        break;
      case EventType.GCSweepDone:
        if ((flags & UtilFlags.sweep) !== 0) gcOn(p, -1);
        break;
      case EventType.GoStartLabel:
      case EventType.GoStart:
        if (type === EventType.GoStartLabel && (flags & UtilFlags.background) !== 0) {
          const label = stringById(t, ev.args[i * argsPerEvent + 2]!);
          // A background mark worker; in perProc mode not the dedicated ones: they take the whole
          // P, so no goroutine waits behind them on it (Go's reasoning).
          if (label.startsWith('GC ') && label !== 'GC (idle)' && !(perProc && label === 'GC (dedicated)')) {
            bgMark.add(g);
            gcOn(p, 1);
          }
        }
        if (assists.has(g)) gcOn(p, 1); // runs again in the middle of an assist
        runEnd.set(g, ev.link[i]!);
        break;
      default:
        if (runEnd.get(g) !== i) {
          // Go 1.19 re-evaluates only after the events above; Go 1.22+ after every event.
          changed = go122;
          break;
        }
        if (assists.has(g)) gcOn(p, -1); // stops in the middle of an assist
        if (bgMark.delete(g)) gcOn(p, -1);
        runEnd.delete(g);
    }
    if (!changed || ps.length === 0) continue;
    if (!perProc) {
      addUtil(out[0]!, ts, 1 - (stw > 0 ? ps.length : gcPs) / ps.length);
      continue;
    }
    const evaluate = (k: number): void => {
      const q = ps[k]!;
      const util = stw > 0 || q.gc > 0 ? 0 : 1;
      const s = out[q.series]!;
      addUtil(s, ts, util);
      // A lower value kept for this instant: set the P right at a later evaluation, as Go's does.
      if (s.util[s.util.length - 1] !== util) touched.add(k);
      else touched.delete(k);
    };
    if (stw > 0 !== stwWas) {
      stwWas = stw > 0;
      for (let k = 0; k < ps.length; k++) evaluate(k);
    } else for (const k of [...touched]) evaluate(k);
  }

  // Every series still open ends at the last event with utilization 0, as Go's do.
  const end = ev.ts[ev.length - 1]!;
  for (const q of ps) addUtil(out[q.series]!, end, 0);
  return out;
}
