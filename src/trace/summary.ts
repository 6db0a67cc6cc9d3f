// The first answer about a trace: how long, how many procs and goroutines, what GC did, and which
// goroutine groups waited most for a CPU and on what, with the commands that tell more.

import { EventType, argAt, argsPerEvent, type Trace } from './model.js';
import type { GoroutineStat } from './goroutine-stats.js';
import { niceDuration } from './nice-duration.js';

/** GroupWait is one group of goroutines (by start function) and how long its members waited. */
export interface GroupWait {
  readonly name: string;
  readonly pc: number;
  readonly count: number;
  readonly ns: number;
}

/** TraceSummary is the summary's numbers; every time is in nanoseconds. */
export interface TraceSummary {
  /** "1.19" */
  readonly goVersion: string;
  readonly events: number;
  readonly duration: number;
  /** GOMAXPROCS as the trace last set it (Gomaxprocs events). */
  readonly procs: number;
  readonly goroutines: { readonly total: number; readonly createdDuringTrace: number; readonly ended: number; readonly aliveAtEnd: number };
  readonly gc: { readonly cycles: number; readonly stwPauses: number; readonly stwTotal: number; readonly stwLongest: number };
  /** Heap in use (HeapAlloc events): first and last value seen, and the largest; undefined if none. */
  readonly heap: { readonly first: number; readonly last: number; readonly max: number } | undefined;
  readonly topSchedWait: readonly GroupWait[];
  /** Network wait + sync block + blocking syscall. */
  readonly topBlocked: readonly GroupWait[];
}

/**
 * topGroups sums the scheduler wait and the blocking of each start function's goroutines and keeps
 * the n largest non-zero groups of each, in one pass over the statistics (each read of the table
 * makes an object). Goroutines that never ran during the trace are left out: Go counts their whole
 * wait since the trace began as scheduler wait, though most were blocked, not runnable.
 */
function topGroups(stats: Iterable<GoroutineStat>, n: number): { sched: GroupWait[]; blocked: GroupWait[]; ended: number } {
  const sched = new Map<number, { name: string; pc: number; count: number; ns: number }>();
  const blocked = new Map<number, { name: string; pc: number; count: number; ns: number }>();
  const add = (by: typeof sched, g: GoroutineStat, ns: number): void => {
    const r = by.get(g.pc) ?? { name: g.name, pc: g.pc, count: 0, ns: 0 };
    r.count++;
    r.ns += ns;
    by.set(g.pc, r);
  };
  let ended = 0;
  for (const g of stats) {
    if (g.endTime !== 0) ended++;
    if (g.startTime === 0 && g.name === '') continue;
    add(sched, g, g.schedWaitTime);
    add(blocked, g, g.ioTime + g.blockTime + g.syscallTime);
  }
  const top = (by: typeof sched): GroupWait[] => [...by.values()].filter((r) => r.ns > 0).sort((a, b) => b.ns - a.ns || a.pc - b.pc).slice(0, n);
  return { sched: top(sched), blocked: top(blocked), ended };
}

/** summarize computes the summary of a trace from its events and goroutine statistics. */
export function summarize(t: Trace, stats: ReadonlyMap<number, GoroutineStat>, top = 5): TraceSummary {
  const ev = t.events;
  let procs = 0;
  let created = 0;
  let cycles = 0;
  let stwPauses = 0;
  let stwTotal = 0;
  let stwLongest = 0;
  let heap: { first: number; last: number; max: number } | undefined;
  for (let i = 0; i < ev.length; i++) {
    const a = ev.args[i * argsPerEvent]!;
    switch (ev.type[i]) {
      case EventType.Gomaxprocs:
        procs = a;
        break;
      case EventType.GoCreate:
        // Goroutines alive when tracing began are announced by GoCreate events at time 0.
        if (ev.ts[i]! > 0) created++;
        break;
      case EventType.GCStart:
        cycles++;
        break;
      case EventType.GCSTWStart: {
        const l = ev.link[i]!;
        if (l >= 0) {
          const d = ev.ts[l]! - ev.ts[i]!;
          stwPauses++;
          stwTotal += d;
          stwLongest = Math.max(stwLongest, d);
        }
        break;
      }
      case EventType.HeapAlloc: {
        const mem = argAt(ev, i * argsPerEvent); // a heap past 4 GB is spilled (see Events.args)
        if (heap === undefined) heap = { first: mem, last: mem, max: mem };
        else {
          heap.last = mem;
          heap.max = Math.max(heap.max, mem);
        }
        break;
      }
    }
  }
  const groups = topGroups(stats.values(), top);
  const ended = groups.ended;
  return {
    goVersion: `${Math.floor(t.version / 1000)}.${t.version % 1000}`,
    events: ev.length,
    duration: ev.length > 0 ? ev.ts[ev.length - 1]! - ev.ts[0]! : 0,
    procs,
    goroutines: { total: stats.size, createdDuringTrace: created, ended, aliveAtEnd: stats.size - ended },
    gc: { cycles, stwPauses, stwTotal, stwLongest },
    heap,
    topSchedWait: groups.sched,
    topBlocked: groups.blocked,
  };
}

const mb = (n: number): string => `${(n / (1 << 20)).toFixed(1)} MiB`;

/** renderSummary prints the summary for a terminal; `source` is how the next commands name the trace. */
export function renderSummary(s: TraceSummary, source: string): string {
  const out = [
    `Go ${s.goVersion} execution trace, ${s.events} events over ${niceDuration(s.duration).trim()}, GOMAXPROCS ${s.procs}`,
    `Goroutines: ${s.goroutines.total} (${s.goroutines.createdDuringTrace} created during the trace, ${s.goroutines.ended} ended, ${s.goroutines.aliveAtEnd} alive at the end)`,
    `GC: ${s.gc.cycles} cycles; ${s.gc.stwPauses} stop-the-world pauses, ${niceDuration(s.gc.stwTotal).trim()} in all, longest ${niceDuration(s.gc.stwLongest).trim()}`,
  ];
  if (s.heap) out.push(`Heap: ${mb(s.heap.first)} → ${mb(s.heap.last)} (largest ${mb(s.heap.max)})`);
  const list = (title: string, rows: readonly GroupWait[]): void => {
    out.push(title);
    if (rows.length === 0) out.push('  (none)');
    for (const r of rows) out.push(`  ${niceDuration(r.ns).padStart(8)}  ${r.name} (N=${r.count})`);
  };
  list('Waiting for a CPU longest (scheduler wait):', s.topSchedWait);
  list('Blocked longest (network, sync, syscall):', s.topBlocked);
  const q = /^[\w./:@-]+$/.test(source) ? source : `'${source.replace(/'/g, `'\\''`)}'`;
  out.push(
    'Next:',
    `  proflens trace ${q}                       the timeline and these analyses in the browser`,
    `  proflens trace goroutines ${q}            groups of goroutines; --group REGEX for their times`,
    `  proflens top --pprof sched ${q}           where goroutines waited for a CPU (also net, sync, syscall)`,
    `  proflens trace tasks ${q}                 user tasks and regions (also: regions)`,
  );
  return `${out.join('\n')}\n`;
}
