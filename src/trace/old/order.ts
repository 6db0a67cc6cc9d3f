// Ordering an old-format trace: each P writes its own batches, in order; the trace is their
// interleaving. As Go 1.19's order1007 (internal/trace/order.go) does it, we repeatedly take the
// first unmerged event of every P stream (the frontier), keep those whose goroutine is in the state
// the event expects (per-goroutine sequence numbers and statuses), and merge the earliest. Timestamps
// alone are not trusted: on some machines the CPUs' clocks disagree.
//
// Go builds its list of streams from a map, so the order of streams — and with it, which of two
// events with equal timestamps goes first — changes from run to run. We take streams in P order.

import { EventType as E, SpecialP, argAt, argsPerEvent } from '../model.js';
import { Growable } from '../../profile/growable.js';
import { NumberTable } from './id-tables.js';
import { type RawEvents, TraceFormatError } from './wire.js';

// Goroutine statuses as the ordering tracks them.
const gDead = 0;
const gRunnable = 1;
const gRunning = 2;
const gWaiting = 3;

// Sentinels of the sequence numbers: "any" (noseq) and "one more than now" (seqinc).
const noseq = -1;
const seqinc = -2;
// The goroutine keys of events that need no order, and of GC starts (ordered among themselves).
const unordered = -2;
const garbage = -1;

/** Transition is what an event needs of its goroutine's state, and what it leaves. */
class Transition {
  g = 0;
  initSeq = 0;
  initStatus = 0;
  nextSeq = 0;
  nextStatus = 0;

  /** of fills the transition of raw event i (Go's stateTransition). */
  of(ev: RawEvents, i: number): void {
    const a = i * argsPerEvent;
    switch (ev.type[i]) {
      case E.GoCreate:
        this.set(ev.args[a]!, 0, gDead, 1, gRunnable);
        break;
      case E.GoWaiting:
      case E.GoInSyscall:
        this.set(ev.g[i]!, 1, gRunnable, 2, gWaiting);
        break;
      case E.GoStart:
      case E.GoStartLabel:
        this.set(ev.g[i]!, ev.args[a + 1]!, gRunnable, ev.args[a + 1]! + 1, gRunning);
        break;
      case E.GoStartLocal:
        this.set(ev.g[i]!, noseq, gRunnable, seqinc, gRunning);
        break;
      case E.GoBlock:
      case E.GoBlockSend:
      case E.GoBlockRecv:
      case E.GoBlockSelect:
      case E.GoBlockSync:
      case E.GoBlockCond:
      case E.GoBlockNet:
      case E.GoSleep:
      case E.GoSysBlock:
      case E.GoBlockGC:
        this.set(ev.g[i]!, noseq, gRunning, noseq, gWaiting);
        break;
      case E.GoSched:
      case E.GoPreempt:
        this.set(ev.g[i]!, noseq, gRunning, noseq, gRunnable);
        break;
      case E.GoUnblock:
      case E.GoSysExit:
        this.set(ev.args[a]!, ev.args[a + 1]!, gWaiting, ev.args[a + 1]! + 1, gRunnable);
        break;
      case E.GoUnblockLocal:
      case E.GoSysExitLocal:
        this.set(ev.args[a]!, noseq, gWaiting, seqinc, gRunnable);
        break;
      case E.GCStart:
        this.set(garbage, ev.args[a]!, gDead, ev.args[a]! + 1, gDead);
        break;
      default:
        this.g = unordered;
    }
  }

  private set(g: number, initSeq: number, initStatus: number, nextSeq: number, nextStatus: number): void {
    this.g = g;
    this.initSeq = initSeq;
    this.initStatus = initStatus;
    this.nextSeq = nextSeq;
    this.nextStatus = nextStatus;
  }
}

/**
 * Each goroutine's sequence number and status, packed as seq*4+status in a NumberTable (0 for a
 * goroutine not seen yet: sequence 0, dead).
 */
type GStates = NumberTable;

function ready(gs: GStates, g: number, initSeq: number, initStatus: number): boolean {
  if (g === unordered) return true;
  const cur = gs.get(g);
  // Integer arithmetic while the packed state fits 31 bits (always, but for a crafted sequence
  // number): a double's % and division cost tens of nanoseconds, and this runs for every event.
  if (cur < 0x80000000) return (initSeq === noseq || initSeq === cur >> 2) && initStatus === (cur & 3);
  return (initSeq === noseq || initSeq === Math.floor(cur / 4)) && initStatus === cur % 4;
}

/** The Local kinds are for ordering only; once merged they are the plain ones. */
function unlocal(t: number): number {
  return t === E.GoStartLocal ? E.GoStart : t === E.GoUnblockLocal ? E.GoUnblock : t === E.GoSysExitLocal ? E.GoSysExit : t;
}

/**
 * streamsOf gathers the runs of each stream, streams in ascending P order: per stream, its runs
 * as (start, end) pairs of event indexes, in event order.
 */
function streamsOf(ev: RawEvents): Uint32Array[] {
  const runs = ev.runs;
  const byKey = new Map<number, number[]>();
  for (let r = 0; r < runs.length; r++) {
    const k = runs.key[r]!;
    let list = byKey.get(k);
    if (list === undefined) byKey.set(k, (list = []));
    list.push(runs.start[r]!, runs.end[r]!);
  }
  const keys = [...byKey.keys()].sort((a, b) => a - b);
  return keys.map((k) => {
    const list = Uint32Array.from(byKey.get(k)!);
    // CPU samples are written late, by another goroutine: put them in the order of when they
    // were taken (a stable sort, as Go's).
    return k === SpecialP.ProfileP ? runsOf(stableSortBy(indexesOf(list), ev.ticks)) : list;
  });
}

/** indexesOf lists the event indexes of (start, end) runs. */
function indexesOf(runs: Uint32Array): Uint32Array {
  let n = 0;
  for (let r = 0; r < runs.length; r += 2) n += runs[r + 1]! - runs[r]!;
  const out = new Uint32Array(n);
  let o = 0;
  for (let r = 0; r < runs.length; r += 2) for (let i = runs[r]!; i < runs[r + 1]!; i++) out[o++] = i;
  return out;
}

/** runsOf turns a list of event indexes into (start, end) runs of consecutive ones. */
function runsOf(idx: Uint32Array): Uint32Array {
  const out: number[] = [];
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (out.length > 0 && out[out.length - 1] === i) out[out.length - 1] = i + 1;
    else out.push(i, i + 1);
  }
  return Uint32Array.from(out);
}

/**
 * orderEvents returns the raw event indexes in Go's order and, as Go does, turns the Local event
 * kinds into plain ones and gives each GoSysExit its real exit time. It updates ev.type and
 * ev.ticks in place (RawEvents belong to one read). The order's memory holds one index per raw
 * event, also when futile wakeups are dropped later (buildEvents relies on it).
 */
export function orderEvents(ev: RawEvents, ver: number): Uint32Array {
  const out = ver < 1007 ? order1005(ev) : order1007(ev);
  return fixSyscallExits(ev, out, ver);
}

function order1007(ev: RawEvents): Uint32Array {
  const m = new Merger(ev, streamsOf(ev));
  const out = ev.orderSpace;
  // One call per merged event: small hot functions get optimised early (see wire.ts); the loop
  // here handles only indexes, which the interpreter does not box as it does times.
  for (let step = 0; step < ev.length; step++) {
    const i = m.runOn();
    out[step] = i >= 0 ? i : m.step();
  }
  // Go checks the times after the merge, so a merge error found later is the one reported.
  if (m.outOfOrder) throw new TraceFormatError('time stamps out of order');
  return out;
}

/**
 * exactFrontierLimit is the number of streams (Ps) up to which the frontier is kept exactly as
 * Go keeps it. Go sorts a frontier of more than 12 with pdqsort, which does not keep the order of
 * ties either; beyond this many streams (only a machine with more Ps, or a crafted trace) a heap
 * keeps each step O(log n) instead of O(streams).
 */
const exactFrontierLimit = 64;

/**
 * Merger merges the P streams one event at a time (Go's order1007 loop). Go looks at the first
 * event of every stream at every step; a stream whose first event was not ready stays unready
 * until its goroutine changes state, so we look again only at those streams (waiting, by
 * goroutine) and at the stream just merged from — the same streams become ready, in the same
 * order, without a scan of all streams per event.
 */
class Merger {
  /** Each stream's next event, the end of the run it is in, and where the next run is in runs[b]. */
  private readonly pos: Uint32Array;
  private readonly end: Uint32Array;
  private readonly nextRun: Uint32Array;
  private readonly selected: Uint8Array;
  /** The streams whose first event is ready, in Go's frontier order (or a heap, see above). */
  private readonly frontier: Int32Array;
  private fn = 0;
  private readonly exact: boolean;
  // The frontier entry of each stream (at most one): its event and its transition.
  private readonly entEv: Uint32Array;
  private readonly entG: Float64Array;
  private readonly entInitSeq: Float64Array;
  private readonly entInitStatus: Uint8Array;
  private readonly entNextSeq: Float64Array;
  private readonly entNextStatus: Uint8Array;
  /** When the entry joined the frontier (ties in the heap go first come, first served). */
  private readonly entOrder: Float64Array;
  /** The entry's time (its event's ticks). */
  private readonly entT: Float64Array;
  private joined = 0;
  private readonly tr = new Transition();
  /** The raw event tr holds the transition of, -1 for none (or one merged: never looked at again). */
  private trOf = -1;
  private readonly gs: GStates = new NumberTable();
  /** Streams to look at before the next merge, and streams waiting for a goroutine to change. */
  private readonly dirty: Int32Array;
  private nDirty: number;
  private readonly waiting: Int32Array;
  private nWaiting = 0;
  /** The goroutine each waiting stream waits for. */
  private readonly waitG: Float64Array;
  /** The time of the last event merged, and whether one came before it (checked as they merge: their ticks are in cache). */
  private lastT = -Infinity;
  outOfOrder = false;

  constructor(
    private readonly ev: RawEvents,
    private readonly runs: Uint32Array[],
  ) {
    const nb = runs.length;
    this.exact = nb <= exactFrontierLimit;
    this.pos = Uint32Array.from(runs, (r) => r[0] ?? 0);
    this.end = Uint32Array.from(runs, (r) => r[1] ?? 0);
    this.nextRun = new Uint32Array(nb).fill(2);
    this.selected = new Uint8Array(nb);
    this.frontier = new Int32Array(nb);
    this.entEv = new Uint32Array(nb);
    this.entG = new Float64Array(nb);
    this.entInitSeq = new Float64Array(nb);
    this.entInitStatus = new Uint8Array(nb);
    this.entNextSeq = new Float64Array(nb);
    this.entNextStatus = new Uint8Array(nb);
    this.entOrder = new Float64Array(nb);
    this.entT = new Float64Array(nb);
    // Every stream at most once: the one just merged, and those that waited for its goroutine.
    this.dirty = Int32Array.from({ length: nb }, (_, b) => b);
    this.nDirty = nb;
    this.waiting = new Int32Array(nb);
    this.waitG = new Float64Array(nb);
  }

  /**
   * runOn merges the next event of the stream just merged from when it is the one step would
   * merge, without putting it on the frontier and taking it off again: when no other stream is
   * to be looked at, the event is ready, and it is earlier than every frontier entry (equal times
   * go to the entry already there). Returns -1 where step must decide. Goroutines run for a while
   * on one P: 97% of the 22 M events of the bench's 100 MB trace follow one of their own stream,
   * 38% of the staticcheck trace's (32 Ps).
   */
  runOn(): number {
    if (this.nDirty !== 1 || !this.exact) return -1;
    const b = this.dirty[0]!;
    const i = this.pos[b]!;
    if (this.selected[b] || i >= this.end[b]!) return -1;
    const ev = this.ev;
    const tr = this.tr;
    tr.of(ev, i);
    this.trOf = i;
    const t = ev.ticks[i]!;
    const fn = this.fn;
    if (fn > 0 && !(t < this.entT[this.frontier[fn - 1]!]!)) return -1;
    const g = tr.g;
    if (!ready(this.gs, g, tr.initSeq, tr.initStatus)) return -1;
    // What takeExact does to the other entries when it takes the earliest.
    if (fn > 1) this.rotateLatest(fn);
    this.advance(b);
    ev.type[i] = unlocal(ev.type[i]!);
    if (g !== unordered) {
      setState(this.gs, g, tr.nextSeq, tr.nextStatus);
      this.wake(g);
    }
    if (t < this.lastT) this.outOfOrder = true;
    this.lastT = t;
    return i;
  }

  /** step adds the streams' newly ready first events to the frontier and merges the earliest. */
  step(): number {
    const dirty = this.dirty;
    const nd = this.nDirty;
    // Go scans the streams in order.
    if (nd > 1) {
      if (nd <= 16) sortSmall(dirty, nd);
      else dirty.subarray(0, nd).sort();
    }
    for (let k = 0; k < nd; k++) this.consider(dirty[k]!);
    this.nDirty = 0;
    if (this.fn === 0) throw new TraceFormatError('no consistent ordering of events possible');
    const b = this.exact ? this.takeExact() : this.takeHeap();
    const g = this.entG[b]!;
    apply(this.gs, g, this.entInitSeq[b]!, this.entInitStatus[b]!, this.entNextSeq[b]!, this.entNextStatus[b]!);
    this.selected[b] = 0;
    dirty[this.nDirty++] = b;
    if (g !== unordered) this.wake(g);
    const t = this.entT[b]!;
    if (t < this.lastT) this.outOfOrder = true;
    this.lastT = t;
    return this.entEv[b]!;
  }

  /**
   * wake marks the streams waiting for goroutine g to be looked at again. A few streams wait at a
   * time, at most one per stream: a scan is cheaper than a Map lookup, and never worse than Go's
   * scan of every stream at every step.
   */
  private wake(g: number): void {
    const waiting = this.waiting;
    for (let k = 0; k < this.nWaiting; ) {
      const w = waiting[k]!;
      if (this.waitG[w] !== g) {
        k++;
        continue;
      }
      this.dirty[this.nDirty++] = w;
      waiting[k] = waiting[--this.nWaiting]!;
    }
  }

  /**
   * takeExact takes the earliest entry. Go appends the new entries to its frontier, sorts it
   * (stably, as its insertion sort of small slices), takes the first and moves the last into its
   * place. We keep the frontier sorted instead, latest first (so the earliest is taken from the
   * end), and get the same order: an entry goes in after those of its time already there (they
   * came first in Go's slice), and the latest entry, which Go moves to the front, goes before the
   * others of its time.
   */
  private takeExact(): number {
    const fn = --this.fn;
    const b = this.frontier[fn]!;
    if (fn > 1) this.rotateLatest(fn);
    return b;
  }

  /**
   * rotateLatest puts the frontier's first entry (a latest one) last among the entries of its time,
   * the first of them to be taken: Go's move of its last entry to the front, among fn entries.
   */
  private rotateLatest(fn: number): void {
    const frontier = this.frontier;
    const entT = this.entT;
    const top = frontier[0]!;
    const t = entT[top]!;
    let r = 1;
    while (r < fn && entT[frontier[r]!] === t) r++;
    if (r > 1) {
      frontier.copyWithin(0, 1, r);
      frontier[r - 1] = top;
    }
  }

  /** insertExact puts stream b in the sorted frontier, after the entries of its time. */
  private insertExact(b: number, t: number): void {
    const frontier = this.frontier;
    const entT = this.entT;
    // The entries later than t come first: find how many.
    let lo = 0;
    let hi = this.fn;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entT[frontier[mid]!]! > t) lo = mid + 1;
      else hi = mid;
    }
    for (let j = this.fn; j > lo; j--) frontier[j] = frontier[j - 1]!;
    frontier[lo] = b;
    this.fn++;
  }

  /** before orders heap entries: by time, then by when they joined. */
  private before(a: number, b: number): boolean {
    const ta = this.entT[a]!;
    const tb = this.entT[b]!;
    return ta < tb || (ta === tb && this.entOrder[a]! < this.entOrder[b]!);
  }

  private takeHeap(): number {
    const h = this.frontier;
    const top = h[0]!;
    const last = h[--this.fn]!;
    const n = this.fn;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && this.before(h[l + 1]!, h[l]!) ? l + 1 : l;
      if (!this.before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    if (n > 0) h[i] = last;
    return top;
  }

  private pushHeap(b: number): void {
    const h = this.frontier;
    let i = this.fn++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(b, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = b;
  }

  /** consider puts stream b's first event on the frontier if its goroutine is ready for it. */
  private consider(b: number): void {
    const pos = this.pos[b]!;
    if (this.selected[b] || pos >= this.end[b]!) return;
    const ev = this.ev;
    const i = pos;
    const tr = this.tr;
    // runOn may have computed it already, before it left the event to step.
    if (this.trOf !== i) tr.of(ev, i);
    this.trOf = -1;
    if (!ready(this.gs, tr.g, tr.initSeq, tr.initStatus)) {
      this.waitG[b] = tr.g;
      this.waiting[this.nWaiting++] = b;
      return;
    }
    this.entEv[b] = i;
    this.entG[b] = tr.g;
    this.entInitSeq[b] = tr.initSeq;
    this.entInitStatus[b] = tr.initStatus;
    this.entNextSeq[b] = tr.nextSeq;
    this.entNextStatus[b] = tr.nextStatus;
    this.entOrder[b] = this.joined++;
    const t = (this.entT[b] = ev.ticks[i]!);
    if (this.exact) this.insertExact(b, t);
    else this.pushHeap(b);
    this.advance(b);
    this.selected[b] = 1;
    ev.type[i] = unlocal(ev.type[i]!);
  }

  /** advance moves stream b past its next event, to the next run when this one is done. */
  private advance(b: number): void {
    const pos = this.pos[b]! + 1;
    this.pos[b] = pos;
    if (pos < this.end[b]!) return;
    const runs = this.runs[b]!;
    const r = this.nextRun[b]!;
    if (r >= runs.length) return;
    this.pos[b] = runs[r]!;
    this.end[b] = runs[r + 1]!;
    this.nextRun[b] = r + 2;
  }
}

/** sortSmall sorts a[0 .. n) ascending: a few entries, where a typed array's sort costs more to call. */
function sortSmall(a: Int32Array, n: number): void {
  for (let x = 1; x < n; x++) {
    const v = a[x]!;
    let y = x;
    for (; y > 0 && a[y - 1]! > v; y--) a[y] = a[y - 1]!;
    a[y] = v;
  }
}

/** apply moves a goroutine to the state after an event (Go's transition). */
function apply(gs: GStates, g: number, initSeq: number, initStatus: number, nextSeq: number, nextStatus: number): void {
  if (g === unordered) return;
  // An event chosen earlier may have become unready when another event of its goroutine was
  // merged first; Go 1.19 panics there, we refuse the trace.
  if (!ready(gs, g, initSeq, initStatus)) throw new TraceFormatError('event sequences are broken');
  setState(gs, g, nextSeq, nextStatus);
}

/** setState moves goroutine g, ready for its event, to the state after it. */
function setState(gs: GStates, g: number, nextSeq: number, nextStatus: number): void {
  const packed = gs.get(g);
  const cur = packed < 0x80000000 ? packed >> 2 : Math.floor(packed / 4);
  const seq = nextSeq === noseq ? cur : nextSeq === seqinc ? cur + 1 : nextSeq;
  gs.set(g, seq * 4 + nextStatus);
}

/**
 * order1005 orders a Go 1.5/1.6 trace, whose events carry a global sequence number: by that
 * number (a syscall exit by the one it carries), then it checks the times agree.
 */
function order1005(ev: RawEvents): Uint32Array {
  const all = new Uint32Array(ev.length);
  let n = 0;
  for (const runs of streamsOf(ev)) {
    const idx = indexesOf(runs);
    all.set(idx, n);
    n += idx.length;
  }
  const seq = ev.seq;
  for (let i = 0; i < ev.length; i++) {
    if (ev.type[i] === E.GoSysExit) {
      seq[i] = ev.args[i * argsPerEvent + 1]!;
      const real = argAt(ev, i * argsPerEvent + 2);
      if (real !== 0) ev.ticks[i] = real;
    }
  }
  const out = stableSortBy(all, seq);
  for (let k = 1; k < out.length; k++) {
    if (ev.ticks[out[k]!]! < ev.ticks[out[k - 1]!]!) throw new TraceFormatError('time stamps out of order');
  }
  return out;
}

/**
 * fixSyscallExits gives each GoSysExit the time the syscall really returned (its `ts` argument):
 * it is emitted only when the goroutine gets a P again. Then the events are sorted by time,
 * stably, as Go does — in `order` itself when every moved exit moved earlier, as real ones do.
 */
function fixSyscallExits(ev: RawEvents, order: Uint32Array, ver: number): Uint32Array {
  if (ver < 1007) return order;
  const lastSysBlock = new NumberTable(); // goroutine → time of its last syscall block
  const moved = new Growable(Uint32Array, 64); // positions in order, ascending
  let allEarlier = true;
  const ticks = ev.ticks;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const t = ev.type[i]!;
    if (t === E.GoSysBlock || t === E.GoInSyscall) {
      lastSysBlock.set(ev.g[i]!, ticks[i]!);
    } else if (t === E.GoSysExit) {
      const ts = argAt(ev, i * argsPerEvent + 2);
      if (ts === 0) continue;
      const block = lastSysBlock.get(ev.g[i]!);
      if (block === 0) throw new TraceFormatError('stray syscall exit');
      if (ts < block) throw new TraceFormatError('time stamps out of order');
      if (ts !== ticks[i]) {
        if (ts > ticks[i]!) allEarlier = false;
        ticks[i] = ts;
        moved.push(k);
      }
    }
  }
  if (moved.length === 0) return order;
  // The events that kept their time are still sorted; sort the moved ones by (time, position)
  // and merge by (time, position): that is what a stable sort of the whole gives.
  const pos = moved.finish();
  const mv = Array.from(pos).sort((x, y) => ticks[order[x]!]! - ticks[order[y]!]! || x - y);
  const mvEv = Uint32Array.from(mv, (k) => order[k]!);
  return allEarlier ? mergeBackInPlace(order, ticks, pos, mv, mvEv) : mergeInto(order, ticks, mv, mvEv);
}

/**
 * mergeBackInPlace merges the moved events (positions `pos` ascending; `mv`, `mvEv`: positions
 * and events sorted by (time, position)) back into `order`, from the end. Safe in place because
 * every moved event got an earlier time: each kept event ends at its old position or later, so
 * the write position never passes the read position.
 */
function mergeBackInPlace(order: Uint32Array, ticks: Float64Array, pos: Uint32Array, mv: number[], mvEv: Uint32Array): Uint32Array {
  let w = order.length - 1;
  let m = mv.length - 1;
  let skip = pos.length - 1;
  for (let k = order.length - 1; k >= 0; k--) {
    if (skip >= 0 && pos[skip] === k) {
      skip--;
      continue;
    }
    const e = order[k]!;
    while (m >= 0 && comesAfter(ticks, mvEv[m]!, mv[m]!, e, k)) order[w--] = mvEv[m--]!;
    order[w--] = e;
  }
  while (m >= 0) order[w--] = mvEv[m--]!;
  return order;
}

/**
 * comesAfter says whether event a (at position ka) sorts after event b (at kb): by time, then
 * position. A function of its own so that the merge loops handle only indexes: until V8 optimises
 * a loop, every time it reads is a new heap number.
 */
function comesAfter(ticks: Float64Array, a: number, ka: number, b: number, kb: number): boolean {
  const ta = ticks[a]!;
  const tb = ticks[b]!;
  return ta > tb || (ta === tb && ka > kb);
}

/** mergeInto is mergeBackInPlace into a new array, for a trace where an exit moved later. */
function mergeInto(order: Uint32Array, ticks: Float64Array, mv: number[], mvEv: Uint32Array): Uint32Array {
  const isMoved = new Uint8Array(order.length);
  for (const k of mv) isMoved[k] = 1;
  const out = new Uint32Array(order.length);
  let o = 0;
  let m = 0;
  for (let k = 0; k < order.length; k++) {
    if (isMoved[k]) continue;
    while (m < mv.length && comesAfter(ticks, order[k]!, k, mvEv[m]!, mv[m]!)) out[o++] = mvEv[m++]!;
    out[o++] = order[k]!;
  }
  while (m < mv.length) out[o++] = mvEv[m++]!;
  return out;
}

/** stableSortBy returns the indexes sorted by key[index], equal keys in their given order. */
export function stableSortBy(idx: Uint32Array, key: Float64Array): Uint32Array {
  let sorted = true;
  for (let k = 1; k < idx.length && sorted; k++) if (key[idx[k]!]! < key[idx[k - 1]!]!) sorted = false;
  if (sorted) return idx;
  // Array.prototype.sort is stable.
  return Uint32Array.from(Array.from(idx).sort((x, y) => key[x]! - key[y]!));
}
