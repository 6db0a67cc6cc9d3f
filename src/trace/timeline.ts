// The timeline of a trace, as lanes of time slices, computed once per trace so that the web UI's
// range queries (timeline-query.ts) are binary searches over typed arrays.
//
// Lanes, as go tool trace's viewer and gotraceui draw them: one per P (the goroutine running on
// it), GC cycles, stop-the-world pauses, wake-ups by the network poller and by timers, syscalls;
// one per goroutine (its states: running, runnable, waiting on sync, on the network, in a syscall,
// other waits), and, for Go 1.22+ traces, one per thread (the goroutines it runs, by the P it
// holds between ProcStart and ProcStop, and the syscalls they make on it).
// Counters (heap allocated and goal, goroutines running/runnable/waiting, threads running and in
// syscalls) are step functions.
//
// Slices of all lanes are numbered lane after lane (offsets in laneStart), each lane by start time.
// Within a lane slices never overlap, so their ends are sorted too: a query finds its first slice
// by binary search on the ends. A slice is kept as little as the trace allows (4 or 8 bytes, not
// 25: 24 M slices on a 100 MB trace): one of a P, GC, STW or instant lane is the event that began
// it (its time, kind, goroutine and end, the event's link, follow from it); one of a goroutine lane
// is the events that began and ended it (its goroutine is its lane's). Only thread lanes, whose
// runs are cut at syscalls, keep their own columns. Read a slice through sliceStart, sliceStop,
// sliceKind and sliceGoroutine.

import { EventType, type Events, SpecialP, argAt, argsPerEvent, eventTypeCount, type Trace } from './model.js';
import { GoroutineStates } from './timeline-goroutines.js';

/** SliceKind says what a slice is: a goroutine's state, a GC phase, or an instant event. */
export const SliceKind = {
  Running: 0,
  Runnable: 1,
  WaitSync: 2,
  WaitNet: 3,
  Syscall: 4,
  WaitOther: 5,
  GC: 6,
  STW: 7,
  /** A wake-up or syscall: an instant (end = start). */
  Instant: 8,
} as const;

/** sliceKindNames name the kinds as the page shows them. */
export const sliceKindNames = ['running', 'runnable', 'waiting (sync)', 'waiting (network)', 'syscall', 'waiting (other)', 'GC', 'STW', 'event'];

/** LaneKind says what a lane shows. */
export type LaneKind = 'proc' | 'gc' | 'stw' | 'net' | 'timer' | 'syscall' | 'thread' | 'goroutine';

/** Lane describes one lane: what it shows and its name in the page. */
export interface Lane {
  readonly kind: LaneKind;
  readonly name: string;
  /** The P, thread or goroutine id the lane belongs to (0 for the others). */
  readonly id: number;
}

/** CounterSeries is one counter: its values at the times they changed. */
export interface CounterSeries {
  readonly name: string;
  /** The names of the values (heap: allocated, goal). */
  readonly series: readonly string[];
  /**
   * The event at which each point was set (its time is the event's, Timeline.times): 4 bytes a
   * point, not a copy of the time in 8 (the goroutine counter has 16 M points on a 100 MB trace).
   */
  readonly at: Uint32Array;
  /**
   * series.length values per point. Counts of goroutines and threads are integers in the narrowest
   * array that holds the largest so far (8, 16 or 32 bits): a handful in real traces, and the
   * goroutine counter has a point at most events (16 M on the 100 MB trace: 48 MB, not 193 MB).
   */
  readonly values: Float64Array | Uint32Array | Uint16Array | Uint8Array;
}

/** Timeline is every lane's slices and every counter of one trace. */
export interface Timeline {
  /** Time of the last event (ns since the first). */
  readonly end: number;
  readonly lanes: readonly Lane[];
  /** Slices of lane l are laneStart[l] .. laneStart[l+1]-1. */
  readonly laneStart: Uint32Array;
  /** The first slice of the thread lanes, which follow the fixed lanes and the Ps'. */
  readonly threadFrom: number;
  /** The first slice of the goroutine lanes, which follow every other lane. */
  readonly goroutineFrom: number;
  /** The thread lanes' slices (threadFrom + k at k), the only ones with columns of their own. */
  readonly threads: ThreadSlices;
  /**
   * The event whose time ends each goroutine-lane slice (slice goroutineFrom + k at k): the next
   * change of its goroutine's state, or the trace's last event for a state still open at the end.
   */
  readonly goroutineEnd: Int32Array;
  /**
   * The event that began the slice (a GoStart, a GoBlock…, a GCStart, a wake-up or syscall): but
   * for a thread's, the slice begins at its time, in the state that event puts it in.
   */
  readonly ev: Int32Array;
  /** The trace's events (not a copy), which slices and counters are read from. */
  readonly events: Events;
  /** Goroutine id → its group (index into groups): goroutines are grouped by start function, as Go's pages group them. */
  readonly groupOf: GroupOf;
  readonly groups: readonly string[];
  readonly counters: readonly CounterSeries[];
  /** Go 1.22+ CPU samples per goroutine lane: lane → sample times, ascending. */
  readonly cpuSamples: ReadonlyMap<number, Float64Array>;
}

/**
 * GroupOf gives a goroutine's group (undefined: none): read from the pass's per-goroutine arrays,
 * not a Map of every goroutine (280 k entries, 0.2 s to fill, on the 100 MB trace).
 */
export interface GroupOf {
  get(g: number): number | undefined;
}

/** ThreadSlices are the columns of the thread lanes' slices (Go 1.22+). */
export interface ThreadSlices {
  readonly start: Float64Array;
  readonly stop: Float64Array;
  readonly kind: Uint8Array;
  /**
   * The goroutine the slice is about (0: none): 32-bit when every id fits (4 bytes a slice less),
   * 64-bit floats, exact, when a trace has an id past 2^32-1.
   */
  readonly g: Uint32Array | Float64Array;
}

/** sliceCount is how many slices the timeline holds. */
export const sliceCount = (tl: Timeline): number => tl.laneStart[tl.lanes.length]!;

/** isThreadSlice is whether slice j is a thread lane's. */
const isThreadSlice = (tl: Timeline, j: number): boolean => j >= tl.threadFrom && j < tl.goroutineFrom;

/** sliceStart is when slice j begins (ns). */
export function sliceStart(tl: Timeline, j: number): number {
  return isThreadSlice(tl, j) ? tl.threads.start[j - tl.threadFrom]! : tl.events.ts[tl.ev[j]!]!;
}

/** sliceStop is when slice j ends (ns). */
export function sliceStop(tl: Timeline, j: number): number {
  const ts = tl.events.ts;
  if (j >= tl.goroutineFrom) return ts[tl.goroutineEnd[j - tl.goroutineFrom]!]!;
  if (j >= tl.threadFrom) return tl.threads.stop[j - tl.threadFrom]!;
  return eventSliceEnd(tl, tl.ev[j]!);
}

/** eventSliceEnd is when the slice begun by event e of a P, GC, STW or instant lane ends: its link's time, or its own for an instant. */
export function eventSliceEnd(tl: Timeline, e: number): number {
  const ev = tl.events;
  if (!endsAtLink[ev.type[e]!]) return ev.ts[e]!;
  const link = ev.link[e]!;
  return link >= 0 ? ev.ts[link]! : tl.end;
}

/** sliceKind is slice j's SliceKind. */
export function sliceKind(tl: Timeline, j: number): number {
  if (isThreadSlice(tl, j)) return tl.threads.kind[j - tl.threadFrom]!;
  const type = tl.events.type[tl.ev[j]!]!;
  return j >= tl.goroutineFrom ? goroutineSliceKind[type]! : eventSliceKind[type]!;
}

/** sliceGoroutine is the goroutine slice j (of lane `lane`) is about, 0 for none. */
export function sliceGoroutine(tl: Timeline, j: number, lane: number): number {
  if (j >= tl.goroutineFrom) return tl.lanes[lane]!.id;
  if (j >= tl.threadFrom) return tl.threads.g[j - tl.threadFrom]!;
  const ev = tl.events;
  const e = tl.ev[j]!;
  const type = ev.type[e]!;
  // A run or a wake-up is about the goroutine started or woken (its first argument); a syscall
  // about the goroutine making it; GC and STW about none.
  return type === EventType.GoSysCall ? ev.g[e]! : eventSliceKind[type] === SliceKind.Running || type === EventType.GoUnblock ? ev.args[e * argsPerEvent]! : 0;
}

/** laneOfSlice is the lane slice j belongs to. */
export function laneOfSlice(tl: Timeline, j: number): number {
  let lo = 0;
  let hi = tl.lanes.length - 1;
  // The last lane whose first slice is at or before j (empty lanes share their first with the next).
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (tl.laneStart[mid]! <= j) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Slices per chunk of SliceChunks: 8 M, so that each chunk's 64-bit and 32-bit columns (64 and 32 MB)
 * are past glibc's largest mmap threshold (32 MB) and each goes back to the system when the chunk is
 * dropped. Chunks of 2 MB columns were served from malloc's heap once a first one was freed (its
 * threshold grows to the size freed), and their memory stayed resident after the move: 0.2 GB of the
 * 30 MB trace's peak. The pages of a chunk not yet written are not resident, so a big chunk costs
 * no slack.
 */
const chunkSize = 1 << 23;

/** Slices moved to their lanes per step of LaneMover: the size of its scratch array of destinations. */
const moveStep = 1 << 18;

/** One chunk of slices in the order they were pushed, with each slice's (provisional) lane. */
interface Chunk {
  readonly lane: Uint32Array;
  readonly start: Float64Array;
  readonly stop: Float64Array;
  readonly kind: Uint8Array;
  readonly g: Float64Array;
  readonly ev: Int32Array;
}

/** newChunk makes a chunk; one of slices kept as their events (not full) has no other columns. */
const newChunk = (full: boolean): Chunk => {
  const n = full ? chunkSize : 0;
  return { lane: new Uint32Array(chunkSize), start: new Float64Array(n), stop: new Float64Array(n), kind: new Uint8Array(n), g: new Float64Array(n), ev: new Int32Array(chunkSize) };
};

/** What a SliceChunks fills once its last chunk was dropped: nothing (a push makes a new chunk). */
const spentChunk: Chunk = { lane: new Uint32Array(0), start: new Float64Array(0), stop: new Float64Array(0), kind: new Uint8Array(0), g: new Float64Array(0), ev: new Int32Array(0) };

/**
 * Slices as pushed, in fixed-size chunks: growing one set of columns by doubling copied every slice
 * again at each step and left up to half of them spare (seconds and hundreds of MB on 20 M slices).
 */
class SliceChunks {
  n = 0;
  /** How many slices of the first chunk not yet dropped have been moved to their lanes. */
  moved = 0;
  /** Whether a goroutine pushed does not fit 32 bits (then the timeline's column is 64-bit). */
  wide = false;
  readonly chunks: (Chunk | undefined)[] = [];
  // The first chunk is made by the first push: a trace with no thread lanes makes none of theirs.
  private cur: Chunk = spentChunk;
  private at = chunkSize;
  /** full: the slices' times, kinds and goroutines are kept too (thread lanes); else only lanes and events. */
  constructor(readonly full: boolean) {}
  /** pushEvent adds a slice kept as its event (of a chunks not full). */
  pushEvent(lane: number, ev: number): void {
    if (this.at === chunkSize) {
      this.chunks.push((this.cur = newChunk(false)));
      this.at = 0;
    }
    const i = this.at++;
    this.n++;
    this.cur.lane[i] = lane;
    this.cur.ev[i] = ev;
  }
  push(lane: number, start: number, stop: number, kind: number, g: number, ev: number): void {
    if (this.at === chunkSize) {
      this.chunks.push((this.cur = newChunk(true)));
      this.at = 0;
    }
    const c = this.cur;
    const i = this.at++;
    this.n++;
    c.lane[i] = lane;
    c.start[i] = start;
    c.stop[i] = stop;
    c.kind[i] = kind;
    c.g[i] = g;
    if (g >>> 0 !== g) this.wide = true;
    c.ev[i] = ev;
  }
  /** drop lets chunk k go once moved; the one being filled is let go too (else it stays referenced). */
  drop(k: number): void {
    this.chunks[k] = undefined;
    if (k === this.chunks.length - 1) {
      this.cur = spentChunk;
      this.at = chunkSize;
    }
  }
  /** length is how many slices chunk k holds. */
  length(k: number): number {
    return k < this.chunks.length - 1 ? chunkSize : this.at;
  }
}

/**
 * heapGoalShown is the goal the heap counter draws: 0 (no goal) above 1 PiB. Go 1.19+ runtimes can
 * write a goal near 2^63 bytes (golang/go#63864: ../shared's Go 1.19 test trace has 2^63, its Go
 * 1.21 one 97% of it), which flattens the heap to nothing on the counter's scale. Go 1.22+'s go
 * tool trace draws 0 for a goal past 1 PiB, and so does this (the runtime itself writes 0 when
 * heap-based triggering is off).
 */
export function heapGoalShown(goal: number): number {
  return goal > 2 ** 50 ? 0 : goal;
}

/** Counts arrays, narrowest first, and the largest value each holds. */
const countArrays = [
  { max: 0xff, make: (n: number) => new Uint8Array(n) },
  { max: 0xffff, make: (n: number) => new Uint16Array(n) },
  { max: 0xffffffff, make: (n: number) => new Uint32Array(n) },
];

/** A counter being built: its points so far, in growing typed arrays (a point per event, in the worst case). */
class CounterBuilder {
  private n = 0;
  private at: Uint32Array;
  private values: Float64Array | Uint32Array | Uint16Array | Uint8Array;
  /** For counts: the index in countArrays of values' type; the largest value it holds. */
  private width = 0;
  private fits: number;
  private readonly last: Float64Array;
  /**
   * capacity: the most points expected, the events' count (one point per event at most): allocated
   * at once, the pages never written are never made resident, and growing by doubling copied up to
   * 500 MB (the goroutine counter of a 100 MB trace has 16 M points) and cost seconds.
   */
  constructor(
    readonly name: string,
    readonly series: readonly string[],
    /** The trace's event times: a point is kept as its event, its time read from here. */
    private readonly times: Float64Array,
    capacity: number,
    /** The values are counts (never negative, below 2^32): kept in the narrowest integers that hold them. */
    private readonly counts = false,
  ) {
    this.fits = counts ? countArrays[0]!.max : Number.POSITIVE_INFINITY;
    this.at = new Uint32Array(Math.max(16, capacity));
    this.values = this.newValues(this.at.length * series.length);
    this.last = new Float64Array(series.length).fill(Number.NaN);
  }
  /** set records the values (as many as series) at event e, replacing a point at the same time. */
  set(e: number, a: number, b: number, c = 0): void {
    const w = this.series.length;
    const last = this.last;
    if (last[0] === a && last[1] === b && (w < 3 || last[2] === c)) return;
    last[0] = a;
    last[1] = b;
    if (w > 2) last[2] = c;
    if (a > this.fits || b > this.fits || c > this.fits) this.widen(Math.max(a, b, c));
    let i = this.n;
    if (i > 0 && this.times[this.at[i - 1]!] === this.times[e]) i--;
    else {
      if (i === this.at.length) {
        const t = new Uint32Array(i * 2);
        t.set(this.at);
        this.at = t;
        const v = this.newValues(i * 2 * w);
        v.set(this.values);
        this.values = v;
      }
      this.n++;
    }
    this.at[i] = e;
    // Element writes: TypedArray.set of three values costs a builtin call per event.
    const v = this.values;
    const o = i * w;
    v[o] = a;
    v[o + 1] = b;
    if (w > 2) v[o + 2] = c;
  }
  /** widen moves the counts to the narrowest integers that hold max (at most twice per counter). */
  private widen(max: number): void {
    while (this.width < countArrays.length - 1 && countArrays[this.width]!.max < max) this.width++;
    this.fits = countArrays[this.width]!.max;
    const v = this.newValues(this.values.length);
    v.set(this.values.subarray(0, this.n * this.series.length));
    this.values = v;
  }
  private newValues(n: number): Float64Array | Uint32Array | Uint16Array | Uint8Array {
    return this.counts ? countArrays[this.width]!.make(n) : new Float64Array(n);
  }
  done(): CounterSeries {
    // Views, not copies: copying hundreds of MB costs more (in page faults) than the spare room.
    return { name: this.name, series: this.series, at: this.at.subarray(0, this.n), values: this.values.subarray(0, this.n * this.series.length) };
  }
}

/**
 * stateAfter: the SliceKind an event type puts its goroutine in, -1 when it ends it, noChange for
 * the others. One table for both walks of the events (buildTimeline's pass and fillGoroutineLanes),
 * read for every event instead of a case per type.
 */
const noChange = -2;
const stateAfter = new Int8Array(eventTypeCount).fill(noChange);
for (const [type, k] of [
  [EventType.GoCreate, SliceKind.Runnable],
  [EventType.GoStart, SliceKind.Running],
  [EventType.GoStartLabel, SliceKind.Running],
  [EventType.GoEnd, -1],
  [EventType.GoStop, -1],
  [EventType.GoSched, SliceKind.Runnable],
  [EventType.GoPreempt, SliceKind.Runnable],
  [EventType.GoUnblock, SliceKind.Runnable],
  [EventType.GoSysBlock, SliceKind.Syscall],
  [EventType.GoSysExit, SliceKind.Runnable],
  [EventType.GoWaiting, SliceKind.WaitOther],
  [EventType.GoInSyscall, SliceKind.Syscall],
  // Blocking events.
  [EventType.GoBlockSend, SliceKind.WaitSync],
  [EventType.GoBlockRecv, SliceKind.WaitSync],
  [EventType.GoBlockSelect, SliceKind.WaitSync],
  [EventType.GoBlockSync, SliceKind.WaitSync],
  [EventType.GoBlockCond, SliceKind.WaitSync],
  [EventType.GoBlockNet, SliceKind.WaitNet],
  [EventType.GoSleep, SliceKind.WaitOther],
  [EventType.GoBlock, SliceKind.WaitOther],
  [EventType.GoBlockGC, SliceKind.WaitOther],
] as const)
  stateAfter[type] = k;
/**
 * eventSliceKind is the SliceKind of a P, GC, STW or instant lane's slice begun by an event of
 * each type (those lanes' slices are kept as their events); endsAtLink: whether it lasts until
 * the event's link (else it is an instant).
 */
const eventSliceKind = new Uint8Array(eventTypeCount).fill(SliceKind.Instant);
const endsAtLink = new Uint8Array(eventTypeCount);
for (const [type, k] of [
  [EventType.GoStart, SliceKind.Running],
  [EventType.GoStartLabel, SliceKind.Running],
  [EventType.GCStart, SliceKind.GC],
  [EventType.GCSTWStart, SliceKind.STW],
] as const) {
  eventSliceKind[type] = k;
  endsAtLink[type] = 1;
}

/** goroutineSliceKind is the SliceKind of a goroutine-lane slice begun by an event of each type. */
export const goroutineSliceKind: Readonly<Int8Array> = stateAfter;
/** stateOfArg: whether an event type's goroutine is its first argument (else the event's own). */
const stateOfArg = Uint8Array.from({ length: eventTypeCount }, (_, type) =>
  ([EventType.GoCreate, EventType.GoStart, EventType.GoStartLabel, EventType.GoUnblock, EventType.GoSysExit, EventType.GoWaiting, EventType.GoInSyscall] as number[]).includes(type) ? 1 : 0,
);

/** groupName is a goroutine's group: the function of the leaf frame of the stack it starts with. */
function startFunction(t: Trace, stack: number): string {
  const s = t.stacks;
  if (stack <= 0 || stack >= s.length || s.frameStart[stack] === s.frameStart[stack + 1]) return '';
  return t.strings[s.fn[s.frameStart[stack]!]!] ?? '';
}

/**
 * goroutineLaneOrder lists the goroutine lanes that hold a slice, by goroutine id. Goroutines are
 * numbered as they are created, so their lanes are nearly always made in id order already: then
 * they are only filtered (a sort of the 280 k lanes of a 100 MB trace took ~0.1 s).
 */
function goroutineLaneOrder(goLanes: readonly number[], goIds: readonly number[], perLane: Uint32Array): number[] {
  let sorted = true;
  for (let k = 1; k < goIds.length && sorted; k++) if (goIds[k]! < goIds[k - 1]!) sorted = false;
  const byId = goLanes.map((_, k) => k);
  if (!sorted) byId.sort((x, y) => goIds[x]! - goIds[y]!);
  const out: number[] = [];
  for (const k of byId) if (perLane[goLanes[k]!]! > 0) out.push(goLanes[k]!);
  return out;
}

/** buildTimeline computes the timeline of a trace: one pass over the events, then a sort by lane. */
export function buildTimeline(t: Trace, opts: { deferGoroutineLanes?: boolean } = {}): Timeline {
  const ev = t.events;
  const n = ev.length;
  const end = n > 0 ? ev.ts[n - 1]! : 0;
  const threads = t.version >= 1022;

  // Lanes: the fixed ones first, then Ps, threads and goroutines as they appear (sorted below).
  const fixed: Lane[] = [
    { kind: 'gc', name: 'GC', id: 0 },
    { kind: 'stw', name: 'STW', id: 0 },
    { kind: 'net', name: 'Network wake-ups', id: 0 },
    { kind: 'timer', name: 'Timer wake-ups', id: 0 },
    { kind: 'syscall', name: 'Syscalls', id: 0 },
  ];
  const [gcLane, stwLane, netLane, timerLane, syscallLane] = [0, 1, 2, 3, 4];
  const procs = new Map<number, number>();
  const threadIds = new Map<number, number>();
  // Goroutine lanes: their provisional numbers and goroutines, in order of appearance (a
  // goroutine's lane is kept in its state's slot: no Map of 280 k goroutines on the 100 MB trace).
  const goLanes: number[] = [];
  const goIds: number[] = [];
  let nextLane = fixed.length;
  // Lane numbers here are provisional (in order of appearance); renumbered after the pass.
  // A goroutine's is the shared goroutineLane until its lane is named, after the pass.
  const provisional: Lane[] = [...fixed];
  const laneOf = (m: Map<number, number>, id: number, kind: LaneKind, name: string): number => {
    let l = m.get(id);
    if (l === undefined) {
      l = nextLane++;
      m.set(id, l);
      provisional.push({ kind, name, id });
    }
    return l;
  };
  // A P's lane by array (P ids are small): a Map look-up at every GoStart cost 0.2–0.4 s on 5.7 M runs.
  const procLanes: number[] = [];
  const procLane = (p: number): number => {
    const hit = p >= 0 && p < 4096 ? procLanes[p] : undefined;
    if (hit !== undefined) return hit;
    const l = laneOf(procs, p, 'proc', `Proc ${p}`);
    if (p >= 0 && p < 4096) procLanes[p] = l;
    return l;
  };
  const goLane = (g: number): number => {
    const l = nextLane++;
    provisional.push(goroutineLane);
    goLanes.push(l);
    goIds.push(g);
    return l;
  };

  // Slices of the P, GC, STW and instant lanes, kept as their events; thread lanes' with their columns.
  const cols = new SliceChunks(false);
  const threadCols = new SliceChunks(true);
  // Goroutine lanes' slices are only counted here (per goroutine) and written straight to their
  // lanes by a second walk of the events (fillGoroutineLanes), after the first view when deferred:
  // gathering them (16 M on the 100 MB trace) held 0.4 GB more until they were moved.
  // Per goroutine: its state since when, and its slices so far.
  // Room for a goroutine per 64 events at first: the 100 MB trace has one per 79.
  const state = new GoroutineStates(n / 64);
  const counts = [0, 0, 0, 0]; // running, runnable, waiting, syscall
  const countIndex = (k: number): number => (k === SliceKind.Running ? 0 : k === SliceKind.Runnable ? 1 : k === SliceKind.Syscall ? 3 : 2);
  let dirty = false;
  let tdirty = false;
  // Given the event, not its time: a time passed to a function V8 does not inline is a new heap
  // number per call (250 MB of garbage on the 100 MB trace's 22 M events).
  const setState = (g: number, kind: number, e: number): void => {
    const ts = ev.ts[e]!;
    dirty = true;
    const s = state.slot(g);
    let lane = state.lane[s]! - 1;
    if (lane < 0) state.lane[s] = (lane = goLane(g)) + 1;
    const old = state.kind[s]! - 1;
    if (old >= 0) {
      // Zero-length states (created and started at once) draw nothing and would only be counted.
      if (ts > state.since[s]!) state.slices[s]!++;
      counts[countIndex(old)]!--;
    }
    state.kind[s] = kind + 1;
    if (kind >= 0) {
      state.since[s] = ts;
      counts[countIndex(kind)]!++;
    }
  };
  const groupByName = new Map<string, number>();
  const groups: string[] = [];
  const groupNamed = (name: string): number => {
    let k = groupByName.get(name);
    if (k === undefined) {
      k = groups.length;
      groups.push(name);
      groupByName.set(name, k);
    }
    return k;
  };
  // Stack → its start function's group + 1 (0: not looked up yet; -1: no function): a GoStart's
  // group costs one array read, not a string lookup and a Map write per goroutine start.
  const stackGroup = new Int32Array(t.stacks.length + 1);
  /** groupOfStack is the group of the start function of stack, -1 when it names none. */
  const groupOfStack = (stack: number): number => {
    if (stack < 0 || stack >= stackGroup.length) return -1;
    let k = stackGroup[stack]!;
    if (k === 0) {
      const fn = startFunction(t, stack);
      stackGroup[stack] = k = fn === '' ? -1 : groupNamed(fn) + 1;
    }
    return k < 0 ? -1 : k - 1;
  };
  const emptyGroup = (): number => groupNamed('');
  const heap = new CounterBuilder('Heap', ['allocated', 'goal'], ev.ts, n);
  const gcount = new CounterBuilder('Goroutines', ['running', 'runnable', 'waiting'], ev.ts, n, true);
  const tcount = new CounterBuilder('Threads', ['running', 'in syscall'], ev.ts, n, true);
  let heapAlloc = 0;
  let heapGoal = 0;
  let procsRunning = 0;
  // Go 1.22+: which thread holds each P, and since when.
  const holder = new Map<number, { m: number }>();
  const cpu = new Map<number, number[]>();
  // Go 1.22+ thread lanes: a thread's run is pushed when it ends or its goroutine enters a syscall
  // (Go 1.22's view by thread shows the syscall on the thread that made it, and slices of a lane
  // must not overlap): the run is cut at the syscall and resumes if the syscall returned with its P.
  const threadLane = (m: number): number => laneOf(threadIds, m, 'thread', `Thread ${m}`);
  const runOn = new Map<number, { start: number; stop: number; g: number; ev: number; pushed: number }>();
  // Pushes keep a thread's slices in order and apart even when a hostile trace overlaps them.
  const threadPush = (m: number, r: { pushed: number }, start: number, stop: number, kind: number, g: number, i: number): void => {
    const from = Math.max(start, r.pushed);
    if (stop <= from) return;
    threadCols.push(threadLane(m), from, stop, kind, g, i);
    r.pushed = stop;
  };
  const threadRun = (m: number, start: number, stop: number, g: number, i: number): void => {
    const r = runOn.get(m);
    if (r === undefined) {
      threadLane(m);
      runOn.set(m, { start, stop, g, ev: i, pushed: Number.NEGATIVE_INFINITY });
      return;
    }
    threadPush(m, r, r.start, Math.min(r.stop, start), SliceKind.Running, r.g, r.ev);
    Object.assign(r, { start, stop, g, ev: i });
  };
  const threadSyscall = (m: number, start: number, stop: number, g: number, i: number): void => {
    let r = runOn.get(m);
    if (r === undefined) runOn.set(m, (r = { start, stop: start, g, ev: i, pushed: Number.NEGATIVE_INFINITY }));
    threadPush(m, r, r.start, Math.min(r.stop, start), SliceKind.Running, r.g, r.ev);
    threadPush(m, r, start, stop, SliceKind.Syscall, g, i);
    // The rest of the run, after the syscall (none when the syscall lost its P).
    r.start = Math.max(r.start, stop);
  };

  // The time of the event that ends event i's slice: read only where a slice needs it, since it
  // is a read far away in the columns (a cache miss per event when done for every event).
  const linkedEndOf = (i: number): number => {
    const link = ev.link[i]!;
    return link >= 0 ? ev.ts[link]! : end;
  };
  for (let i = 0; i < n; i++) {
    const type = ev.type[i]!;
    const ts = ev.ts[i]!;
    const p = ev.p[i]!;
    const g = ev.g[i]!;
    const a = i * argsPerEvent;
    // The goroutine's state change, by the table fillGoroutineLanes walks by too.
    const next = stateAfter[type]!;
    if (next !== noChange) setState(stateOfArg[type] ? ev.args[a]! : g, next, i);
    switch (type) {
      case EventType.GoCreate: {
        const s = state.slot(ev.args[a]!);
        if (state.group[s] === 0) state.group[s] = emptyGroup() + 1;
        break;
      }
      case EventType.GoStart:
      case EventType.GoStartLabel: {
        const started = ev.args[a]!;
        // Go groups a goroutine by the function it starts in: the leaf of its start stack.
        // (A start with no function keeps the group the goroutine had.)
        const k = groupOfStack(ev.stack[i]!);
        const s = state.slot(started);
        if (k >= 0) state.group[s] = k + 1;
        else if (state.group[s] === 0) state.group[s] = emptyGroup() + 1;
        if (p < SpecialP.FakeP) {
          cols.pushEvent(procLane(p), i);
          const h = threads ? holder.get(p) : undefined;
          if (h !== undefined) threadRun(h.m, ts, linkedEndOf(i), started, i);
        }
        break;
      }
      case EventType.GoUnblock:
        if (p === SpecialP.NetpollP) cols.pushEvent(netLane, i);
        else if (p === SpecialP.TimerP) cols.pushEvent(timerLane, i);
        break;
      case EventType.GoSysCall: {
        cols.pushEvent(syscallLane, i);
        const h = threads && p < SpecialP.FakeP ? holder.get(p) : undefined;
        // It returned with its P kept (a time of its own), or at its GoSysExit (its link), or not in the trace.
        if (h !== undefined) threadSyscall(h.m, ts, t.fastSyscallEnds?.get(i) ?? linkedEndOf(i), g, i);
        break;
      }
      case EventType.GCStart:
        cols.pushEvent(gcLane, i);
        break;
      case EventType.GCSTWStart:
        cols.pushEvent(stwLane, i);
        break;
      case EventType.HeapAlloc:
        heapAlloc = argAt(ev, a);
        heap.set(i, heapAlloc, heapGoal);
        break;
      case EventType.HeapGoal:
        heapGoal = heapGoalShown(argAt(ev, a));
        heap.set(i, heapAlloc, heapGoal);
        break;
      case EventType.ProcStart:
        procsRunning++;
        tdirty = true;
        if (p < SpecialP.FakeP) procLane(p);
        if (threads && p < SpecialP.FakeP) holder.set(p, { m: argAt(ev, a) });
        break;
      case EventType.ProcStop: {
        procsRunning = Math.max(0, procsRunning - 1);
        tdirty = true;
        holder.delete(p);
        break;
      }
      case EventType.CPUSample: {
        const list = cpu.get(g);
        if (list) list.push(ts);
        else cpu.set(g, [ts]);
        break;
      }
    }
    if (dirty) {
      gcount.set(i, counts[0]!, counts[1]!, counts[2]!);
      tcount.set(i, procsRunning, counts[3]!);
    } else if (tdirty) tcount.set(i, procsRunning, counts[3]!);
    dirty = tdirty = false;
  }
  for (const [m, r] of runOn) threadPush(m, r, r.start, r.stop, SliceKind.Running, r.g, r.ev);
  // Goroutine id → group, for the queries: the slots' groups (the fill below changes no group).
  const groupOf = groupsOf(state);
  // What is still open runs to the end of the trace.
  for (let k = 0; k < state.used; k++) if (state.kind[k]! > 0 && end > state.since[k]!) state.slices[k]!++;

  // Final lane order: fixed lanes, Ps by number, threads by id, goroutines by id; goroutines
  // whose every state was empty (zero-length) get no lane.
  const perLane = new Uint32Array(provisional.length);
  countLanes(cols, perLane);
  countLanes(threadCols, perLane);
  for (let k = 0; k < state.used; k++) if (state.lane[k]! > 0) perLane[state.lane[k]! - 1]! += state.slices[k]!;
  const byId = (m: Map<number, number>): number[] => [...m.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]);
  const goroutineOrder = goroutineLaneOrder(goLanes, goIds, perLane);
  const idOfLane = new Float64Array(provisional.length);
  goLanes.forEach((l, k) => (idOfLane[l] = goIds[k]!));
  const goroutineLanes = goroutineOrder.length;
  const order = [0, 1, 2, 3, 4, ...byId(procs), ...byId(threadIds), ...goroutineOrder];
  const renumber = new Uint32Array(provisional.length);
  order.forEach((old, k) => (renumber[old] = k));
  const names = { groupOf, groups };
  const lanes = order.map((old): Lane => {
    const l = provisional[old]!;
    return l === goroutineLane ? new GoroutineLane(idOfLane[old]!, names) : l;
  });
  const laneStart = new Uint32Array(order.length + 1);
  order.forEach((old, k) => (laneStart[k + 1] = laneStart[k]! + perLane[old]!));
  const total = laneStart[order.length]!;
  const goroutineFrom = laneStart[order.length - goroutineLanes]!;
  const threadFrom = laneStart[order.length - goroutineLanes - threadIds.size]!;
  const nThread = goroutineFrom - threadFrom;
  const tl: Timeline = {
    end,
    lanes,
    laneStart,
    threadFrom,
    goroutineFrom,
    threads: {
      start: new Float64Array(nThread),
      stop: new Float64Array(nThread),
      kind: new Uint8Array(nThread),
      g: threadCols.wide ? new Float64Array(nThread) : new Uint32Array(nThread),
    },
    goroutineEnd: new Int32Array(total - goroutineFrom),
    ev: new Int32Array(total),
    events: ev,
    groupOf,
    groups,
    counters: [heap.done(), gcount.done(), tcount.done()],
    cpuSamples: new Map(
      [...cpu].flatMap(([g, list]) => {
        const s = state.find(g);
        const l = s < 0 ? -1 : state.lane[s]! - 1;
        return l >= 0 && perLane[l]! > 0 ? [[renumber[l]!, Float64Array.from(list)] as const] : [];
      }),
    ),
  };
  const at = laneStart.slice(0, order.length);
  const mover = new LaneMover(tl, renumber, at);
  while (mover.step(cols));
  while (mover.step(threadCols));
  const fill = fillGoroutineLanes(t, tl, state, renumber, at);
  if (opts.deferGoroutineLanes && goLanes.length > 0) deferFill(tl, fill);
  else while (fill(n));
  return tl;
}

/**
 * deferFill leaves the goroutine lanes to be filled a step at a time (completeTimelineStep). Made
 * here, not in buildTimeline: a closure made there would keep that function's captured locals
 * (the lane Maps and 280 k provisional lanes on the 100 MB trace) alive until the lanes are filled.
 */
function deferFill(tl: Timeline, fill: (budget: number) => boolean): void {
  // A step walks events until stepMs have passed, not a fixed count: the first writes to the
  // lanes' columns are page faults (with huge pages, 2 MB zeroed at each), and a fixed 256 K
  // events took 0.95 s at the first step on the 100 MB trace, a wait for any request then.
  const touch = pageToucher([tl.ev.subarray(tl.goroutineFrom), tl.goroutineEnd]);
  pending.set(tl, () => {
    const t0 = performance.now();
    // The columns' pages first, each step for stepMs: the walk's first steps would touch most of
    // them at once (0.6 s at its first 16 K events on the 100 MB trace with huge pages).
    if (touch(t0)) return true;
    let did = false;
    while (fill(fillStep)) {
      did = true;
      if (performance.now() - t0 >= stepMs) break;
    }
    return did;
  });
}

/** Events walked between looks at the clock by a step of the deferred goroutine lanes. */
const fillStep = 1 << 14;
/** How long a step of the deferred goroutine lanes runs at most (about): a request waits for it. */
const stepMs = 25;

/**
 * fillGoroutineLanes writes the goroutine lanes' slices to their places (at: each lane's next one)
 * by walking the events again with the same state changes as buildTimeline's pass, whose counts
 * placed the lanes. A slice is its two events: the one that began its state and the one that
 * ended it. Each call walks up to `budget` events; false when nothing was left to write.
 */
function fillGoroutineLanes(t: Trace, tl: Timeline, state: GoroutineStates, renumber: Uint32Array, at: Uint32Array): (budget: number) => boolean {
  const ev = t.events;
  const n = ev.length;
  const { ev: evcol, goroutineEnd, goroutineFrom } = tl;
  state.kind.fill(0);
  /** put writes slot s's current state, ended by event e. */
  const put = (s: number, e: number): void => {
    const j = at[renumber[state.lane[s]! - 1]!]!++;
    evcol[j] = state.ev[s]!;
    goroutineEnd[j - goroutineFrom] = e;
  };
  let i = 0;
  return (budget) => {
    if (i > n) return false;
    const to = Math.min(n, i + budget);
    for (; i < to; i++) {
      const type = ev.type[i]!;
      const k = stateAfter[type]!;
      if (k === noChange) continue;
      const g = stateOfArg[type] ? ev.args[i * argsPerEvent]! : ev.g[i]!;
      const ts = ev.ts[i]!;
      const s = state.slot(g);
      if (state.kind[s]! > 0 && ts > state.since[s]!) put(s, i);
      state.kind[s] = k + 1;
      if (k >= 0) {
        state.since[s] = ts;
        state.ev[s] = i;
      }
    }
    if (i < n) return true;
    // What is still open runs to the end of the trace, the time of its last event.
    for (let s = 0; s < state.used; s++) if (state.kind[s]! > 0 && tl.end > state.since[s]!) put(s, n - 1);
    i++;
    return true;
  };
}

/**
 * pageToucher makes the pages of the columns given (slices not yet written, zeros already)
 * resident, a step at a time: each call writes a zero to one element a page until stepMs have
 * passed since t0, and is true while pages were left.
 */
function pageToucher(columns: readonly (Uint32Array | Int32Array)[]): (t0: number) => boolean {
  let c = 0;
  let i = 0;
  return (t0) => {
    if (c === columns.length) return false;
    for (;;) {
      const col = columns[c]!;
      const stride = 4096 / col.BYTES_PER_ELEMENT;
      for (let k = 0; k < 256 && i < col.length; k++, i += stride) col[i] = 0;
      if (i >= col.length) {
        c++;
        i = 0;
        if (c === columns.length) return true;
      }
      if (performance.now() - t0 >= stepMs) return true;
    }
  };
}

/** Timelines whose goroutine lanes are still being filled: one step runs for about stepMs, true while it did some. */
const pending = new WeakMap<Timeline, () => boolean>();

/**
 * completeTimelineStep fills part of a timeline built with deferGoroutineLanes (for about stepMs),
 * so that a server can fill it between requests; false once complete.
 */
export function completeTimelineStep(tl: Timeline): boolean {
  const step = pending.get(tl);
  if (step && step()) return true;
  pending.delete(tl);
  return false;
}

/** completeTimeline fills the goroutine lanes now: what reads them (laneBlocks on one, selectionStats, sliceDetail) calls it first. */
export function completeTimeline(tl: Timeline): void {
  while (completeTimelineStep(tl));
}

/** goroutineLane stands for a goroutine's lane in buildTimeline's provisional lanes. */
const goroutineLane: Lane = { kind: 'goroutine', name: '', id: 0 };

/**
 * groupsOf reads goroutines' groups from the pass's states. Made here, not in buildTimeline: a
 * closure made there would keep all of that function's captured locals (the lane Maps, 280 k
 * provisional lanes on the 100 MB trace) alive as long as the timeline.
 */
function groupsOf(state: GoroutineStates): GroupOf {
  return { get: (g) => state.groupOf(g) };
}

/**
 * GoroutineLane is a goroutine's lane, named (G42 and its start function) only when its name is
 * read: the page is sent goroutine lanes as ids and groups, and naming the 280 k lanes of a 100 MB
 * trace up front was 0.1 s before the server could answer. What names it is private, so lanes
 * compare (assert.deepEqual) by kind and id as plain objects would.
 */
class GoroutineLane implements Lane {
  readonly kind = 'goroutine';
  readonly #names: { readonly groupOf: GroupOf; readonly groups: readonly string[] };
  constructor(
    readonly id: number,
    names: { readonly groupOf: GroupOf; readonly groups: readonly string[] },
  ) {
    this.#names = names;
  }
  get name(): string {
    return groupLabel(this.id, this.#names.groupOf, this.#names.groups);
  }
}

/** groupLabel names a goroutine lane: G42 and its start function. */
function groupLabel(g: number, groupOf: GroupOf, groups: readonly string[]): string {
  const name = groups[groupOf.get(g) ?? -1] ?? '';
  return name === '' ? `G${g}` : `G${g} ${name}`;
}

/** countLanes adds each (provisional) lane's slices in c to perLane. */
function countLanes(c: SliceChunks, perLane: Uint32Array): void {
  c.chunks.forEach((ch, k) => {
    const lane = ch!.lane;
    for (let i = 0, n = c.length(k); i < n; i++) perLane[lane[i]!]!++;
  });
}

/**
 * LaneMover puts slices lane after lane, a counting sort (the counts are laneStart) that keeps each
 * lane's slices in the order they were pushed: each lane was pushed in start order (a thread's
 * runs are pushed when cut or ended, but never before the end of the one pushed before them, see
 * threadPush), so every lane comes out sorted by start. It moves chunk after
 * chunk, one column at a time (the writes scatter over every lane; one column at a time keeps fewer
 * cache lines open), and drops each chunk once moved.
 */
class LaneMover {
  private readonly dest = new Uint32Array(moveStep);
  constructor(
    private readonly tl: Timeline,
    private readonly renumber: Uint32Array,
    private readonly at: Uint32Array,
  ) {}
  /** step moves the next moveStep slices of c (dropping a chunk once moved); false when none were left. */
  step(c: SliceChunks): boolean {
    const k = c.chunks.findIndex((ch) => ch !== undefined);
    if (k < 0) return false;
    const ch = c.chunks[k]!;
    const from = c.moved;
    const to = Math.min(c.length(k), from + moveStep);
    const { dest, renumber, at } = this;
    const ev = this.tl.ev;
    const n = to - from;
    for (let i = 0; i < n; i++) dest[i] = at[renumber[ch.lane[from + i]!]!]!++;
    for (let i = 0; i < n; i++) ev[dest[i]!] = ch.ev[from + i]!;
    if (c.full) {
      // Thread slices: their own columns, from threadFrom.
      const { start, stop, kind, g } = this.tl.threads;
      const base = this.tl.threadFrom;
      for (let i = 0; i < n; i++) dest[i]! -= base;
      for (let i = 0; i < n; i++) start[dest[i]!] = ch.start[from + i]!;
      for (let i = 0; i < n; i++) stop[dest[i]!] = ch.stop[from + i]!;
      for (let i = 0; i < n; i++) kind[dest[i]!] = ch.kind[from + i]!;
      for (let i = 0; i < n; i++) g[dest[i]!] = ch.g[from + i]!;
    }
    c.moved = to;
    if (to < c.length(k)) return true;
    c.moved = 0;
    c.drop(k);
    return true;
  }
}
