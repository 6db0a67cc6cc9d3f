// Per-goroutine statistics of a Go 1.22+ trace, by the rules of Go 1.22+'s `go tool trace`
// (internal/trace's goroutine summarizer): a goroutine is always in one state (running, runnable,
// waiting for a reason, in a syscall, or unknown), and each change of state adds the time spent in
// the old one to its column. So the columns do not overlap, and what they leave of the goroutine's
// life is "Unknown time" (a goroutine older than the trace, before its first known state).
//
// The model says these transitions in the old format's words (gen/build.ts); here they are read
// back: GoStart = runnable → running, a block event = running → waiting (its reason from the event
// type, or the reason string a plain GoBlock keeps in arg 0), GoUnblock = waiting → runnable,
// GoSysCall = running → syscall, GoSysBlock = the syscall lost its P, GoSysExit = syscall →
// runnable, a syscall that kept its P returns to running at Trace.fastSyscallEnds' time.
// One difference from Go's code: a goroutine still in a syscall that lost its P when the trace
// ends has its time after the loss counted once, as "Block time (syscall)"; Go counts it also as
// syscall and scheduler time (its snapshot adds both), so its columns would exceed its total.

import { blockKinds } from './gen/build.js';
import { EventType, argsPerEvent, stackFrames, stringById, type Trace } from './model.js';
import { isSystemGoroutine, spanIn, type ExecStat, type GoroutineStat, type RegionStat, type TimeWindow } from './goroutine-stats.js';

/** The names of Go 1.22+'s columns ("non-overlapping stats"), as its goroutine page heads them. */
export const execColumn = 'Execution time';
export const schedColumn = 'Sched wait time';
export const syscallColumn = 'Syscall execution time';
export const unknownColumn = 'Unknown time';
export const blockColumn = (reason: string): string => `Block time (${reason})`;

/** The reasons the old event types stand for: the reader's mapping (gen/build.ts), inverted. */
const reasons = new Map<number, string>([...blockKinds].map(([reason, type]) => [type, reason]));

/** The reasons of the waits Go 1.22+'s sync profile counts (chan, sync or select). */
const syncReasons = new Set(['chan send', 'chan receive', 'select', 'sync', 'sync.(*Cond).Wait']);

/** The ranges Go 1.22+ times per goroutine, by the names its page gives them. */
const assistRange = 'GC mark assist';
const sweepRange = 'GC incremental sweep';

/** Times is where a goroutine's (or a region's) time went by Go 1.22+'s rules, in ns. */
interface Times {
  exec: number;
  sched: number;
  syscall: number;
  syscallBlock: number;
  total: number;
  block: Map<string, number>;
  ranges: Map<string, number>;
}

const newTimes = (): Times => ({ exec: 0, sched: 0, syscall: 0, syscallBlock: 0, total: 0, block: new Map(), ranges: new Map() });

const addTo = (m: Map<string, number>, k: string, v: number): void => {
  m.set(k, (m.get(k) ?? 0) + v);
};

/** One goroutine during the pass: its times so far, and since when it is in its current state. */
interface State {
  readonly g: GoroutineStat;
  readonly t: Times;
  lastStart: number;
  lastRunnable: number;
  lastBlock: number;
  lastBlockReason: string;
  lastSyscall: number;
  lastSyscallBlock: number;
  readonly rangeStart: Map<string, number>;
  regions: { r: RegionStat; at: Times }[];
  done: boolean;
}

/** snapshot is the goroutine's times as if its current state ended at ts (span: see TimeWindow). */
function snapshot(s: State, ts: number, span: (from: number, to: number) => number): Times {
  const t = s.t;
  const r: Times = { ...t, block: new Map(t.block), ranges: new Map(t.ranges) };
  if (s.done) return r;
  // Before it is finalized a goroutine's total is 0 (a window cannot make that differ).
  if (t.total === 0) r.total = span(s.g.creationTime, ts);
  if (s.lastStart !== 0) r.exec += span(s.lastStart, ts);
  if (s.lastRunnable !== 0) r.sched += span(s.lastRunnable, ts);
  if (s.lastBlock !== 0) addTo(r.block, s.lastBlockReason, span(s.lastBlock, ts));
  if (s.lastSyscall !== 0) {
    if (s.lastSyscallBlock !== 0) {
      r.syscall += span(s.lastSyscall, s.lastSyscallBlock);
      r.syscallBlock += span(s.lastSyscallBlock, ts);
    } else r.syscall += span(s.lastSyscall, ts);
  }
  for (const [name, from] of s.rangeStart) addTo(r.ranges, name, span(from, ts));
  return r;
}

/** columnsOf gives times as Go 1.22+'s named columns, Unknown time included; zero ones left out. */
export function columnsOf(t: Times): Record<string, number> {
  const cols = new Map<string, number>([
    [execColumn, t.exec],
    [schedColumn, t.sched],
    [syscallColumn, t.syscall],
    [blockColumn('syscall'), t.syscallBlock],
  ]);
  for (const [reason, ns] of t.block) addTo(cols, blockColumn(reason), ns);
  let sum = 0;
  for (const v of cols.values()) sum += v;
  cols.set(unknownColumn, sum < t.total ? t.total - sum : 0);
  const out: Record<string, number> = {};
  for (const [k, v] of cols) if (v !== 0) out[k] = v;
  return out;
}

/** minus is a − b, for a region's share of its goroutine's times. */
function minus(a: Times, b: Times): Times {
  const r: Times = { exec: a.exec - b.exec, sched: a.sched - b.sched, syscall: a.syscall - b.syscall, syscallBlock: a.syscallBlock - b.syscallBlock, total: a.total - b.total, block: new Map(), ranges: new Map() };
  for (const [k, v] of a.block) r.block.set(k, v - (b.block.get(k) ?? 0));
  for (const [k, v] of a.ranges) r.ranges.set(k, v - (b.ranges.get(k) ?? 0));
  return r;
}

/** setStat fills the ExecStat fields (which the sorts and the summary read) and the columns. */
function setStat(to: ExecStat & { columns?: Record<string, number>; rangeTimes?: Record<string, number> }, t: Times): void {
  to.execTime = t.exec;
  to.schedWaitTime = t.sched;
  to.syscallTime = t.syscall + t.syscallBlock;
  // The Go 1.19 fields keep their meaning (the summary's "blocked longest" and the sort keys read
  // them): network wait, and sync block as Go 1.22+'s sync profile counts it, waits whose reason
  // names chan, sync or select. Other waits (sleep, GC, the runtime's own) are in columns only.
  to.ioTime = t.block.get('network') ?? 0;
  let block = 0;
  for (const [k, v] of t.block) if (syncReasons.has(k)) block += v;
  to.blockTime = block;
  to.gcTime = 0;
  to.sweepTime = 0;
  to.totalTime = t.total;
  to.columns = columnsOf(t);
  to.rangeTimes = Object.fromEntries([...t.ranges].filter(([, v]) => v !== 0));
}

/**
 * goroutineTransitionStats computes every goroutine's statistics by Go 1.22+'s rules, keyed by id
 * in order of first appearance. Each has `columns` (Go 1.22+'s page columns, in ns) and
 * `rangeTimes` (time inside GC mark assists and sweeps, which overlaps the columns).
 */
export function goroutineTransitionStats(t: Trace, { regions = true, window }: { regions?: boolean; window?: TimeWindow } = {}): Map<number, GoroutineStat> {
  const ev = t.events;
  const span = spanIn(window);
  const fast = t.fastSyscallEnds;
  const all = new Map<number, State>();
  let lastTs = 0;
  const finalize = (s: State, ts: number, trigger: number): void => {
    if (s.done) return;
    if (trigger >= 0) s.g.endTime = ev.ts[trigger]!;
    const final = snapshot(s, ts, span);
    Object.assign(s.t, final);
    s.done = true;
    if (regions && !isSystemGoroutine(s.g.name)) {
      for (const { r, at } of s.regions) {
        r.end = trigger;
        setStat(r, minus(final, at));
        s.g.regions.push(r);
      }
    }
    s.regions = [];
  };
  // leave ends the goroutine's current state at ts, adding its time to the state's column.
  const leave = (s: State, ts: number): void => {
    if (s.lastStart !== 0) s.t.exec += span(s.lastStart, ts);
    if (s.lastRunnable !== 0) s.t.sched += span(s.lastRunnable, ts);
    if (s.lastBlock !== 0) addTo(s.t.block, s.lastBlockReason, span(s.lastBlock, ts));
    if (s.lastSyscall !== 0) {
      if (s.lastSyscallBlock !== 0) {
        s.t.syscall += span(s.lastSyscall, s.lastSyscallBlock);
        s.t.syscallBlock += span(s.lastSyscallBlock, ts);
      } else s.t.syscall += span(s.lastSyscall, ts);
    }
    s.lastStart = s.lastRunnable = s.lastBlock = s.lastSyscall = s.lastSyscallBlock = 0;
  };
  const get = (id: number): State | undefined => {
    const s = all.get(id);
    return s === undefined || s.done ? undefined : s;
  };
  const gens = t.generationStarts ?? [];
  let gen = -1; // the generation of event i
  for (let i = 0; i < ev.length; i++) {
    const ts = ev.ts[i]!;
    lastTs = ts;
    while (gen + 1 < gens.length && gens[gen + 1]! <= ts) gen++;
    const type = ev.type[i]!;
    const arg0 = ev.args[i * argsPerEvent]!;
    switch (type) {
      case EventType.GoCreate: {
        // Known from a status event: it existed at its generation's start (Go's last sync), and
        // until the status its state is unknown.
        const fromStatus = ev.args[i * argsPerEvent + 2] === 1;
        const created = fromStatus && gen >= 0 ? gens[gen]! : ts;
        const g: GoroutineStat = { id: arg0, name: '', pc: 0, creationTime: created, startTime: 0, endTime: 0, regions: [], execTime: 0, schedWaitTime: 0, ioTime: 0, blockTime: 0, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 0 };
        const s: State = { g, t: newTimes(), lastStart: 0, lastRunnable: ts, lastBlock: 0, lastBlockReason: '', lastSyscall: 0, lastSyscallBlock: 0, rangeStart: new Map(), regions: [], done: false };
        // A new goroutine inherits the task of its creator's innermost region (Go's fake region).
        const creator = get(ev.g[i]!);
        const top = creator?.regions[creator.regions.length - 1];
        if (regions && top !== undefined && top.r.taskId !== 0) {
          s.regions.push({ r: { taskId: top.r.taskId, name: '', start: i, end: -1, execTime: 0, schedWaitTime: 0, ioTime: 0, blockTime: 0, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 0 }, at: newTimes() });
        }
        all.set(g.id, s);
        break;
      }
      case EventType.GoStart:
      case EventType.GoStartLabel: {
        const s = get(ev.g[i]!);
        if (s === undefined) break;
        if (s.g.pc === 0) {
          const root = stackFrames(t, ev.stack[i]!)[0];
          if (root !== undefined) {
            s.g.pc = root.pc;
            s.g.name = root.fn;
          }
        }
        leave(s, ts);
        s.lastStart = ts;
        if (s.g.startTime === 0) s.g.startTime = ts;
        break;
      }
      case EventType.GoEnd:
      case EventType.GoStop: {
        const s = get(ev.g[i]!);
        if (s !== undefined) {
          leave(s, ts);
          finalize(s, ts, i);
        }
        break;
      }
      case EventType.GoSched:
      case EventType.GoPreempt: {
        const s = get(ev.g[i]!);
        if (s === undefined) break;
        leave(s, ts);
        s.lastRunnable = ts;
        break;
      }
      case EventType.GoBlock:
      case EventType.GoBlockSend:
      case EventType.GoBlockRecv:
      case EventType.GoBlockSelect:
      case EventType.GoBlockSync:
      case EventType.GoBlockCond:
      case EventType.GoBlockNet:
      case EventType.GoSleep:
      case EventType.GoBlockGC:
      case EventType.GoWaiting: {
        const s = get(ev.g[i]!);
        if (s === undefined) break;
        // A goroutine known waiting from a status event has no reason: Go sums it under "".
        const reason = type === EventType.GoBlock ? stringById(t, arg0) : type === EventType.GoWaiting ? '' : reasons.get(type)!;
        leave(s, ts);
        // Blocked "forever" (select {} and the like) is, to Go 1.22+'s tool, the goroutine's end.
        if (reason === 'forever') finalize(s, ts, i);
        else {
          s.lastBlock = ts;
          s.lastBlockReason = reason;
        }
        break;
      }
      case EventType.GoUnblock: {
        const s = get(arg0);
        if (s === undefined || s.lastBlock === 0) break;
        leave(s, ts);
        s.lastRunnable = ts;
        break;
      }
      case EventType.GoSysCall: {
        const s = get(ev.g[i]!);
        if (s === undefined) break;
        leave(s, ts);
        const end = fast?.get(i);
        if (end === undefined) s.lastSyscall = ts;
        else {
          // It returned with its P kept: running again from then on.
          s.t.syscall += span(ts, end);
          s.lastStart = end;
        }
        break;
      }
      case EventType.GoInSyscall: {
        const s = get(arg0);
        if (s === undefined) break;
        leave(s, ts);
        s.lastSyscall = ts;
        break;
      }
      case EventType.GoSysBlock: {
        const s = get(ev.g[i]!);
        if (s !== undefined && s.lastSyscall !== 0 && s.lastSyscallBlock === 0) s.lastSyscallBlock = ts;
        break;
      }
      case EventType.GoSysExit: {
        const s = get(ev.g[i]!);
        if (s === undefined) break;
        leave(s, ts);
        s.lastRunnable = ts;
        break;
      }
      case EventType.GCMarkAssistStart:
      case EventType.GCSweepStart: {
        const s = get(ev.g[i]!);
        if (s !== undefined) s.rangeStart.set(type === EventType.GCSweepStart ? sweepRange : assistRange, ts);
        break;
      }
      case EventType.GCMarkAssistDone:
      case EventType.GCSweepDone: {
        const s = get(ev.g[i]!);
        const name = type === EventType.GCSweepDone ? sweepRange : assistRange;
        const from = s?.rangeStart.get(name);
        if (s === undefined || from === undefined) break;
        addTo(s.t.ranges, name, span(from, ts));
        s.rangeStart.delete(name);
        break;
      }
      case EventType.UserRegion: {
        if (!regions) break;
        const s = get(ev.g[i]!);
        if (s === undefined) break;
        const mode = ev.args[i * argsPerEvent + 1]!;
        const name = stringById(t, ev.args[i * argsPerEvent + 2]!);
        if (mode === 0) {
          s.regions.push({ r: { taskId: arg0, name, start: i, end: -1, execTime: 0, schedWaitTime: 0, ioTime: 0, blockTime: 0, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 0 }, at: snapshot(s, ts, span) });
        } else if (mode === 1) {
          // An end without a start: the region began before the trace did.
          const open = s.regions.pop() ?? { r: { taskId: arg0, name, start: -1, end: -1, execTime: 0, schedWaitTime: 0, ioTime: 0, blockTime: 0, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 0 }, at: newTimes() };
          setStat(open.r, minus(snapshot(s, ts, span), open.at));
          open.r.end = i;
          s.g.regions.push(open.r);
        }
        break;
      }
    }
  }
  const out = new Map<number, GoroutineStat>();
  for (const s of all.values()) {
    finalize(s, lastTs, -1);
    setStat(s.g, s.t);
    s.g.regions.sort((x, y) => (x.start < 0 ? -1 : y.start < 0 ? 1 : ev.ts[x.start]! - ev.ts[y.start]!));
    out.set(s.g.id, s.g);
  }
  return out;
}
