// Per-goroutine statistics of a Go execution trace: what `go tool trace`'s "Goroutine analysis"
// pages show, computed by the rules of Go 1.19's internal/trace.GoroutineStats (goroutines.go).
//
// One pass over the events keeps, per goroutine, when it started running and since when it has
// been waiting and on what; each change of state adds the time spent in the old state to one of
// Execution, Network wait, Sync block, Blocking syscall, Scheduler wait or GC sweeping. GC pause is
// the time a GC cycle was running while the goroutine existed. The quirks are Go's and are kept,
// since its numbers are the specification: a GoSleep or GoBlock wait counts in no column, GoBlockGC
// waits in none, and a goroutine that already ended still gains GC pause when the trace ends
// inside a GC cycle.

import { EventType, argsPerEvent, stringById, type Trace } from './model.js';
import { ObjectTable } from './old/id-tables.js';

/** ExecStat is where a goroutine's (or a region's) time went, in nanoseconds. */
export interface ExecStat {
  execTime: number;
  schedWaitTime: number;
  ioTime: number;
  blockTime: number;
  syscallTime: number;
  gcTime: number;
  sweepTime: number;
  totalTime: number;
  /**
   * Go 1.22+ traces only (goroutine-transitions.ts): Go 1.22+'s columns by the names its page
   * gives them ("Execution time", "Block time (chan receive)", "Unknown time", …), in ns, zero ones
   * left out; they add up to totalTime.
   */
  columns?: Record<string, number>;
  /** Go 1.22+ traces only: time inside GC mark assists and sweeps (overlaps the columns). */
  rangeTimes?: Record<string, number>;
}

/** RegionStat is one user region (runtime/trace.WithRegion) a goroutine went through. */
export interface RegionStat extends ExecStat {
  readonly taskId: number;
  readonly name: string;
  /**
   * The event index of the region's start (a UserRegion start, or the GoCreate of a goroutine that
   * inherited its creator's task), -1 when the region began before the trace.
   */
  start: number;
  /** The event index of its end (a UserRegion end, the goroutine's GoEnd or GoStop), -1 if none. */
  end: number;
}

/** GoroutineStat is one goroutine's life and where its time went (Go's GDesc). */
export interface GoroutineStat extends ExecStat {
  readonly id: number;
  /** The function it started in ("" when it never started during the trace), and its PC. */
  name: string;
  pc: number;
  creationTime: number;
  startTime: number;
  /** When it ended (GoEnd) or stopped for good (GoStop); 0 when it outlived the trace. */
  endTime: number;
  /** Its user regions, by start time (regions that began before the trace first). */
  readonly regions: RegionStat[];
}

/**
 * TimeWindow limits a goroutine analysis to [from, to) (ns): every span of time it adds to a
 * column counts only its part inside the window (src/trace/range-stats.ts), so the columns say
 * where the time inside the window went, by the same rules.
 */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** Span is the time an analysis adds for [from, to): all of it, or its part inside a window. */
type Span = (from: number, to: number) => number;

/** spanIn returns the Span of a window (none: the whole span, as Go adds it). */
export function spanIn(window: TimeWindow | undefined): Span {
  if (window === undefined) return (from, to) => to - from;
  const { from: lo, to: hi } = window;
  return (from, to) => Math.max(0, Math.min(to, hi) - Math.max(from, lo));
}

/** The state kept only during the pass (Go's private gdesc): since when each wait began. */
interface Pending {
  lastStartTime: number;
  blockNetTime: number;
  blockSyncTime: number;
  blockSyscallTime: number;
  blockSweepTime: number;
  blockSchedTime: number;
  activeRegions: RegionStat[];
}

const zeroStat = (): ExecStat => ({ execTime: 0, schedWaitTime: 0, ioTime: 0, blockTime: 0, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 0 });

// Written out field by field: these run for every region event, and a loop over the keys would
// make V8 look each property up by name.
function copyStat(to: ExecStat, from: ExecStat): void {
  to.execTime = from.execTime;
  to.schedWaitTime = from.schedWaitTime;
  to.ioTime = from.ioTime;
  to.blockTime = from.blockTime;
  to.syscallTime = from.syscallTime;
  to.gcTime = from.gcTime;
  to.sweepTime = from.sweepTime;
  to.totalTime = from.totalTime;
}

/** subtractFrom sets r to now − r (the time spent between r's snapshot and now). */
function subtractFrom(r: ExecStat, now: ExecStat): void {
  r.execTime = now.execTime - r.execTime;
  r.schedWaitTime = now.schedWaitTime - r.schedWaitTime;
  r.ioTime = now.ioTime - r.ioTime;
  r.blockTime = now.blockTime - r.blockTime;
  r.syscallTime = now.syscallTime - r.syscallTime;
  r.gcTime = now.gcTime - r.gcTime;
  r.sweepTime = now.sweepTime - r.sweepTime;
  r.totalTime = now.totalTime - r.totalTime;
}

const newRegion = (taskId: number, name: string, start: number): RegionStat => ({
  taskId,
  name,
  start,
  end: -1,
  execTime: 0,
  schedWaitTime: 0,
  ioTime: 0,
  blockTime: 0,
  syscallTime: 0,
  gcTime: 0,
  sweepTime: 0,
  totalTime: 0,
});

const freshPending = (): Pending => ({
  lastStartTime: 0,
  blockNetTime: 0,
  blockSyncTime: 0,
  blockSyscallTime: 0,
  blockSweepTime: 0,
  blockSchedTime: 0,
  activeRegions: [],
});

// Written out, not spread from zeroStat(): V8 builds an object from a spread through a slow
// generic path, microseconds each, and large traces create hundreds of thousands of goroutines.
const newGoroutine = (id: number, creationTime: number): GoroutineStat => ({
  id,
  name: '',
  pc: 0,
  creationTime,
  startTime: 0,
  endTime: 0,
  regions: [],
  execTime: 0,
  schedWaitTime: 0,
  ioTime: 0,
  blockTime: 0,
  syscallTime: 0,
  gcTime: 0,
  sweepTime: 0,
  totalTime: 0,
});

/**
 * isSystemGoroutine tells whether a goroutine started in the runtime (other than runtime.main),
 * as Go 1.19's trace tools decide it from the start function's name.
 */
export function isSystemGoroutine(entryFn: string): boolean {
  return entryFn !== 'runtime.main' && entryFn.startsWith('runtime.');
}

/** Analysis is one goroutine being analysed: its result and its pending state. */
interface Analysis {
  readonly g: GoroutineStat;
  p: Pending;
  /**
   * Whether a finalize found a non-zero life (end − creation): from then on totalTime stays. Go
   * tests totalTime === 0 instead, which a window could make 0 for a goroutine that ended.
   */
  lifeKnown: boolean;
}

/**
 * snapshot is the goroutine's statistics as if it ended at lastTs: what it has, plus the waits and
 * the run still open (Go's snapshotStat).
 */
function snapshot(a: Analysis, lastTs: number, gcStart: number, span: Span, r: ExecStat = zeroStat()): ExecStat {
  const { g, p } = a;
  copyStat(r, g);
  if (gcStart !== 0) r.gcTime += span(g.creationTime < gcStart ? gcStart : g.creationTime, lastTs);
  if (!a.lifeKnown) r.totalTime = span(g.creationTime, lastTs);
  if (p.lastStartTime !== 0) r.execTime += span(p.lastStartTime, lastTs);
  if (p.blockNetTime !== 0) r.ioTime += span(p.blockNetTime, lastTs);
  if (p.blockSyncTime !== 0) r.blockTime += span(p.blockSyncTime, lastTs);
  if (p.blockSyscallTime !== 0) r.syscallTime += span(p.blockSyscallTime, lastTs);
  if (p.blockSchedTime !== 0) r.schedWaitTime += span(p.blockSchedTime, lastTs);
  if (p.blockSweepTime !== 0) r.sweepTime += span(p.blockSweepTime, lastTs);
  return r;
}

// Scratch for finalize, which runs once per goroutine: no object is allocated to be dropped.
const finalScratch = zeroStat();

/** finalize closes a goroutine at its end event (trigger) or at the trace's end (-1). */
function finalize(a: Analysis, lastTs: number, gcStart: number, trigger: number, trace: Trace, span: Span): void {
  if (trigger >= 0) a.g.endTime = trace.events.ts[trigger]!;
  const final = snapshot(a, lastTs, gcStart, span, finalScratch);
  copyStat(a.g, final);
  if (lastTs !== a.g.creationTime) a.lifeKnown = true;
  // Runtime goroutines can inherit a task (a GC worker started inside a region) but are never
  // part of regions.
  if (!isSystemGoroutine(a.g.name)) {
    for (const r of a.p.activeRegions) {
      r.end = trigger;
      subtractFrom(r, final);
      a.g.regions.push(r);
    }
  }
  // Emptied in place (what freshPending makes): the regions it held have moved to the goroutine.
  const p = a.p;
  p.lastStartTime = p.blockNetTime = p.blockSyncTime = p.blockSyscallTime = p.blockSweepTime = p.blockSchedTime = 0;
  p.activeRegions.length = 0;
}

/**
 * goroutineStats computes every goroutine's statistics, keyed by goroutine id, in the order the
 * goroutines were created. Regions change no goroutine's numbers: without `regions` (views that
 * do not show them) they are not kept, which spares an object per region on large traces.
 */
export function goroutineStats(t: Trace, { regions = true, window }: { regions?: boolean; window?: TimeWindow } = {}): Map<number, GoroutineStat> {
  const ev = t.events;
  const span = spanIn(window);
  const stacks = t.stacks;
  const all = new Map<number, Analysis>();
  // Goroutines not yet ended, for GC pauses; compacted as goroutines end.
  let alive: Analysis[] = [];
  let lastTs = 0;
  let gcStart = 0; // 0: no GC cycle running
  const now = zeroStat(); // scratch for region ends
  // Looked up at every event: by id in an array (goroutine ids are small), not in the Map.
  const byId = new ObjectTable<Analysis>();
  const get = (id: number): Analysis | undefined => byId.get(id);
  // stopRun ends the goroutine's current run: the time since its start is execution.
  const stopRun = (a: Analysis, ts: number): void => {
    a.g.execTime += span(a.p.lastStartTime, ts);
    a.p.lastStartTime = 0;
  };
  for (let i = 0; i < ev.length; i++) {
    const ts = ev.ts[i]!;
    lastTs = ts;
    const type = ev.type[i]!;
    const arg0 = ev.args[i * argsPerEvent]!;
    switch (type) {
      case EventType.GoCreate: {
        const g = newGoroutine(arg0, ts);
        const a: Analysis = { g, p: freshPending(), lifeKnown: false };
        a.p.blockSchedTime = ts;
        // A new goroutine inherits the task of its creator's innermost active region, as a region
        // of its own starting at the GoCreate, so that a task shows the goroutines it spawned.
        const creator = get(ev.g[i]!);
        const active = creator?.p.activeRegions;
        if (active !== undefined && active.length > 0) {
          const taskId = active[active.length - 1]!.taskId;
          if (taskId !== 0) a.p.activeRegions = [newRegion(taskId, '', i)];
        }
        all.set(g.id, a);
        byId.set(g.id, a);
        alive.push(a);
        break;
      }
      case EventType.GoStart:
      case EventType.GoStartLabel: {
        const a = get(ev.g[i]!);
        if (a === undefined) break;
        if (a.g.pc === 0) {
          // The stack's top frame, read in place: stackFrames would build every frame as an
          // object, for each of hundreds of thousands of goroutines.
          const k = ev.stack[i]!;
          const f = k > 0 && k < stacks.length ? stacks.frameStart[k]! : 0;
          if (k > 0 && k < stacks.length && f < stacks.frameStart[k + 1]!) {
            a.g.pc = stacks.pc[f]!;
            a.g.name = t.strings[stacks.fn[f]!]!;
          }
        }
        a.p.lastStartTime = ts;
        if (a.g.startTime === 0) a.g.startTime = ts;
        if (a.p.blockSchedTime !== 0) {
          a.g.schedWaitTime += span(a.p.blockSchedTime, ts);
          a.p.blockSchedTime = 0;
        }
        break;
      }
      case EventType.GoEnd:
      case EventType.GoStop: {
        const a = get(ev.g[i]!);
        if (a !== undefined) finalize(a, ts, gcStart, i, t, span);
        break;
      }
      case EventType.GoBlockSend:
      case EventType.GoBlockRecv:
      case EventType.GoBlockSelect:
      case EventType.GoBlockSync:
      case EventType.GoBlockCond: {
        const a = get(ev.g[i]!);
        if (a === undefined) break;
        stopRun(a, ts);
        a.p.blockSyncTime = ts;
        break;
      }
      case EventType.GoSched:
      case EventType.GoPreempt: {
        const a = get(ev.g[i]!);
        if (a === undefined) break;
        stopRun(a, ts);
        a.p.blockSchedTime = ts;
        break;
      }
      case EventType.GoSleep:
      case EventType.GoBlock:
      case EventType.GoBlockGC: {
        const a = get(ev.g[i]!);
        if (a !== undefined) stopRun(a, ts);
        break;
      }
      case EventType.GoBlockNet: {
        const a = get(ev.g[i]!);
        if (a === undefined) break;
        stopRun(a, ts);
        a.p.blockNetTime = ts;
        break;
      }
      case EventType.GoUnblock: {
        const a = get(arg0);
        if (a === undefined) break;
        if (a.p.blockNetTime !== 0) {
          a.g.ioTime += span(a.p.blockNetTime, ts);
          a.p.blockNetTime = 0;
        }
        if (a.p.blockSyncTime !== 0) {
          a.g.blockTime += span(a.p.blockSyncTime, ts);
          a.p.blockSyncTime = 0;
        }
        a.p.blockSchedTime = ts;
        break;
      }
      case EventType.GoSysBlock: {
        const a = get(ev.g[i]!);
        if (a === undefined) break;
        stopRun(a, ts);
        a.p.blockSyscallTime = ts;
        break;
      }
      case EventType.GoSysExit: {
        const a = get(ev.g[i]!);
        if (a === undefined) break;
        if (a.p.blockSyscallTime !== 0) {
          a.g.syscallTime += span(a.p.blockSyscallTime, ts);
          a.p.blockSyscallTime = 0;
        }
        a.p.blockSchedTime = ts;
        break;
      }
      case EventType.GCSweepStart: {
        // Sweeping can happen on a system goroutine during GC, or on no goroutine at all.
        const a = get(ev.g[i]!);
        if (a !== undefined) a.p.blockSweepTime = ts;
        break;
      }
      case EventType.GCSweepDone: {
        const a = get(ev.g[i]!);
        if (a !== undefined && a.p.blockSweepTime !== 0) {
          a.g.sweepTime += span(a.p.blockSweepTime, ts);
          a.p.blockSweepTime = 0;
        }
        break;
      }
      case EventType.GCStart:
        gcStart = ts;
        break;
      case EventType.GCDone: {
        const still: Analysis[] = [];
        for (const a of alive) {
          if (a.g.endTime !== 0) continue;
          still.push(a);
          a.g.gcTime += span(gcStart < a.g.creationTime ? a.g.creationTime : gcStart, ts);
        }
        alive = still;
        gcStart = 0;
        break;
      }
      case EventType.UserRegion: {
        if (!regions) break;
        const a = get(ev.g[i]!);
        if (a === undefined) break;
        const taskId = arg0;
        const mode = ev.args[i * argsPerEvent + 1]!;
        const name = stringById(t, ev.args[i * argsPerEvent + 2]!);
        if (mode === 0) {
          const r = newRegion(taskId, name, i);
          snapshot(a, lastTs, gcStart, span, r);
          a.p.activeRegions.push(r);
        } else if (mode === 1) {
          // An end without a start: the region began before the trace did.
          const r = a.p.activeRegions.pop() ?? newRegion(taskId, name, -1);
          subtractFrom(r, snapshot(a, lastTs, gcStart, span, now));
          r.end = i;
          a.g.regions.push(r);
        }
        break;
      }
    }
  }
  const out = new Map<number, GoroutineStat>();
  for (const a of all.values()) {
    finalize(a, lastTs, gcStart, -1, t, span);
    a.g.regions.sort((x, y) => (x.start < 0 ? -1 : y.start < 0 ? 1 : ev.ts[x.start]! - ev.ts[y.start]!));
    out.set(a.g.id, a.g);
  }
  return out;
}
