// Turning the ordered events of a generational trace into the Trace model (the old format's event
// types, so that every analysis reads both formats alike), and linking them as Events.link says.
//
// The generational format describes the same scheduler with other words; where an event means
// what an old one meant it becomes that one (GoCreate, GoStart, GoUnblock, GoSysCall, ProcStart,
// GCBegin → GCStart, …). The others are said in old words: a goroutine that exists when the trace
// starts (a GoStatus) is a GoCreate, then GoWaiting / GoInSyscall / GoStart as its status says, as
// the old runtime wrote at trace start; GoBlock's reason string picks the blocking kind
// (GoBlockSend, GoBlockNet, GoSleep, …); GoStop is GoPreempt when preempted, GoSched otherwise; a
// P stolen from a goroutine in a syscall is that goroutine's GoSysBlock, and its later
// GoSyscallEndBlocked the GoSysExit; a coroutine switch is a block, an unblock and a start.
// Strings and stacks are numbered per generation in the trace; here they are one table for the
// whole trace, shared where equal, and the ids events carry are our indexes.

import { StringTable } from '../../profile/string-table.js';
import { argsPerEvent, EventType as E, SpecialP, fitsNarrowArg, putArg, stwKindName } from '../model.js';
import type { Generation, RawCPUSample } from './batches.js';
import { type Ctx, type EventExtra, NoGoroutine, NoProc } from './order.js';
import { GenType as T, GoStatus as GS, ProcStatus as PS } from './spec.js';

/** blockKinds maps the runtime's block reasons (traceBlockReason strings) to old event types. */
export const blockKinds: ReadonlyMap<string, number> = new Map<string, number>([
  ['chan send', E.GoBlockSend],
  ['chan receive', E.GoBlockRecv],
  ['select', E.GoBlockSelect],
  ['sync', E.GoBlockSync],
  ['sync.(*Cond).Wait', E.GoBlockCond],
  ['network', E.GoBlockNet],
  ['sleep', E.GoSleep],
  ['GC mark assist wait for work', E.GoBlockGC],
]);

/** Per-goroutine link state: indexes of events waiting for the event that ends them, or -1. */
interface Links {
  create: number;
  run: number;
  wake: number;
  block: number;
  syscall: number;
  blockedSyscall: number;
  /** The goroutine is in a syscall without its P (or appeared in one): its return is a GoSysExit. */
  sysBlocked: boolean;
  assist: number;
  regions: { name: number; task: number; i: number }[];
  /** The stack its GoStarts carry: its creation's start stack, or see nameFrom. */
  startStack: number;
  /** It was first known from a status event, not created during the trace. */
  fromStatus: boolean;
}

const newLinks = (): Links => ({ create: -1, run: -1, wake: -1, block: -1, syscall: -1, blockedSyscall: -1, sysBlocked: false, assist: -1, regions: [], startStack: 0, fromStatus: false });

/** ModelBuilder grows the event columns and the tables as events arrive. */
export class ModelBuilder {
  n = 0;
  type!: Uint8Array;
  ts!: Float64Array;
  p!: Int32Array;
  g!: Float64Array;
  off!: Uint32Array;
  args!: Uint32Array | Float64Array;
  /** Spilled wide arguments (see Events.wideArgs). */
  readonly wideArgs = new Map<number, number>();
  stack!: Uint32Array;
  link!: Int32Array;

  private readonly stringTable = new StringTable();
  /** The model's string table; index 0 is "". */
  readonly strings: string[] = this.stringTable.list;
  readonly stackFrames: number[][] = [[]]; // per stack: pc, fn, file, line, …
  private readonly stackIndex = new Map<number, number[]>();
  readonly usedStrings = new Set<number>();

  private gen: Generation | undefined;
  private genStrings = new Map<number, number>();
  private genStacks = new Map<number, number>();
  private readonly links = new Map<number, Links>();
  /** GoSysCall index → when it returned with its P kept (Trace.fastSyscallEnds, before rebasing). */
  readonly fastSyscallEnds = new Map<number, number>();
  /** The PC each start function's root frame is given (see nameFrom), by function name index. */
  private readonly rootPcs = new Map<number, number>();
  private readonly pRunning = new Set<number>();
  private readonly sweeps = new Map<number, number>();
  private readonly tasks = new Map<number, number>();
  private gcStart = -1;
  private stwStart = -1;
  private stwKinds = new Map<string, number>();

  constructor(ver: number, sizeHint: number) {
    // Real traces hold about one event per 15 bytes, dense ones one per 8; the model adds a few
    // events of its own. Allocating for one per 4 bytes means almost never growing (a copy of
    // every column), and costs little: the pages never written are never made resident.
    this.alloc(Math.max(1024, Math.ceil(sizeHint / 4)));
    for (let k = 0; k < 64; k++) {
      const name = stwKindName(ver, k);
      if (!this.stwKinds.has(name)) this.stwKinds.set(name, k);
    }
  }

  /** startGeneration switches string and stack ids to g's. */
  startGeneration(g: Generation): void {
    this.gen = g;
    this.genStrings = new Map();
    this.genStacks = new Map();
  }

  /** str returns the model's index of the generation's string id (0 → ""). */
  str(id: number): number {
    if (id === 0) return 0;
    let i = this.genStrings.get(id);
    if (i !== undefined) return i;
    i = this.stringTable.add(this.gen!.strings.get(id) ?? '');
    this.genStrings.set(id, i);
    return i;
  }

  /** stk returns the model's stack index of the generation's stack id (0 → none). */
  stk(id: number): number {
    if (id === 0) return 0;
    let i = this.genStacks.get(id);
    if (i !== undefined) return i;
    const g = this.gen!;
    const pcs = g.stacks.get(id) ?? [];
    const frames: number[] = [];
    for (const pc of pcs) {
      const f = g.frames.get(pc)!;
      frames.push(pc, this.str(f[0]), this.str(f[1]), f[2]);
    }
    i = this.internStack(frames);
    this.genStacks.set(id, i);
    return i;
  }

  /**
   * internStack returns the index of the stack with these frames (pc, fn, file, line each),
   * adding it when new. Each generation restates its stacks; equal ones are one stack. A hash of
   * the PCs finds the candidates cheaply (PCs are doubles; turning them into text is slow); the
   * frames decide.
   */
  private internStack(frames: number[]): number {
    let key = frames.length;
    for (let j = 0; j < frames.length; j += 4) {
      const pc = frames[j]!;
      key = (Math.imul(key, 31) + (pc % 4294967296) + Math.floor(pc / 4294967296)) | 0;
    }
    const candidates = this.stackIndex.get(key);
    if (candidates !== undefined) {
      for (const k of candidates) {
        const o = this.stackFrames[k]!;
        let same = o.length === frames.length;
        for (let j = 0; same && j < o.length; j++) same = o[j] === frames[j];
        if (same) return k;
      }
    }
    const i = this.stackFrames.length;
    this.stackFrames.push(frames);
    if (candidates === undefined) this.stackIndex.set(key, [i]);
    else candidates.push(i);
    return i;
  }

  /**
   * nameFrom gives a goroutine first known from a status event (its start unknown) a start stack:
   * the root frame of the first stack it is seen with, which is where it started (Go 1.22+'s
   * go tool trace names such goroutines the same way). Its later GoStarts carry that stack, so the
   * analyses group it by that function.
   */
  private nameFrom(g: number, stack: number): void {
    const l = this.links.get(g);
    if (l === undefined || l.startStack !== 0 || !l.fromStatus || stack === 0) return;
    const fr = this.stackFrames[stack]!;
    const root = fr.slice(fr.length - 4);
    // The root frame's PC differs from stack to stack (it is a return address inside the start
    // function); one PC per function keeps goroutines that started in the same function together.
    const pc = this.rootPcs.get(root[1]!);
    if (pc === undefined) this.rootPcs.set(root[1]!, root[0]!);
    else root[0] = pc;
    l.startStack = this.internStack(root);
  }

  private alloc(cap: number): void {
    this.type = new Uint8Array(cap);
    this.ts = new Float64Array(cap);
    this.p = new Int32Array(cap);
    this.g = new Float64Array(cap);
    this.off = new Uint32Array(cap);
    this.args = new Uint32Array(cap * argsPerEvent);
    this.stack = new Uint32Array(cap);
    this.link = new Int32Array(cap);
  }

  private grow(): void {
    const cap = this.type.length * 2;
    const g = <A extends Uint8Array | Float64Array | Int32Array | Uint32Array>(a: A, n: number): A => {
      const b = new (a.constructor as new (n: number) => A)(n);
      b.set(a);
      return b;
    };
    this.type = g(this.type, cap);
    this.ts = g(this.ts, cap);
    this.p = g(this.p, cap);
    this.g = g(this.g, cap);
    this.off = g(this.off, cap);
    this.args = g(this.args, cap * argsPerEvent);
    this.stack = g(this.stack, cap);
    this.link = g(this.link, cap);
  }

  /** setArg stores event i's argument in slot `slot` exactly (see Events.args). */
  setArg(type: number, i: number, slot: number, v: number): void {
    const key = i * argsPerEvent + slot;
    if (fitsNarrowArg(v)) this.args[key] = v;
    else this.args = putArg(this.args, this.wideArgs, type, slot, key, v, this.n * argsPerEvent);
  }

  /** add appends one model event and returns its index. */
  private add(type: number, ts: number, p: number, g: number, a0 = 0, a1 = 0, a2 = 0, stack = 0): number {
    if (this.n === this.type.length) this.grow();
    const i = this.n++;
    this.type[i] = type;
    this.ts[i] = ts;
    this.p[i] = p;
    this.g[i] = g < 0 ? 0 : g;
    this.setArg(type, i, 0, a0);
    this.setArg(type, i, 1, a1);
    this.setArg(type, i, 2, a2);
    this.stack[i] = stack;
    this.off[i] = this.at;
    this.link[i] = -1;
    return i;
  }

  private lk(g: number): Links {
    let l = this.links.get(g);
    if (l === undefined) {
      l = newLinks();
      this.links.set(g, l);
    }
    return l;
  }

  /** goCreate adds a GoCreate; ctx undefined: the goroutine comes from a status event (its creator unknown). */
  private goCreate(ts: number, ctx: Ctx | undefined, p: number, g: number, startStack: number, stack: number, fromStatus = false): void {
    // Arg 2 (unused by the old format) marks a goroutine known from a status event, whose life
    // began before its generation: Go 1.22+'s goroutine analysis counts it from the generation's start.
    const i = this.add(E.GoCreate, ts, p, ctx?.g ?? 0, g, startStack, fromStatus ? 1 : 0, stack);
    const l = newLinks();
    l.create = i;
    l.startStack = startStack;
    l.fromStatus = ctx === undefined;
    this.links.set(g, l);
  }

  private goStart(ts: number, p: number, g: number, seq: number): void {
    const l = this.lk(g);
    const i = this.add(E.GoStart, ts, p, g, g, seq, 0, l.startStack);
    if (l.create >= 0) this.link[l.create] = i;
    if (l.wake >= 0) this.link[l.wake] = i;
    l.create = -1;
    l.wake = -1;
    l.run = i;
  }

  /** endRun adds an event that ends g's run on its P. */
  private endRun(type: number, ts: number, p: number, g: number, stack = 0): number {
    const i = this.add(type, ts, p, g, 0, 0, 0, stack);
    const l = this.lk(g);
    if (l.run >= 0) this.link[l.run] = i;
    l.run = -1;
    if (type === E.GoSched || type === E.GoPreempt) l.wake = i;
    else if (type === E.GoEnd) {
      for (const r of l.regions) this.link[r.i] = i;
      l.regions = [];
      this.links.delete(g);
    } else if (type !== E.GoSysBlock) l.block = i;
    return i;
  }

  private unblock(ts: number, p: number, by: number, g: number, seq: number, stack: number): void {
    const i = this.add(E.GoUnblock, ts, p, by, g, seq, 0, stack);
    const l = this.lk(g);
    if (l.block >= 0) this.link[l.block] = i;
    l.block = -1;
    l.wake = i;
  }

  private sysBlock(ts: number, p: number, g: number): void {
    const l = this.lk(g);
    this.endRun(E.GoSysBlock, ts, p, g);
    l.blockedSyscall = l.syscall;
    l.sysBlocked = true;
  }

  private sysExit(ts: number, g: number): void {
    const l = this.lk(g);
    const i = this.add(E.GoSysExit, ts, SpecialP.SyscallP, g, g, 0, 0);
    if (l.blockedSyscall >= 0) this.link[l.blockedSyscall] = i;
    l.blockedSyscall = -1;
    l.sysBlocked = false;
    l.wake = i;
  }

  private procStart(ts: number, p: number, m: number): void {
    this.pRunning.add(p);
    this.add(E.ProcStart, ts, p, 0, m);
  }

  private procStop(ts: number, p: number, g: number): void {
    if (!this.pRunning.delete(p)) return;
    this.add(E.ProcStop, ts, p, g);
  }

  /** The file offset of the event being translated (Events.off of what it becomes). */
  private at = 0;

  /** event translates one ordered generational event. */
  event(type: number, ts: number, ctx: Ctx, a: Float64Array, x: EventExtra): void {
    this.at = x.off;
    const p = pOf(ctx);
    const cg = ctx.g;
    switch (type) {
      case T.ProcStatus: {
        const pid = a[0]!;
        if (x.isNew && (a[1] === PS.Running || a[1] === PS.Syscall)) this.procStart(ts, pid, ctx.m);
        break;
      }
      case T.ProcStart:
        this.procStart(ts, a[0]!, ctx.m);
        break;
      case T.ProcStop:
        this.procStop(ts, ctx.p, cg);
        break;
      case T.ProcSteal: {
        const pid = a[0]!;
        if (x.oldProcStatus === PS.Syscall && x.stolenG !== NoGoroutine && !this.lk(x.stolenG).sysBlocked) this.sysBlock(ts, pid, x.stolenG);
        this.procStop(ts, pid, x.stolenG);
        break;
      }
      case T.GoStatus:
      case T.GoStatusStack: {
        if (!x.isNew) break;
        const g = a[0]!;
        this.goCreate(ts, undefined, p, g, 0, 0, true);
        if (type === T.GoStatusStack) this.nameFrom(g, this.stk(a[3]!));
        const status = a[2]!;
        if (status === GS.Running) this.goStart(ts, p, g, 0);
        else if (status === GS.Waiting) this.add(E.GoWaiting, ts, p, g, g);
        else if (status === GS.Syscall) {
          this.add(E.GoInSyscall, ts, p, g, g);
          this.lk(g).sysBlocked = true;
        }
        break;
      }
      case T.GoCreate:
      case T.GoCreateBlocked:
        this.goCreate(ts, ctx, p, a[0]!, this.stk(a[1]!), this.stk(a[2]!));
        if (type === T.GoCreateBlocked) {
          this.add(E.GoWaiting, ts, p, a[0]!, a[0]!);
          this.lk(a[0]!).block = -1;
        }
        break;
      case T.GoCreateSyscall:
        this.goCreate(ts, undefined, p, a[0]!, 0, 0);
        this.add(E.GoInSyscall, ts, p, a[0]!, a[0]!);
        this.lk(a[0]!).sysBlocked = true;
        break;
      case T.GoStart:
        this.goStart(ts, p, a[0]!, a[1]!);
        break;
      case T.GoDestroy:
      case T.GoDestroySyscall:
        this.endRun(E.GoEnd, ts, p, cg);
        break;
      case T.GoStop:
        this.nameFrom(cg, this.stk(a[1]!));
        this.endRun(this.gen!.strings.get(a[0]!) === 'preempted' ? E.GoPreempt : E.GoSched, ts, p, cg, this.stk(a[1]!));
        break;
      case T.GoBlock: {
        this.nameFrom(cg, this.stk(a[1]!));
        const kind = blockKinds.get(this.gen!.strings.get(a[0]!) ?? '') ?? E.GoBlock;
        const i = this.endRun(kind, ts, p, cg, this.stk(a[1]!));
        // A reason with no old event of its own keeps its words (model's string index in arg 0):
        // Go 1.22+'s goroutine analysis sums block time per reason.
        if (kind === E.GoBlock) this.setArg(kind, i, 0, this.str(a[0]!));
        break;
      }
      case T.GoUnblock:
        this.unblock(ts, ctx.p === NoProc ? SpecialP.NetpollP : ctx.p, cg, a[0]!, a[1]!, this.stk(a[2]!));
        break;
      case T.GoSwitch:
      case T.GoSwitchDestroy:
        this.endRun(type === T.GoSwitch ? E.GoBlock : E.GoEnd, ts, p, cg);
        this.unblock(ts, p, cg, a[0]!, a[1]!, 0);
        this.goStart(ts, p, a[0]!, a[1]!);
        break;
      case T.GoSyscallBegin:
        this.nameFrom(cg, this.stk(a[1]!));
        this.lk(cg).syscall = this.add(E.GoSysCall, ts, p, cg, 0, 0, 0, this.stk(a[1]!));
        break;
      case T.GoSyscallEnd: {
        const l = this.lk(cg);
        if (l.sysBlocked) {
          this.sysExit(ts, cg);
          this.goStart(ts, p, cg, 0);
        } else if (l.syscall >= 0) this.fastSyscallEnds.set(l.syscall, ts);
        break;
      }
      case T.GoSyscallEndBlocked:
        if (!this.lk(cg).sysBlocked) this.sysBlock(ts, p, cg);
        this.sysExit(ts, cg);
        break;
      case T.STWBegin:
        this.stwStart = this.add(E.GCSTWStart, ts, p, cg, this.stwKinds.get(this.gen!.strings.get(a[0]!) ?? '') ?? 0, 0, 0, this.stk(a[1]!));
        break;
      case T.STWEnd: {
        const i = this.add(E.GCSTWDone, ts, p, cg);
        if (this.stwStart >= 0) this.link[this.stwStart] = i;
        this.stwStart = -1;
        break;
      }
      case T.GCActive:
      case T.GCBegin:
        this.gcStart = this.add(E.GCStart, ts, SpecialP.GCP, cg, a[0]!, 0, 0, type === T.GCBegin ? this.stk(a[1]!) : 0);
        break;
      case T.GCEnd: {
        const i = this.add(E.GCDone, ts, SpecialP.GCP, cg);
        if (this.gcStart >= 0) this.link[this.gcStart] = i;
        this.gcStart = -1;
        break;
      }
      case T.GCSweepActive:
      case T.GCSweepBegin: {
        const sp = type === T.GCSweepActive ? a[0]! : p;
        this.sweeps.set(sp, this.add(E.GCSweepStart, ts, sp, type === T.GCSweepActive ? 0 : cg, 0, 0, 0, type === T.GCSweepBegin ? this.stk(a[0]!) : 0));
        break;
      }
      case T.GCSweepEnd: {
        const i = this.add(E.GCSweepDone, ts, p, cg, a[0]!, a[1]!);
        const s = this.sweeps.get(p);
        if (s !== undefined) this.link[s] = i;
        this.sweeps.delete(p);
        break;
      }
      case T.GCMarkAssistActive:
      case T.GCMarkAssistBegin: {
        const g = type === T.GCMarkAssistActive ? a[0]! : cg;
        this.lk(g).assist = this.add(E.GCMarkAssistStart, ts, p, g, 0, 0, 0, type === T.GCMarkAssistBegin ? this.stk(a[0]!) : 0);
        break;
      }
      case T.GCMarkAssistEnd: {
        const i = this.add(E.GCMarkAssistDone, ts, p, cg);
        const l = this.lk(cg);
        if (l.assist >= 0) this.link[l.assist] = i;
        l.assist = -1;
        break;
      }
      case T.HeapAlloc:
        this.add(E.HeapAlloc, ts, p, cg, a[0]!);
        break;
      case T.HeapGoal:
        this.add(E.HeapGoal, ts, p, cg, a[0]!);
        break;
      case T.ProcsChange:
        this.add(E.Gomaxprocs, ts, p, cg, a[0]!, 0, 0, this.stk(a[1]!));
        break;
      case T.UserTaskBegin: {
        const name = this.str(a[2]!);
        this.usedStrings.add(name);
        this.tasks.set(a[0]!, this.add(E.UserTaskCreate, ts, p, cg, a[0]!, a[1]!, name, this.stk(a[3]!)));
        break;
      }
      case T.UserTaskEnd: {
        const i = this.add(E.UserTaskEnd, ts, p, cg, a[0]!, 0, 0, this.stk(a[1]!));
        const s = this.tasks.get(a[0]!);
        if (s !== undefined) this.link[s] = i;
        this.tasks.delete(a[0]!);
        break;
      }
      case T.UserRegionBegin:
      case T.UserRegionEnd: {
        const name = this.str(a[1]!);
        this.usedStrings.add(name);
        const begin = type === T.UserRegionBegin;
        const i = this.add(E.UserRegion, ts, p, cg, a[0]!, begin ? 0 : 1, name, this.stk(a[2]!));
        const l = this.lk(cg);
        if (begin) l.regions.push({ name, task: a[0]!, i });
        else {
          const top = l.regions[l.regions.length - 1];
          if (top !== undefined && top.name === name && top.task === a[0]) {
            this.link[top.i] = i;
            l.regions.pop();
          }
        }
        break;
      }
      case T.UserLog: {
        const key = this.str(a[1]!);
        this.usedStrings.add(key);
        this.add(E.UserLog, ts, p, cg, a[0]!, key, this.str(a[2]!), this.stk(a[3]!));
        break;
      }
      default:
        break; // GoLabel, ClockSnapshot: nothing in the model says them.
    }
  }

  /** cpuSample places a CPU profile sample on its P and goroutine. */
  cpuSample(s: RawCPUSample, ts: number): void {
    this.at = 0; // samples are read as a table, their offsets not kept
    // The ts argument is set once times are relative (see readGenTrace): an absolute one is wide.
    this.add(E.CPUSample, ts, s.p, s.g, 0, s.p, s.g, this.stk(s.stack));
  }
}

/** pOf is the model's P of an event: its M's P, FakeP when the M had none. */
function pOf(ctx: Ctx): number {
  return ctx.p === NoProc ? SpecialP.FakeP : ctx.p;
}
