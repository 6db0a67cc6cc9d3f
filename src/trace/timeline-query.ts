// What the timeline page asks for, answered from a Timeline (timeline.ts): the blocks to draw in a
// time range at a pixel width, the counters at that resolution, the statistics of a selected
// range, and one slice's details (its goroutine, start stack, and the event that woke it).
//
// Every answer is bounded by the width, not by the trace: neighbouring slices narrower than a
// pixel, less than a pixel apart, are merged into one block that counts them and keeps the longest
// one's goroutine (gotraceui's idea), so a lane yields at most about two blocks per pixel.

import { EventType, type Frame, SpecialP, eventDescriptions, stackFrames, type Trace } from './model.js';
import { type CounterSeries, SliceKind, completeTimeline, goroutineSliceKind, laneOfSlice, sliceCount, sliceGoroutine, sliceKind, sliceKindNames, sliceStart, sliceStop, type Timeline } from './timeline.js';

/** LaneBlocks are the blocks of one lane: parallel arrays, one entry per block. */
export interface LaneBlocks {
  readonly lane: number;
  /** Start and end (ns), of the block's first and last slice. */
  readonly s: number[];
  readonly e: number[];
  /** The kind, goroutine and group of the block's longest slice, and that slice's index (for details). */
  readonly k: number[];
  readonly g: number[];
  readonly c: number[];
  readonly i: number[];
  /** How many slices the block merges. */
  readonly n: number[];
}

/** firstEndingAfter is the first item of [lo, hi) whose end is ≥ t (ends are sorted within a lane). */
function firstEndingAfter(stop: (k: number) => number, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (stop(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** LaneTimes reads the start and end of a lane's slices (by slice number). */
interface LaneTimes {
  readonly start: (j: number) => number;
  readonly stop: (j: number) => number;
}

/**
 * laneTimes reads one lane's slices: a thread's from its own columns; the others' from the times
 * of the events that began and ended each (closures made per lane, each reading one kind of lane).
 */
function laneTimes(tl: Timeline, lane: number): LaneTimes {
  const { ev, goroutineEnd, goroutineFrom, threadFrom } = tl;
  const times = tl.events.ts;
  const start = (j: number): number => times[ev[j]!]!;
  const kind = tl.lanes[lane]?.kind;
  if (kind === 'goroutine') return { start, stop: (j) => times[goroutineEnd[j - goroutineFrom]!]! };
  if (kind === 'thread') {
    const { start: s, stop } = tl.threads;
    return { start: (j) => s[j - threadFrom]!, stop: (j) => stop[j - threadFrom]! };
  }
  if (kind === 'proc' || kind === 'gc' || kind === 'stw') {
    const link = tl.events.link;
    const end = tl.end;
    return {
      start,
      stop: (j) => {
        const l = link[ev[j]!]!;
        return l >= 0 ? times[l]! : end;
      },
    };
  }
  // Instants: wake-ups and syscalls.
  return { start, stop: start };
}

/**
 * Blocks is a lane's slices merged at one resolution (a level of detail): block b spans s[b]..e[b],
 * merges n[b] slices, and its longest slice is j[b], dur[b] long.
 */
interface Blocks {
  readonly px: number;
  readonly s: Float64Array;
  readonly e: Float64Array;
  readonly n: Uint32Array;
  readonly j: Int32Array;
  readonly dur: Float64Array;
}

/** Lanes with more slices than this get levels of detail, so that a query at low zoom reads a few thousand blocks, not millions of slices. */
const lodMinSlices = 4096;
const levels = new WeakMap<Timeline, Map<number, Blocks[]>>();


/**
 * readLaneTimes reads the start and end of slices [from, to) of a lane into ss and es, in plain
 * loops (no call per slice: a goroutine or P lane's times are reads far away in the events'
 * columns, cache misses that a plain loop overlaps).
 */
function readLaneTimes(tl: Timeline, lane: number, from: number, to: number, ss: Float64Array, es: Float64Array): void {
  const { ev, goroutineEnd, goroutineFrom, threadFrom } = tl;
  const { ts, link } = tl.events;
  const kind = tl.lanes[lane]!.kind;
  if (kind === 'thread') {
    ss.set(tl.threads.start.subarray(from - threadFrom, to - threadFrom));
    es.set(tl.threads.stop.subarray(from - threadFrom, to - threadFrom));
    return;
  }
  for (let j = from; j < to; j++) ss[j - from] = ts[ev[j]!]!;
  if (kind === 'goroutine') for (let j = from; j < to; j++) es[j - from] = ts[goroutineEnd[j - goroutineFrom]!]!;
  else if (kind === 'proc' || kind === 'gc' || kind === 'stw') {
    for (let j = from; j < to; j++) {
      const l = link[ev[j]!]!;
      es[j - from] = l >= 0 ? ts[l]! : tl.end;
    }
  } else es.set(ss.subarray(0, to - from));
}

/** MergeState is the block mergeRun is building, kept across the windows of a lane. */
interface MergeState {
  bs: number;
  be: number;
  bn: number;
}
const newMergeState = (): MergeState => ({ bs: 0, be: Number.NEGATIVE_INFINITY, bn: 0 });

/**
 * mergeLane merges a lane's slices from `from` on that begin by t1 (mergeRun), reading their times
 * a window at a time: buffers that stay in cache, not fresh memory for a lane of millions.
 */
function mergeLane(tl: Timeline, lane: number, from: number, t1: number, px: number, emit: Emit, maxSpan = Infinity): void {
  const hi = tl.laneStart[lane + 1]!;
  // Small windows first, growing: a zoomed-in query reads a few slices of each lane, not 16 K.
  let size = Math.min(firstWindow, hi - from);
  let ss = new Float64Array(size);
  let es = new Float64Array(size);
  const st = newMergeState();
  for (let k = from; k < hi; ) {
    const to = Math.min(hi, k + size);
    readLaneTimes(tl, lane, k, to, ss, es);
    if (!mergeRun(k, to, t1, px, ss, es, k, undefined, emit, maxSpan, st)) return;
    k = to;
    if (size < timeWindow && k < hi) {
      size = Math.min(timeWindow, size * 8);
      ss = new Float64Array(size);
      es = new Float64Array(size);
    }
  }
}

/** The slices mergeLane reads first. */
const firstWindow = 64;

/** The slices whose times mergeLane reads at a time. */
const timeWindow = 1 << 14;

type Emit = (s: number, e: number, n: number, j: number, dur: number, merge: boolean) => void;

/**
 * mergeRun merges slices (or blocks) [from, to) that begin by t1, `px` ns a pixel: a narrow slice
 * joins a narrow (or already merged) block that ends less than a pixel before it, while the block
 * spans at most maxSpan. Item k's start and end are start[k - base] and end[k - base]; a block
 * (of `merged`) counts its slices and keeps its longest one and that one's duration; a slice is
 * one, its own longest, end - start long. False when it stopped at an item that begins after t1.
 */
function mergeRun(
  from: number,
  to: number,
  t1: number,
  px: number,
  start: Float64Array,
  end: Float64Array,
  base: number,
  merged: Blocks | undefined,
  emit: Emit,
  maxSpan = Infinity,
  st: MergeState = newMergeState(),
): boolean {
  let { bs, be, bn } = st;
  let k = from;
  for (; k < to; k++) {
    const s = start[k - base]!;
    if (s > t1) break;
    const e = end[k - base]!;
    const n = merged ? merged.n[k]! : 1;
    // An item that already merges slices (from a level of detail) merges on: its slices are narrow.
    const merge = bn > 0 && (e - s < px || n > 1) && s - be < px && (bn > 1 || be - bs < px) && e - bs <= maxSpan;
    if (merge) {
      be = Math.max(be, e);
      bn += n;
    } else {
      bs = s;
      be = e;
      bn = n;
    }
    emit(s, e, n, merged ? merged.j[k]! : k, merged ? merged.dur[k]! : e - s, merge);
  }
  st.bs = bs;
  st.be = be;
  st.bn = bn;
  return k === to;
}

/** The pixels for the whole trace of each level of detail, finest first. */
const lodPixels = [65536, 8192, 1024, 128];
const lodFinestPx = (tl: Timeline): number => Math.max(1, tl.end) / lodPixels[0]!;

/** lodLevels builds (once per lane) the lane's levels of detail: 2^16, 2^13, 2^10, 2^7 pixels for the whole trace. */
function lodLevels(tl: Timeline, lane: number): Blocks[] {
  let byLane = levels.get(tl);
  if (!byLane) levels.set(tl, (byLane = new Map()));
  const hit = byLane.get(lane);
  if (hit) return hit;
  const out: Blocks[] = [];
  const lo = tl.laneStart[lane]!;
  for (const pixels of lodPixels) {
    const px = Math.max(1, tl.end) / pixels;
    const s: number[] = [];
    const e: number[] = [];
    const n: number[] = [];
    const j: number[] = [];
    const dur: number[] = [];
    const emit = (bs: number, be: number, bn: number, bj: number, bd: number, merge: boolean): void => {
      const b = s.length - 1;
      if (!merge) {
        s.push(bs);
        e.push(be);
        n.push(bn);
        j.push(bj);
        dur.push(bd);
        return;
      }
      e[b] = Math.max(e[b]!, be);
      n[b]! += bn;
      if (bd > dur[b]!) {
        dur[b] = bd;
        j[b] = bj;
      }
    };
    // A level's block spans at most 4 of its pixels: a query at a finer zoom sees where its slices are.
    // The finest level merges the slices, each coarser one the level before (as a query coarser than
    // a level does): one pass over millions of slices, not four (seconds on a P lane of 3 M).
    const f = out[out.length - 1];
    if (!f) mergeLane(tl, lane, lo, Infinity, px, emit, 4 * px);
    else mergeRun(0, f.s.length, Infinity, px, f.s, f.e, 0, f, emit, 4 * px);
    out.push({ px, s: Float64Array.from(s), e: Float64Array.from(e), n: Uint32Array.from(n), j: Int32Array.from(j), dur: Float64Array.from(dur) });
  }
  byLane.set(lane, out);
  return out;
}

/**
 * firstViewSteps are the steps of prepareFirstView, one long lane's levels of detail or one
 * counter's block maxima each (0.1–0.5 s apiece on the 100 MB trace): a server runs them one per
 * turn of its event loop, so that a request (the page's meta, its files) is answered between two.
 */
export function firstViewSteps(tl: Timeline): (() => void)[] {
  const steps: (() => void)[] = [];
  tl.lanes.forEach((l, k) => {
    if (l.kind !== 'goroutine' && tl.laneStart[k + 1]! - tl.laneStart[k]! > lodMinSlices) steps.push(() => void lodLevels(tl, k));
  });
  for (const c of tl.counters) steps.push(() => void blockMaxima(c));
  return steps;
}

/**
 * prepareFirstView computes what the page's first view reads (every lane but goroutines' for the
 * whole trace): the levels of detail of its long lanes and the counters' block maxima (0.7 and 0.3 s
 * on the 100 MB trace), all at once (firstViewSteps, run in turn).
 */
export function prepareFirstView(tl: Timeline): void {
  for (const step of firstViewSteps(tl)) step();
}

/** laneBlocks merges the slices of one lane that lie in [t0, t1] to the resolution of `width` pixels. */
export function laneBlocks(tl: Timeline, lane: number, t0: number, t1: number, width: number): LaneBlocks {
  const out: LaneBlocks = { lane, s: [], e: [], k: [], g: [], c: [], i: [], n: [] };
  if (lane < 0 || lane >= tl.lanes.length) return out;
  if (tl.lanes[lane]!.kind === 'goroutine') completeTimeline(tl);
  const px = (t1 - t0) / Math.max(1, width);
  const lo = tl.laneStart[lane]!;
  const hi = tl.laneStart[lane + 1]!;
  let longest = -1;
  const emit = (s: number, e: number, n: number, j: number, dur: number, merge: boolean): void => {
    const last = out.s.length - 1;
    if (merge) {
      out.e[last] = Math.max(out.e[last]!, e);
      out.n[last]! += n;
      if (dur > longest) {
        longest = dur;
        setDominant(tl, out, last, j);
      }
      return;
    }
    out.s.push(s);
    out.e.push(e);
    out.n.push(n);
    out.k.push(0);
    out.g.push(0);
    out.c.push(0);
    out.i.push(0);
    longest = dur;
    setDominant(tl, out, out.s.length - 1, j);
  };
  // The coarsest level of detail still finer than a pixel, when the lane has them.
  // Levels are built only for a query coarse enough to use one: a zoomed-in query on a long lane
  // (the bench's 1 ms view of 41 lanes) paid seconds for levels it then did not read.
  const level = hi - lo > lodMinSlices && px >= lodFinestPx(tl) ? lodLevels(tl, lane).filter((l) => l.px <= px).pop() : undefined;
  if (level) {
    const first = firstEndingAfter((k) => level.e[k]!, 0, level.s.length, t0);
    mergeRun(first, level.s.length, t1, px, level.s, level.e, 0, level, emit);
  } else {
    mergeLane(tl, lane, firstEndingAfter(laneTimes(tl, lane).stop, lo, hi, t0), t1, px, emit);
  }
  return out;
}

function setDominant(tl: Timeline, out: LaneBlocks, b: number, j: number): void {
  const g = sliceGoroutine(tl, j, out.lane);
  out.k[b] = sliceKind(tl, j);
  out.g[b] = g;
  out.c[b] = tl.groupOf.get(g) ?? -1;
  out.i[b] = j;
}

/** CounterPoints is one counter at the page's resolution: at most one point per pixel, each the largest value in its pixel. */
export interface CounterPoints {
  readonly name: string;
  readonly series: readonly string[];
  readonly t: number[];
  /** series.length values per point. */
  readonly v: number[];
}

/** Counters' points are also kept as maxima of blocks of this many points, so that a pixel holding millions of points costs a few steps. */
const counterBlock = 64;
const counterMaxima = new WeakMap<CounterSeries, Float64Array>();

/** blockMaxima is, for each block of counterBlock points, each series' largest value. */
function blockMaxima(c: CounterSeries): Float64Array {
  let m = counterMaxima.get(c);
  if (m) return m;
  const w = c.series.length;
  const n = c.at.length;
  m = new Float64Array(Math.ceil(n / counterBlock) * w);
  const v = c.values;
  // A block and a series at a time, its maximum in a local: 17 M points of the 100 MB trace's
  // goroutine counter in 0.1 s, not 0.3 s with a division and a write back per value.
  for (let b = 0, i = 0; i < n; b++, i += counterBlock) {
    const to = Math.min(n, i + counterBlock) * w;
    for (let k = 0; k < w; k++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let j = i * w + k; j < to; j += w) if (v[j]! > max) max = v[j]!;
      m[b * w + k] = max;
    }
  }
  counterMaxima.set(c, m);
  return m;
}

/** counterPoints reduces every counter to [t0, t1] at `width` pixels (keeping the value in force at t0). */
export function counterPoints(tl: Timeline, t0: number, t1: number, width: number): CounterPoints[] {
  const px = (t1 - t0) / Math.max(1, width);
  return tl.counters.map((c) => {
    const w = c.series.length;
    const out: CounterPoints = { name: c.name, series: c.series, t: [], v: [] };
    const { at } = c;
    const times = tl.events.ts;
    const ts = (j: number): number => times[at[j]!]!;
    const first = Math.max(0, firstEndingAfter(ts, 0, at.length, t0) - 1);
    const last = firstEndingAfter(ts, 0, at.length, t1 + Number.MIN_VALUE);
    if (last - first <= 4 * Math.max(1, width)) {
      let bucket = Number.NaN;
      for (let j = first; j < at.length && ts(j) <= t1; j++) {
        const b = Math.floor((ts(j) - t0) / px);
        if (b === bucket) {
          const at = out.v.length - w;
          for (let k = 0; k < w; k++) out.v[at + k] = Math.max(out.v[at + k]!, c.values[j * w + k]!);
          continue;
        }
        bucket = b;
        out.t.push(Math.max(t0, ts(j)));
        for (let k = 0; k < w; k++) out.v.push(c.values[j * w + k]!);
      }
      return out;
    }
    // Many points a pixel: each pixel's maximum from whole blocks where it can.
    const maxima = blockMaxima(c);
    let i = first;
    for (let b = 0; b < width && i < last; b++) {
      const end = b === width - 1 ? last : Math.min(last, firstEndingAfter(ts, i, last, t0 + (b + 1) * px));
      if (end <= i) continue;
      const max = new Array<number>(w).fill(Number.NEGATIVE_INFINITY);
      let j = i;
      while (j < end) {
        if (j % counterBlock === 0 && j + counterBlock <= end) {
          for (let k = 0; k < w; k++) max[k] = Math.max(max[k]!, maxima[(j / counterBlock) * w + k]!);
          j += counterBlock;
        } else {
          for (let k = 0; k < w; k++) max[k] = Math.max(max[k]!, c.values[j * w + k]!);
          j++;
        }
      }
      out.t.push(Math.max(t0, ts(i)));
      out.v.push(...max);
      i = end;
    }
    return out;
  });
}

/** SelectionStats is what a selected range holds: time per goroutine state, and per goroutine group. */
export interface SelectionStats {
  readonly start: number;
  readonly end: number;
  /** ns summed over goroutines, per state (sliceKindNames), states with none left out. */
  readonly states: { readonly state: string; readonly ns: number }[];
  /** Per group: running time and how many of its goroutines ran, most running first. */
  readonly groups: { readonly name: string; readonly running: number; readonly goroutines: number }[];
  readonly gcCount: number;
  readonly gcNs: number;
}

const spans = new WeakMap<Timeline, Float64Array>();

/** goroutineSpans is, for each goroutine lane (the last lanes), the start of its first slice and the end of its last. */
function goroutineSpans(tl: Timeline): Float64Array {
  let out = spans.get(tl);
  if (out) return out;
  const first = tl.lanes.findIndex((l) => l.kind === 'goroutine');
  const n = first < 0 ? 0 : tl.lanes.length - first;
  out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    out[2 * k] = sliceStart(tl, tl.laneStart[first + k]!);
    out[2 * k + 1] = sliceStop(tl, tl.laneStart[first + k + 1]! - 1);
  }
  spans.set(tl, out);
  return out;
}

/**
 * selectionStats sums the goroutine lanes' slices clipped to [t0, t1]: the timeline's selection, by
 * its slice kinds. `trace range` (range-stats.ts) answers by Go's goroutine-analysis columns instead.
 */
export function selectionStats(tl: Timeline, t0: number, t1: number): SelectionStats {
  completeTimeline(tl);
  const byKind = new Float64Array(sliceKindNames.length);
  const running = new Map<number, { ns: number; goroutines: number }>();
  let gcCount = 0;
  let gcNs = 0;
  const gc = tl.lanes.findIndex((l) => l.kind === 'gc');
  if (gc >= 0) {
    const { start, stop } = laneTimes(tl, gc);
    const hi = tl.laneStart[gc + 1]!;
    for (let j = firstEndingAfter(stop, tl.laneStart[gc]!, hi, t0); j < hi && start(j) <= t1; j++) {
      const d = Math.min(t1, stop(j)) - Math.max(t0, start(j));
      if (d < 0) continue;
      gcCount++;
      gcNs += d;
    }
  }
  // The goroutine lanes, read straight from their events' columns: 280 k lanes on the 100 MB trace,
  // where a closure per lane and per slice cost seconds. Lanes that end before the range or begin
  // after it are passed over by their spans, read in order, not by a search of their events' times.
  const { ev, goroutineEnd, goroutineFrom } = tl;
  const { ts: times, type: types } = tl.events;
  const span = goroutineSpans(tl);
  const firstLane = tl.lanes.length - span.length / 2;
  for (let l = firstLane; l < tl.lanes.length; l++) {
    if (span[(l - firstLane) * 2 + 1]! < t0 || span[(l - firstLane) * 2]! > t1) continue;
    const lane = tl.lanes[l]!;
    let lo = tl.laneStart[l]! - goroutineFrom;
    const hi = tl.laneStart[l + 1]! - goroutineFrom;
    // The first slice ending at or after t0 (ends ascend within a lane).
    for (let h = hi; lo < h; ) {
      const mid = (lo + h) >>> 1;
      if (times[goroutineEnd[mid]!]! < t0) lo = mid + 1;
      else h = mid;
    }
    let ran = 0;
    for (let k = lo; k < hi; k++) {
      const e = ev[k + goroutineFrom]!;
      const s = times[e]!;
      if (s > t1) break;
      const d = Math.min(t1, times[goroutineEnd[k]!]!) - Math.max(t0, s);
      if (d < 0) continue;
      const kind = goroutineSliceKind[types[e]!]!;
      byKind[kind]! += d;
      if (kind === SliceKind.Running) ran += d;
    }
    if (ran > 0) {
      const c = tl.groupOf.get(lane.id) ?? -1;
      const r = running.get(c) ?? { ns: 0, goroutines: 0 };
      r.ns += ran;
      r.goroutines++;
      running.set(c, r);
    }
  }
  return {
    start: t0,
    end: t1,
    states: [...byKind].map((ns, k) => ({ state: sliceKindNames[k]!, ns })).filter((r) => r.ns > 0),
    groups: [...running]
      .map(([c, r]) => ({ name: tl.groups[c] ?? '', running: r.ns, goroutines: r.goroutines }))
      .sort((a, b) => b.running - a.running || (a.name < b.name ? -1 : 1)),
    gcCount,
    gcNs,
  };
}

/** EventRef is one event as the details show it. */
export interface EventRef {
  readonly index: number;
  readonly type: string;
  readonly ts: number;
  readonly g: number;
  readonly p: number;
  readonly stack: Frame[];
}

/** SliceDetail is one slice: where it is, its goroutine, and how the goroutine got there. */
export interface SliceDetail {
  readonly index: number;
  readonly lane: number;
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly g: number;
  readonly group: string;
  /** The stack the goroutine started with (its start function). */
  readonly startStack: Frame[];
  /** The event that began the slice (a GoStart, a blocking event, a GC start). */
  readonly began?: EventRef;
  /** The event that ended it (where the goroutine blocked, the unblock of a wait). */
  readonly ended?: EventRef;
  /** What made the goroutine runnable: the unblock, create, syscall return or yield before this slice. */
  readonly wokenBy?: EventRef;
}

function eventRef(t: Trace, i: number): EventRef | undefined {
  if (i < 0 || i >= t.events.length) return undefined;
  const ev = t.events;
  const p = ev.p[i]!;
  return { index: i, type: eventDescriptions[ev.type[i]!]?.name ?? 'unknown', ts: ev.ts[i]!, g: ev.g[i]!, p: p >= SpecialP.FakeP ? -1 : p, stack: stackFrames(t, ev.stack[i]!) };
}

/** linkingTo finds the event that links to event e (its cause), searching back from e. */
function linkingTo(t: Trace, e: number): number {
  const link = t.events.link;
  for (let i = e - 1; i >= 0; i--) if (link[i] === e) return i;
  return -1;
}

const wakers: ReadonlySet<number> = new Set([EventType.GoUnblock, EventType.GoCreate, EventType.GoSysExit, EventType.GoSched, EventType.GoPreempt]);

/** sliceDetail describes slice j of the timeline; undefined when there is none. */
export function sliceDetail(t: Trace, tl: Timeline, j: number, laneOfGoroutine: (g: number) => number | undefined): SliceDetail | undefined {
  if (!Number.isInteger(j) || j < 0 || j >= sliceCount(tl)) return undefined;
  completeTimeline(tl);
  const lane = laneOfSlice(tl, j);
  const g = sliceGoroutine(tl, j, lane);
  const kind = sliceKind(tl, j);
  const began = tl.ev[j]!;
  const ev = t.events;
  const beganType = began >= 0 ? ev.type[began]! : -1;
  // The event that ended the slice: the link of a run or a wait.
  const ended = began >= 0 ? ev.link[began]! : -1;
  let waker = -1;
  if (beganType === EventType.GoStart || beganType === EventType.GoStartLabel) waker = linkingTo(t, began);
  else if (kind === SliceKind.Runnable && wakers.has(beganType)) waker = began;
  else if (kind === SliceKind.Instant && beganType === EventType.GoUnblock) waker = began;
  else if (kind !== SliceKind.Running && ended >= 0 && ev.type[ended] === EventType.GoUnblock) waker = ended;
  // The start stack: the stack of the goroutine's first run (a GoStart carries its creation stack).
  let startStack: Frame[] = [];
  const gl = g > 0 ? laneOfGoroutine(g) : undefined;
  if (gl !== undefined) {
    for (let k = tl.laneStart[gl]!; k < tl.laneStart[gl + 1]!; k++) {
      const e = tl.ev[k]!;
      if (sliceKind(tl, k) === SliceKind.Running && e >= 0 && ev.stack[e]! > 0) {
        startStack = stackFrames(t, ev.stack[e]!);
        break;
      }
    }
  }
  const beganRef = eventRef(t, began);
  const endedRef = eventRef(t, ended);
  const wokenRef = eventRef(t, waker);
  return {
    index: j,
    lane,
    kind: sliceKindNames[kind] ?? 'unknown',
    start: sliceStart(tl, j),
    end: sliceStop(tl, j),
    g,
    group: tl.groups[tl.groupOf.get(g) ?? -1] ?? '',
    startStack,
    ...(beganRef && { began: beganRef }),
    ...(endedRef && { ended: endedRef }),
    ...(wokenRef && { wokenBy: wokenRef }),
  };
}
