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

import {
  GoroutineStatTable,
  creationCol,
  endCol,
  execCol,
  gcCol,
  lifeKnownCol,
  nameCol,
  netCol,
  netSince,
  pcCol,
  rowName,
  rowWidth,
  runSince,
  schedCol,
  schedSince,
  startCol,
  sweepCol,
  sweepSince,
  syncCol,
  syncSince,
  syscallCol,
  syscallSince,
  totalCol,
} from './goroutine-stat-table.js';
import { EventType, argsPerEvent, stringById, type Events, type Trace } from './model.js';

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

const zeroStat = (): ExecStat => ({ execTime: 0, schedWaitTime: 0, ioTime: 0, blockTime: 0, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 0 });

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

/**
 * isSystemGoroutine tells whether a goroutine started in the runtime (other than runtime.main),
 * as Go 1.19's trace tools decide it from the start function's name.
 */
export function isSystemGoroutine(entryFn: string): boolean {
  return entryFn !== 'runtime.main' && entryFn.startsWith('runtime.');
}


/** Goroutine ids up to this index an array (Go's count up from 1); others, a crafted trace's, a Map. */
const denseIdLimit = 1 << 24;

/**
 * GoroutineIndex maps goroutine ids to their rows (in creation order). The array is sized by the
 * largest id the trace creates, and only the pages its ids use are ever touched.
 */
class GoroutineIndex {
  private readonly dense: Int32Array; // row + 1; 0: none
  private readonly sparse = new Map<number, number>();

  constructor(maxDenseId: number) {
    this.dense = new Int32Array(maxDenseId + 1);
  }

  /** row returns the id's row, -1 when the trace created no goroutine with that id. */
  row(id: number): number {
    if (id >= 0 && id < this.dense.length) {
      const k = this.dense[id];
      if (k !== undefined && k !== 0) return k - 1;
    }
    return this.sparse.size === 0 ? -1 : (this.sparse.get(id) ?? -1);
  }

  set(id: number, row: number): void {
    if (isDenseId(id) && id < this.dense.length) this.dense[id] = row + 1;
    else this.sparse.set(id, row);
  }
}

function isDenseId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < denseIdLimit;
}

/** The state of one goroutineStats pass: the rows, the regions, what finalize and snapshot need. */
interface Pass {
  readonly t: Trace;
  readonly s: Float64Array;
  readonly span: Span;
  /** Per row, the open regions (innermost last); kept only with `regions`. */
  readonly active: (RegionStat[] | undefined)[];
  /** Per row, the regions it went through; kept only with `regions`. */
  readonly done: (RegionStat[] | undefined)[];
}

/**
 * snapshot is the goroutine's statistics as if it ended at lastTs: what it has, plus the waits and
 * the run still open (Go's snapshotStat).
 */
function snapshot(pass: Pass, k: number, lastTs: number, gcStart: number, r: ExecStat): ExecStat {
  const { s, span } = pass;
  const b = k * rowWidth;
  r.execTime = s[b + execCol]!;
  r.schedWaitTime = s[b + schedCol]!;
  r.ioTime = s[b + netCol]!;
  r.blockTime = s[b + syncCol]!;
  r.syscallTime = s[b + syscallCol]!;
  r.gcTime = s[b + gcCol]!;
  r.sweepTime = s[b + sweepCol]!;
  r.totalTime = s[b + totalCol]!;
  const creation = s[b + creationCol]!;
  if (gcStart !== 0) r.gcTime += span(creation < gcStart ? gcStart : creation, lastTs);
  if (s[b + lifeKnownCol] === 0) r.totalTime = span(creation, lastTs);
  if (s[b + runSince] !== 0) r.execTime += span(s[b + runSince]!, lastTs);
  if (s[b + netSince] !== 0) r.ioTime += span(s[b + netSince]!, lastTs);
  if (s[b + syncSince] !== 0) r.blockTime += span(s[b + syncSince]!, lastTs);
  if (s[b + syscallSince] !== 0) r.syscallTime += span(s[b + syscallSince]!, lastTs);
  if (s[b + schedSince] !== 0) r.schedWaitTime += span(s[b + schedSince]!, lastTs);
  if (s[b + sweepSince] !== 0) r.sweepTime += span(s[b + sweepSince]!, lastTs);
  return r;
}

// Scratch for finalize, which runs once per goroutine: no object is allocated to be dropped.
const finalScratch = zeroStat();

/** finalize closes a goroutine at its end event (trigger) or at the trace's end (-1). */
function finalize(pass: Pass, k: number, lastTs: number, gcStart: number, trigger: number): void {
  const s = pass.s;
  const b = k * rowWidth;
  if (trigger >= 0) s[b + endCol] = pass.t.events.ts[trigger]!;
  const final = snapshot(pass, k, lastTs, gcStart, finalScratch);
  s[b + execCol] = final.execTime;
  s[b + schedCol] = final.schedWaitTime;
  s[b + netCol] = final.ioTime;
  s[b + syncCol] = final.blockTime;
  s[b + syscallCol] = final.syscallTime;
  s[b + gcCol] = final.gcTime;
  s[b + sweepCol] = final.sweepTime;
  s[b + totalCol] = final.totalTime;
  if (lastTs !== s[b + creationCol]) s[b + lifeKnownCol] = 1;
  const open = pass.active[k];
  if (open !== undefined && open.length > 0) {
    // Runtime goroutines can inherit a task (a GC worker started inside a region) but are never
    // part of regions.
    if (!isSystemGoroutine(rowName(pass.t, pass.s, k))) {
      const done = (pass.done[k] ??= []);
      for (const r of open) {
        r.end = trigger;
        subtractFrom(r, final);
        done.push(r);
      }
    }
    // Emptied in place: the regions it held have moved to the goroutine.
    open.length = 0;
  }
  s[b + runSince] = s[b + netSince] = s[b + syncSince] = s[b + syscallSince] = s[b + sweepSince] = s[b + schedSince] = 0;
}

/**
 * goroutineStats computes every goroutine's statistics, keyed by goroutine id, in the order the
 * goroutines were created. Regions change no goroutine's numbers: without `regions` (views that
 * do not show them) they are not kept, which spares an object per region on large traces.
 */
export function goroutineStats(t: Trace, { regions = true, window }: { regions?: boolean; window?: TimeWindow } = {}): ReadonlyMap<number, GoroutineStat> {
  const ev = t.events;
  const type = ev.type;
  const args = ev.args;
  const gs = ev.g;
  // Goroutines are made only by GoCreate: counting those first sizes every array once.
  const { count, maxDenseId } = countCreates(type, args, ev.length);
  const index = new GoroutineIndex(maxDenseId);
  const ids = new Float64Array(count);
  const s = new Float64Array(count * rowWidth);
  const pass: Pass = { t, s, span: spanIn(window), active: [], done: [] };
  const span = pass.span;
  const active = pass.active;
  const stacks = t.stacks;
  let n = 0;
  let reusedIds = false; // a GoCreate of an id already created: Go's parser refuses such a trace
  // Goroutines not yet ended, for GC pauses, in creation order; compacted as goroutines end.
  const alive = new Int32Array(count);
  let nAlive = 0;
  let lastTs = 0;
  let gcStart = 0; // 0: no GC cycle running
  const now = zeroStat(); // scratch for region ends
  for (let i = 0; i < ev.length; i++) {
    const ts = ev.ts[i]!;
    lastTs = ts;
    switch (type[i]) {
      case EventType.GoCreate: {
        const k = n++;
        const b = k * rowWidth;
        const id = args[i * argsPerEvent]!;
        ids[k] = id;
        s[b + creationCol] = ts;
        s[b + schedSince] = ts;
        s[b + nameCol] = -1;
        if (regions) {
          // A new goroutine inherits the task of its creator's innermost active region, as a
          // region of its own starting at the GoCreate, so that a task shows the goroutines it spawned.
          const creator = index.row(gs[i]!);
          const open = creator >= 0 ? active[creator] : undefined;
          if (open !== undefined && open.length > 0) {
            const taskId = open[open.length - 1]!.taskId;
            if (taskId !== 0) active[k] = [newRegion(taskId, '', i)];
          }
        }
        if (index.row(id) >= 0) reusedIds = true;
        index.set(id, k);
        alive[nAlive++] = k;
        break;
      }
      case EventType.GoStart:
      case EventType.GoStartLabel: {
        const k = index.row(gs[i]!);
        if (k < 0) break;
        const b = k * rowWidth;
        if (s[b + pcCol] === 0) {
          // The stack's top frame, read in place: stackFrames would build every frame as an
          // object, for each of hundreds of thousands of goroutines.
          const st = ev.stack[i]!;
          const f = st > 0 && st < stacks.length ? stacks.frameStart[st]! : 0;
          if (st > 0 && st < stacks.length && f < stacks.frameStart[st + 1]!) {
            s[b + pcCol] = stacks.pc[f]!;
            s[b + nameCol] = stacks.fn[f]!;
          }
        }
        s[b + runSince] = ts;
        if (s[b + startCol] === 0) s[b + startCol] = ts;
        endWait(s, b, schedSince, schedCol, ts, span);
        break;
      }
      case EventType.GoEnd:
      case EventType.GoStop: {
        const k = index.row(gs[i]!);
        if (k >= 0) finalize(pass, k, ts, gcStart, i);
        break;
      }
      case EventType.GoBlockSend:
      case EventType.GoBlockRecv:
      case EventType.GoBlockSelect:
      case EventType.GoBlockSync:
      case EventType.GoBlockCond:
        stopRun(s, index.row(gs[i]!), ts, span, syncSince);
        break;
      case EventType.GoSched:
      case EventType.GoPreempt:
        stopRun(s, index.row(gs[i]!), ts, span, schedSince);
        break;
      case EventType.GoSleep:
      case EventType.GoBlock:
      case EventType.GoBlockGC:
        stopRun(s, index.row(gs[i]!), ts, span, -1);
        break;
      case EventType.GoBlockNet:
        stopRun(s, index.row(gs[i]!), ts, span, netSince);
        break;
      case EventType.GoSysBlock:
        stopRun(s, index.row(gs[i]!), ts, span, syscallSince);
        break;
      case EventType.GoUnblock: {
        const k = index.row(args[i * argsPerEvent]!);
        if (k < 0) break;
        const b = k * rowWidth;
        endWait(s, b, netSince, netCol, ts, span);
        endWait(s, b, syncSince, syncCol, ts, span);
        s[b + schedSince] = ts;
        break;
      }
      case EventType.GoSysExit: {
        const k = index.row(gs[i]!);
        if (k < 0) break;
        const b = k * rowWidth;
        endWait(s, b, syscallSince, syscallCol, ts, span);
        s[b + schedSince] = ts;
        break;
      }
      case EventType.GCSweepStart: {
        // Sweeping can happen on a system goroutine during GC, or on no goroutine at all.
        const k = index.row(gs[i]!);
        if (k >= 0) s[k * rowWidth + sweepSince] = ts;
        break;
      }
      case EventType.GCSweepDone: {
        const k = index.row(gs[i]!);
        if (k < 0) break;
        const b = k * rowWidth;
        endWait(s, b, sweepSince, sweepCol, ts, span);
        break;
      }
      case EventType.GCStart:
        gcStart = ts;
        break;
      case EventType.GCDone: {
        let still = 0;
        for (let j = 0; j < nAlive; j++) {
          const k = alive[j]!;
          const b = k * rowWidth;
          if (s[b + endCol] !== 0) continue;
          alive[still++] = k;
          const creation = s[b + creationCol]!;
          s[b + gcCol] += span(gcStart < creation ? creation : gcStart, ts);
        }
        nAlive = still;
        gcStart = 0;
        break;
      }
      case EventType.UserRegion: {
        if (!regions) break;
        const k = index.row(gs[i]!);
        if (k < 0) break;
        const taskId = args[i * argsPerEvent]!;
        const mode = args[i * argsPerEvent + 1]!;
        const name = stringById(t, args[i * argsPerEvent + 2]!);
        if (mode === 0) {
          const r = newRegion(taskId, name, i);
          snapshot(pass, k, lastTs, gcStart, r);
          (active[k] ??= []).push(r);
        } else if (mode === 1) {
          // An end without a start: the region began before the trace did.
          const r = active[k]?.pop() ?? newRegion(taskId, name, -1);
          subtractFrom(r, snapshot(pass, k, lastTs, gcStart, now));
          r.end = i;
          (pass.done[k] ??= []).push(r);
        }
        break;
      }
    }
  }
  for (let k = 0; k < n; k++) {
    finalize(pass, k, lastTs, gcStart, -1);
    pass.done[k]?.sort((x, y) => (x.start < 0 ? -1 : y.start < 0 ? 1 : ev.ts[x.start]! - ev.ts[y.start]!));
  }
  let listed: Int32Array | undefined;
  if (reusedIds) {
    // Each id once, at its first goroutine's place (its numbers: the last one's).
    const seen = new Set<number>();
    const first: number[] = [];
    for (let k = 0; k < n; k++) {
      if (seen.has(ids[k]!)) continue;
      seen.add(ids[k]!);
      first.push(k);
    }
    listed = Int32Array.from(first);
  }
  return new GoroutineStatTable(t, s, ids, (id) => index.row(id), listed, pass.done);
}

/**
 * countCreates counts the GoCreate events and finds the largest dense goroutine id they create.
 * A function of its own: V8 optimises a long loop while it runs, compiling the whole function it
 * is in, and that code is thrown away at the next loop, which it has not seen run.
 */
function countCreates(type: Uint8Array, args: Events['args'], n: number): { count: number; maxDenseId: number } {
  let count = 0;
  let maxDenseId = 0;
  for (let i = 0; i < n; i++) {
    if (type[i] !== EventType.GoCreate) continue;
    count++;
    const id = args[i * argsPerEvent]!;
    if (id > maxDenseId && isDenseId(id)) maxDenseId = id;
  }
  return { count, maxDenseId };
}

/** endWait adds a pending wait (its `since` field; 0: none) to its column, and clears it. */
function endWait(s: Float64Array, b: number, since: number, col: number, ts: number, span: Span): void {
  if (s[b + since] === 0) return;
  s[b + col] += span(s[b + since]!, ts);
  s[b + since] = 0;
}

/**
 * stopRun ends a goroutine's run at ts (the time since it started is execution) and, unless
 * `waitSince` is -1 (a wait Go counts in no column), starts the wait in that field.
 */
function stopRun(s: Float64Array, k: number, ts: number, span: Span, waitSince: number): void {
  if (k < 0) return;
  const b = k * rowWidth;
  s[b + execCol] += span(s[b + runSince]!, ts);
  s[b + runSince] = 0;
  if (waitSince >= 0) s[b + waitSince] = ts;
}
