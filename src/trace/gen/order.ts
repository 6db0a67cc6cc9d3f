// Ordering a generational trace: each M's batches are in time order, but Ms are not ordered with
// each other, so events are merged by time and an event is taken only when the state it needs
// holds — a GoStart when its goroutine is runnable and its sequence number is the next one, a
// ProcStart when its P is idle with the next P sequence number, a GC event when the GC sequence
// says it comes next. When the earliest event cannot go, the next earliest is tried; when none
// can, the trace is broken. Each event then moves the state of its M (the P and goroutine it is
// running), of the goroutine and of the P. The rules are those of Go's internal/trace (order.go),
// and so are the reasons a trace is refused. Accepted events go to a Sink, with their context.

import { TraceFormatError } from '../old/wire.js';
import { type Batch, type Generation, NoThread } from './batches.js';
import { GenType as T, GoStatus as GS, ProcStatus as PS, experimentalArgs, genSpecs, goStatusNames, lastType } from './spec.js';

export const NoProc = -1;
export const NoGoroutine = -1;

/** Ctx is where an event happened: its M, the P that M held, the goroutine it was running. */
export interface Ctx {
  m: number;
  p: number;
  g: number;
}

/** Sink receives the ordered events: type, time in ns, context, arguments (dt excluded). */
export interface Sink {
  event(type: number, time: number, ctx: Ctx, args: Float64Array, extra: EventExtra): void;
}

/**
 * EventExtra is what ordering learns beyond the event: whether a status event introduces its
 * goroutine or P (first seen), the state a ProcSteal took its P from, and the goroutine a stolen
 * P's M was running.
 */
export interface EventExtra {
  /** The byte offset of the event in the trace file (synthesized events: the one they came from). */
  off: number;
  isNew: boolean;
  oldProcStatus: number;
  stolenG: number;
}

interface GState {
  status: number;
  gen: number;
  seq: number;
  regions: string[];
  ranges: string[];
}

interface PState {
  status: number;
  gen: number;
  seq: number;
  ranges: string[];
}

interface MState {
  g: number;
  p: number;
}

/** Cursor over one M's batches in a generation: the next event, decoded. */
class MCursor {
  bi = 0;
  off: number;
  /** The offset of the decoded event. */
  at = 0;
  lastTs = 0;
  type = 0;
  time = 0;
  readonly args = new Float64Array(5);

  constructor(
    readonly m: number,
    readonly batches: Batch[],
  ) {
    this.off = batches[0]!.start;
  }
}

const err = (msg: string): never => {
  throw new TraceFormatError(msg);
};

const typeName = (type: number): string => genSpecs[type]?.[0] ?? `Experimental(${type})`;

/** checkCtx checks what an event needs of its M's context: 2 must have, 1 may have, 0 must not have. */
function checkCtx(ctx: Ctx, m: number, p: number, g: number): void {
  if (m === 2 && ctx.m === NoThread) err("expected a thread but didn't have one");
  if (p === 2 && ctx.p === NoProc) err("expected a proc but didn't have one");
  if (p === 0 && ctx.p !== NoProc) err('expected no proc but had one');
  if (g === 2 && ctx.g === NoGoroutine) err("expected a goroutine but didn't have one");
  if (g === 0 && ctx.g !== NoGoroutine) err('expected no goroutine but had one');
}

/** Orderer keeps the state across generations and orders one generation at a time. */
export class Orderer {
  private readonly gs = new Map<number, GState>();
  private readonly ps = new Map<number, PState>();
  private readonly ms = new Map<number, MState>();
  private readonly tasks = new Set<number>();
  private gcSeq = 0;
  private gcState = 0; // 0 undetermined, 1 not running, 2 running
  private initialGen = 0;
  private gen = 0;
  private strings: Map<number, string> = new Map();
  private lastTime = 0;
  private readonly extra: EventExtra = { off: 0, isNew: false, oldProcStatus: 0, stolenG: NoGoroutine };
  private readonly maxType: number;
  /** The context of the event being advanced (one object, reused: events are many). */
  private readonly ctx: Ctx = { m: NoThread, p: NoProc, g: NoGoroutine };

  constructor(
    private readonly buf: Uint8Array,
    ver: number,
    private readonly sink: Sink,
    private readonly checkIds: (g: Generation, type: number, args: Float64Array) => void,
  ) {
    this.maxType = lastType(ver);
  }

  /** orderGeneration orders every event of g (CPU samples merged by time) into the sink. */
  orderGeneration(g: Generation, sample: (s: Generation['cpuSamples'][number], time: number) => void): void {
    if (this.initialGen === 0) this.initialGen = g.gen;
    this.gen = g.gen;
    this.strings = g.strings;
    const frontier: MCursor[] = [];
    for (const [m, batches] of g.batches) {
      const c = new MCursor(m, batches);
      if (this.read(c, g)) frontier.push(c);
    }
    const samples = g.cpuSamples;
    let si = 0;
    const byTime = (a: MCursor, b: MCursor): number => a.time - b.time;
    while (frontier.length > 0 || si < samples.length) {
      let head = 0;
      for (let i = 1; i < frontier.length; i++) if (frontier[i]!.time < frontier[head]!.time) head = i;
      if (si < samples.length && (frontier.length === 0 || samples[si]!.time < frontier[head]!.time)) {
        const s = samples[si++]!;
        const t = s.time <= this.lastTime ? this.lastTime + 1 : s.time;
        this.lastTime = t;
        sample(s, t);
        continue;
      }
      let moved = this.tryAdvance(frontier, head, g);
      if (!moved) {
        frontier.sort(byTime);
        for (let i = 0; i < frontier.length && !moved; i++) moved = this.tryAdvance(frontier, i, g);
        if (!moved) {
          const c = frontier[0]!;
          err(`broken trace: failed to advance: no M's next event can happen (generation ${g.gen}, first: ${genSpecs[c.type]?.[0] ?? c.type} on M ${c.m} at ${c.time} ns)`);
        }
      }
    }
  }

  private tryAdvance(frontier: MCursor[], i: number, g: Generation): boolean {
    const c = frontier[i]!;
    if (!this.advance(c, g)) return false;
    if (!this.read(c, g)) frontier.splice(i, 1);
    return true;
  }

  /** read decodes the cursor's next event; false at the end of its batches. */
  private read(c: MCursor, g: Generation): boolean {
    let b = c.batches[c.bi];
    while (b !== undefined && c.off >= b.end) {
      b = c.batches[++c.bi];
      if (b === undefined) return false;
      c.off = b.start;
      c.lastTs = 0;
    }
    if (b === undefined) return false;
    if (c.lastTs === 0) c.lastTs = Math.trunc(b.time * g.nsPerTick);
    const buf = this.buf;
    const type = buf[c.off]!;
    let n: number;
    if (type <= this.maxType && type < genSpecs.length) {
      const spec = genSpecs[type]!;
      if (spec[1][0] !== 'dt') err(`found event without a timestamp: type=${spec[0]}`);
      n = spec[1].length;
    } else {
      const e = experimentalArgs.get(type);
      if (e === undefined) return err(`found invalid event type: ${type}`);
      n = e;
    }
    let off = c.off + 1;
    for (let k = 0; k < n; k++) {
      let v = 0;
      let mul = 1;
      for (let s = 0; ; s++) {
        if (off >= b.end || s >= 10) err(s >= 10 ? 'found invalid uvarint' : `event at offset ${c.off} runs past the end of its batch`);
        const x = buf[off++]!;
        v += (x & 0x7f) * mul;
        if (x < 0x80) break;
        mul *= 128;
      }
      if (k === 0) c.time = Math.trunc(v * g.nsPerTick) + c.lastTs;
      else c.args[k - 1] = v;
    }
    c.lastTs = c.time;
    c.type = type;
    c.at = c.off;
    c.off = off;
    return true;
  }

  private emit(type: number, time: number, ctx: Ctx, args: Float64Array, extra = this.extra): void {
    // Times only move forward: an event no later than the previous one is put 1 ns after it.
    if (time <= this.lastTime) time = this.lastTime + 1;
    this.lastTime = time;
    this.sink.event(type, time, ctx, args, extra);
    extra.isNew = false;
    extra.oldProcStatus = 0;
    extra.stolenG = NoGoroutine;
  }

  /** advance takes c's event if its preconditions hold; throws when they never can. */
  private advance(c: MCursor, g: Generation): boolean {
    const m = c.m;
    let ms = m === NoThread ? undefined : this.ms.get(m);
    if (m !== NoThread && ms === undefined) {
      ms = { g: NoGoroutine, p: NoProc };
      this.ms.set(m, ms);
    }
    const ctx = this.ctx;
    ctx.m = m;
    ctx.p = ms?.p ?? NoProc;
    ctx.g = ms?.g ?? NoGoroutine;
    const a = c.args;
    const name = typeName(c.type);
    const gen = this.gen;
    let newP = ctx.p;
    let newG = ctx.g;
    const x = this.extra;
    x.off = c.at;
    this.checkIds(g, c.type, a);
    switch (c.type) {
      case T.ProcStatus: {
        const pid = a[0]!;
        const status = a[1]!;
        if (status > PS.SyscallAbandoned) err(`invalid status for proc ${pid}: ${status}`);
        const s = this.ps.get(pid);
        if (s !== undefined) {
          if (!(status === PS.SyscallAbandoned && (s.status === PS.Syscall || s.status === PS.SyscallAbandoned)) && s.status !== status) {
            err(`inconsistent status for proc ${pid}: old ${s.status} vs. new ${status}`);
          }
          if (status === PS.SyscallAbandoned && s.status === PS.Syscall) a[1] = PS.Syscall;
          s.gen = gen;
          s.seq = 0;
        } else {
          this.ps.set(pid, { status, gen, seq: 0, ranges: [] });
          x.isNew = true;
        }
        if (status === PS.Running || status === PS.Syscall) newP = pid;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.ProcStart: {
        const pid = a[0]!;
        const s = this.ps.get(pid);
        if (s === undefined || s.status !== PS.Idle || !(s.gen === gen && a[1] === s.seq + 1) || ctx.p !== NoProc) return false;
        checkCtx(ctx, 2, 0, 1);
        s.status = PS.Running;
        s.seq = a[1]!;
        newP = pid;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.ProcStop: {
        const s = this.ps.get(ctx.p);
        if (s === undefined) return err(`event ${name} for proc (${ctx.p}) that doesn't exist`);
        if (s.status !== PS.Running && s.status !== PS.Syscall) err(`${name} event for proc that's not Running or Syscall`);
        checkCtx(ctx, 2, 2, 1);
        s.status = PS.Idle;
        newP = NoProc;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.ProcSteal: {
        const pid = a[0]!;
        const s = this.ps.get(pid);
        if (s === undefined || (s.status !== PS.Syscall && s.status !== PS.SyscallAbandoned) || !(s.gen === gen && a[1] === s.seq + 1)) return false;
        checkCtx(ctx, 2, 1, 1);
        const old = s.status;
        s.status = PS.Idle;
        s.seq = a[1]!;
        x.oldProcStatus = old;
        if (old === PS.SyscallAbandoned) {
          this.emit(c.type, c.time, ctx, a);
          break;
        }
        const victim = a[2]!;
        if (victim === m) {
          if (ctx.p !== pid) err(`tried to self-steal proc ${pid} (thread ${victim}), but got proc ${ctx.p} instead`);
          x.stolenG = ctx.g;
          newP = NoProc;
        } else {
          const vs = this.ms.get(victim);
          if (vs === undefined) return err(`stole proc from non-existent thread ${victim}`);
          if (vs.p !== pid) err(`tried to steal proc ${pid} from thread ${victim}, but got proc ${vs.p} instead`);
          x.stolenG = vs.g;
          vs.p = NoProc;
        }
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoStatus:
      case T.GoStatusStack: {
        const gid = a[0]!;
        const mid = a[1]! >= 2 ** 63 ? NoThread : a[1]!;
        const status = a[2]!;
        if (status > GS.Waiting || status === GS.Bad) err(`invalid status for goroutine ${gid}: ${status}`);
        const s = this.gs.get(gid);
        if (s !== undefined) {
          if (s.status !== status) err(`inconsistent status for goroutine ${gid}: old ${goStatusNames[s.status]} vs. new ${goStatusNames[status]}`);
          s.gen = gen;
          s.seq = 0;
        } else if (gen === this.initialGen) {
          this.gs.set(gid, { status, gen, seq: 0, regions: [], ranges: [] });
          x.isNew = true;
        } else {
          err(`found goroutine status for new goroutine after the first generation: id=${gid} status=${goStatusNames[status]}`);
        }
        const evCtx = { ...ctx };
        if (status === GS.Running) newG = gid;
        else if (status === GS.Syscall) {
          if (mid === NoThread) err(`found goroutine ${gid} in syscall without a thread`);
          if (mid === m) {
            if (gen !== this.initialGen && ctx.g !== gid) err(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${ctx.g}`);
            newG = gid;
          } else {
            const o = this.ms.get(mid);
            if (o !== undefined) {
              if (o.g !== gid) err(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${o.g}`);
            } else this.ms.set(mid, { g: gid, p: NoProc });
            evCtx.m = mid;
            evCtx.g = gid;
          }
        }
        this.emit(c.type, c.time, evCtx, a);
        break;
      }
      case T.GoCreate:
      case T.GoCreateBlocked: {
        checkCtx(ctx, 2, 2, 1);
        const cur = this.gs.get(ctx.g);
        if (cur !== undefined && cur.status !== GS.Running) err(`${name} event for goroutine that's not Running`);
        const ng = a[0]!;
        if (this.gs.has(ng)) err(`tried to create goroutine (${ng}) that already exists`);
        this.gs.set(ng, { status: c.type === T.GoCreate ? GS.Runnable : GS.Waiting, gen, seq: 0, regions: [], ranges: [] });
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoCreateSyscall: {
        checkCtx(ctx, 2, 1, 0);
        const ng = a[0]!;
        if (this.gs.has(ng)) err(`tried to create goroutine (${ng}) in syscall that already exists`);
        this.gs.set(ng, { status: GS.Syscall, gen, seq: 0, regions: [], ranges: [] });
        newG = ng;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoStart: {
        const gid = a[0]!;
        const s = this.gs.get(gid);
        if (s === undefined || s.status !== GS.Runnable || !(s.gen === gen && a[1] === s.seq + 1)) return false;
        checkCtx(ctx, 2, 2, 0);
        s.status = GS.Running;
        s.seq = a[1]!;
        newG = gid;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoDestroy:
      case T.GoStop:
      case T.GoBlock: {
        const s = this.running(ctx, c.type);
        if (c.type === T.GoDestroy) this.gs.delete(ctx.g);
        else s.status = c.type === T.GoStop ? GS.Runnable : GS.Waiting;
        newG = NoGoroutine;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoUnblock: {
        const gid = a[0]!;
        const s = this.gs.get(gid);
        if (s === undefined || s.status !== GS.Waiting || !(s.gen === gen && a[1] === s.seq + 1)) return false;
        s.status = GS.Runnable;
        s.seq = a[1]!;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoSwitch:
      case T.GoSwitchDestroy: {
        const cur = this.running(ctx, c.type);
        const next = a[0]!;
        const s = this.gs.get(next);
        if (s === undefined || s.status !== GS.Waiting || !(s.gen === gen && a[1] === s.seq + 1)) return false;
        if (c.type === T.GoSwitch) cur.status = GS.Waiting;
        else this.gs.delete(ctx.g);
        s.status = GS.Running;
        s.seq = a[1]!;
        newG = next;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoSyscallBegin: {
        const s = this.running(ctx, c.type);
        s.status = GS.Syscall;
        const p = this.ps.get(ctx.p);
        if (p === undefined) return err(`uninitialized proc ${ctx.p} found during ${name}`);
        p.status = PS.Syscall;
        if (!(p.gen === gen && a[0] === p.seq + 1)) err(`failed to advance ${name}: can't make sequence: ${p.seq} -> ${a[0]}`);
        p.seq = a[0]!;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoSyscallEnd: {
        checkCtx(ctx, 2, 2, 2);
        const s = this.gs.get(ctx.g);
        if (s === undefined) return err(`event ${name} for goroutine (${ctx.g}) that doesn't exist`);
        if (s.status !== GS.Syscall) err(`${name} event for goroutine that's not Syscall`);
        s.status = GS.Running;
        const p = this.ps.get(ctx.p);
        if (p === undefined) return err(`uninitialized proc ${ctx.p} found during ${name}`);
        if (p.status !== PS.Syscall) err(`expected proc ${ctx.p} in state Syscall, but got ${p.status} instead`);
        p.status = PS.Running;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoSyscallEndBlocked: {
        if (ctx.p !== NoProc) {
          const p = this.ps.get(ctx.p);
          if (p === undefined) return err(`uninitialized proc ${ctx.p} found during ${name}`);
          if (p.status === PS.Syscall) return false; // Its P must be stolen first.
        }
        checkCtx(ctx, 2, 1, 2);
        const s = this.gs.get(ctx.g);
        if (s === undefined) return err(`event ${name} for goroutine (${ctx.g}) that doesn't exist`);
        if (s.status !== GS.Syscall) err(`${name} event for goroutine that's not Syscall`);
        s.status = GS.Runnable;
        newG = NoGoroutine;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GoDestroySyscall: {
        checkCtx(ctx, 2, 1, 2);
        const s = this.gs.get(ctx.g);
        if (s === undefined) return err(`event ${name} for goroutine (${ctx.g}) that doesn't exist`);
        if (s.status !== GS.Syscall) err(`${name} event for goroutine that's not Syscall`);
        this.gs.delete(ctx.g);
        newG = NoGoroutine;
        if (ctx.p !== NoProc) {
          const p = this.ps.get(ctx.p);
          if (p === undefined) return err(`found invalid proc ${ctx.p} during ${name}`);
          if (p.status !== PS.Syscall) err(`proc ${ctx.p} in unexpected state ${p.status} during ${name}`);
          p.status = PS.SyscallAbandoned;
          newP = NoProc;
          // The P is lost with the goroutine's thread: to the reader, it was stolen.
          x.oldProcStatus = PS.Syscall;
          x.stolenG = ctx.g;
          this.emit(T.ProcSteal, c.time, ctx, Float64Array.of(ctx.p, 0, m, 0, 0));
        }
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.UserTaskBegin: {
        const id = a[0]!;
        if (this.tasks.has(id)) err(`task ID conflict: ${id}`);
        this.tasks.add(id);
        checkCtx(ctx, 2, 2, 2);
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.UserTaskEnd:
        this.tasks.delete(a[0]!);
        checkCtx(ctx, 2, 2, 2);
        this.emit(c.type, c.time, ctx, a);
        break;
      case T.UserRegionBegin:
      case T.UserRegionEnd: {
        checkCtx(ctx, 2, 2, 2);
        const s = this.gs.get(ctx.g);
        if (s === undefined) return err(`encountered ${name} without known state for current goroutine ${ctx.g}`);
        const key = `${a[0]}\0${this.strings.get(a[1]!) ?? ''}`;
        if (c.type === T.UserRegionBegin) s.regions.push(key);
        else if (s.regions.length > 0) {
          if (s.regions[s.regions.length - 1] !== key) err(`misuse of region in goroutine ${ctx.g}: region end does not match the inner-most active region`);
          s.regions.pop();
        }
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GCActive: {
        const seq = a[0]!;
        if (gen === this.initialGen) {
          if (this.gcState !== 0) err('GCActive in the first generation isn\'t first GC event');
        } else {
          if (seq !== this.gcSeq + 1) return false;
          if (this.gcState !== 2) err('encountered GCActive while GC was not in progress');
          checkCtx(ctx, 2, 2, 2);
        }
        this.gcSeq = seq;
        this.gcState = 2;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GCBegin: {
        const seq = a[0]!;
        if (this.gcState !== 0) {
          if (seq !== this.gcSeq + 1) return false;
          if (this.gcState === 2) err('encountered GCBegin while GC was already in progress');
          checkCtx(ctx, 2, 2, 2);
        }
        this.gcSeq = seq;
        this.gcState = 2;
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GCEnd: {
        const seq = a[0]!;
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState === 1) err('encountered GCEnd when GC was not in progress');
        if (this.gcState === 0) err('encountered GCEnd when GC was in an undetermined state');
        this.gcSeq = seq;
        this.gcState = 1;
        checkCtx(ctx, 2, 2, 2);
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GCSweepBegin:
      case T.GCSweepEnd: {
        checkCtx(ctx, 2, 2, 1);
        this.range(this.ps.get(ctx.p)!.ranges, c.type === T.GCSweepBegin, 'GCSweepBegin');
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GCSweepActive: {
        const p = this.ps.get(a[0]!);
        if (p === undefined) return err(`encountered GCSweepActive for unknown proc ${a[0]}`);
        this.active(p.ranges, 'GCSweepBegin', gen === this.initialGen);
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.GCMarkAssistActive: {
        const s = this.gs.get(a[0]!);
        if (s === undefined) return err(`uninitialized goroutine ${a[0]} found during ${name}`);
        this.active(s.ranges, 'GCMarkAssistBegin', gen === this.initialGen);
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.STWBegin:
      case T.STWEnd:
      case T.GCMarkAssistBegin:
      case T.GCMarkAssistEnd: {
        checkCtx(ctx, 2, 2, 2);
        const s = this.gs.get(ctx.g);
        if (s === undefined) return err(`encountered event of type ${name} without known state for current goroutine ${ctx.g}`);
        const begin = c.type === T.STWBegin || c.type === T.STWEnd ? 'STWBegin' : 'GCMarkAssistBegin';
        this.range(s.ranges, c.type === T.STWBegin || c.type === T.GCMarkAssistBegin, begin);
        this.emit(c.type, c.time, ctx, a);
        break;
      }
      case T.HeapAlloc:
      case T.HeapGoal:
        checkCtx(ctx, 2, 2, 1);
        this.emit(c.type, c.time, ctx, a);
        break;
      case T.ProcsChange:
      case T.GoLabel:
      case T.UserLog:
        checkCtx(ctx, 2, 2, 2);
        this.emit(c.type, c.time, ctx, a);
        break;
      default:
        if (c.type >= 128) {
          checkCtx(ctx, 2, 1, 1);
          break; // Experimental events do not reach the model.
        }
        return err(`bad event type found while ordering: ${name}`);
    }
    if (ms !== undefined) {
      ms.p = newP;
      ms.g = newG;
    }
    return true;
  }

  /** running returns the state of ctx's goroutine, which must be running on a P. */
  private running(ctx: Ctx, type: number): GState {
    checkCtx(ctx, 2, 2, 2);
    const s = this.gs.get(ctx.g);
    if (s === undefined) return err(`event ${typeName(type)} for goroutine (${ctx.g}) that doesn't exist`);
    if (s.status !== GS.Running) err(`${typeName(type)} event for goroutine that's not Running`);
    return s;
  }

  private range(inFlight: string[], begin: boolean, what: string): void {
    const i = inFlight.indexOf(what);
    if (begin) {
      if (i >= 0) err(`discovered event already in-flight for when starting event ${what}`);
      inFlight.push(what);
    } else {
      if (i < 0) err(`tried to end event ${what}, but not in-flight`);
      inFlight.splice(i, 1);
    }
  }

  private active(inFlight: string[], what: string, initial: boolean): void {
    if (initial) {
      if (inFlight.includes(what)) err(`found named active range already in first gen: ${what}`);
      inFlight.push(what);
    } else if (!inFlight.includes(what)) err(`resource is missing active range: ${what}`);
  }
}
