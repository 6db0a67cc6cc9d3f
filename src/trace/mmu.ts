// Minimum mutator utilization (MMU): for a window size w, the lowest share of time the program
// (not the GC) ran in any window of length w in the trace, and the windows where that happens — go
// tool trace's /mmu page (Go 1.19 internal/trace/gc.go: NewMMUCurve, MMU, Examples; the plot of
// cmd/trace/mmu.go). Written from Go's algorithm so that the numbers are Go's to the last bit:
//
// Each utilization series is cut into at most 1000 equal bands. For a window size, every band gets
// a lower bound of the utilization of any window starting in it (from the bands' minima and the
// exact sums of the bands fully covered); bands are then refined exactly, lowest bound first, until
// no remaining band's bound can beat what was found. Refining a band slides the window from one
// change of utilization (under either edge) to the next, since the windowed mean is piecewise
// linear and its minimum lies on such a point.

import { GoHeap } from './go-heap.js';
import type { UtilSeries } from './mutator-utilization.js';

export { MutatorUtilizationError, UtilFlags, defaultUtilFlags, mutatorUtilization, utilFlagsFromNames, type UtilFlagName, type UtilSeries } from './mutator-utilization.js';

/** UtilWindow is one window of the trace: it starts at `time` (ns) and the program ran `mutatorUtil` of it. */
export interface UtilWindow {
  readonly time: number;
  readonly mutatorUtil: number;
}

/** bandsPerSeries is Go's number of bands per series. */
const bandsPerSeries = 1000;

/** Integrator walks a series forwards, returning the integral of utilization (ns) up to a time. */
class Integrator {
  constructor(
    private readonly s: Series,
    /** pos is the index of the last change at or before the time last asked for. */
    public pos: number,
  ) {}

  clone(): Integrator {
    return new Integrator(this.s, this.pos);
  }

  /** advance returns the integral from the series' start to `time`; times must not decrease. */
  advance(time: number): number {
    const { time: times, util } = this.s.util;
    let pos = this.pos;
    const near = 8;
    if (pos + near < times.length && times[pos + near]! > time) {
      while (pos + 1 < times.length && times[pos + 1]! <= time) pos++;
    } else {
      // Far away: binary search for the first change after `time`.
      let l = pos;
      let r = times.length;
      while (l < r) {
        const h = (l + r) >>> 1;
        if (times[h]! <= time) l = h + 1;
        else r = h;
      }
      pos = l - 1;
    }
    this.pos = pos;
    const partial = time !== times[pos]! ? util[pos]! * (time - times[pos]!) : 0;
    return this.s.sums[pos]! + partial;
  }

  /** next returns the time of the first change after `time` (Infinity when none). */
  next(time: number): number {
    const times = this.s.util.time;
    for (let k = this.pos; k < times.length; k++) if (times[k]! > time) return times[k]!;
    return Infinity;
  }
}

interface Band {
  /** The lowest instantaneous utilization in the band. */
  readonly minUtil: number;
  /** The integral of utilization from the series' start to the band's left edge. */
  readonly cumUtil: number;
  /** An integrator positioned at the band's left edge. */
  readonly integrator: Integrator;
}

interface Series {
  readonly util: UtilSeries;
  /** sums[k]: the integral of utilization from the start to util.time[k]. */
  readonly sums: number[];
  readonly bands: Band[];
  readonly bandDur: number;
}

interface BandBound {
  readonly series: number;
  readonly band: number;
  /** No window starting in this band has a lower mean utilization. */
  readonly utilBound: number;
}

/** Accumulator collects the minimum and the n worst disjoint windows, as Go's accumulator (without the MUD). */
class Accumulator {
  mmu = 1;
  bound = 1;
  readonly worst: GoHeap<UtilWindow>;

  constructor(readonly nWorst: number) {
    // The heap's top is the least bad of the worst windows kept.
    this.worst = new GoHeap<UtilWindow>((a, b) => (a.mutatorUtil !== b.mutatorUtil ? a.mutatorUtil > b.mutatorUtil : a.time > b.time));
  }

  /** add takes the window at `time` with mean `mu`; true when no later window can change the answer. */
  add(time: number, mu: number, window: number): boolean {
    if (mu < this.mmu) this.mmu = mu;
    this.bound = this.mmu;
    if (this.nWorst === 0) return mu === 0;
    const heap = this.worst.items;
    if (heap.length < this.nWorst || mu < heap[0]!.mutatorUtil) {
      // Windows overlapping this one: keep whichever is lower (the first kept on a tie).
      let keep = false;
      for (let k = 0; k < heap.length; k++) {
        const w = heap[k]!;
        if (time + window > w.time && w.time + window > time) {
          if (w.mutatorUtil <= mu) keep = true;
          else this.worst.remove(k);
          break;
        }
      }
      if (!keep) {
        this.worst.push({ time, mutatorUtil: mu });
        if (heap.length > this.nWorst) this.worst.pop();
      }
    }
    this.bound = heap.length < this.nWorst ? 1 : Math.max(this.bound, heap[0]!.mutatorUtil);
    return heap.length === this.nWorst && heap[0]!.mutatorUtil === 0;
  }
}

function newSeries(util: UtilSeries): Series {
  const { time, util: u } = util;
  const sums: number[] = new Array<number>(time.length);
  let prevTime = 0;
  let prevUtil = 0;
  let sum = 0;
  for (let k = 0; k < time.length; k++) {
    sum += prevUtil * (time[k]! - prevTime);
    sums[k] = sum;
    prevTime = time[k]!;
    prevUtil = u[k]!;
  }
  const numBands = Math.min(bandsPerSeries, time.length);
  const dur = time[time.length - 1]! - time[0]!;
  const bandDur = Math.max(1, Math.floor((dur + numBands - 1) / numBands));
  const bands: Band[] = [];
  const s: Series = { util, sums, bands, bandDur };
  const left = new Integrator(s, 0);
  for (let b = 0; b <= numBands; b++) {
    const [start, end] = bandTime(s, b);
    const cumUtil = left.advance(start);
    let minUtil = 1;
    for (let k = left.pos; k < time.length && time[k]! < end; k++) minUtil = Math.min(minUtil, u[k]!);
    bands.push({ minUtil, cumUtil, integrator: left.clone() });
  }
  return s;
}

function bandTime(s: Series, b: number): [number, number] {
  const start = b * s.bandDur + s.util.time[0]!;
  return [start, start + s.bandDur];
}

/** bandBounds gives every band of series `si` the lowest utilization a window starting in it could have. */
function bandBounds(s: Series, si: number, window: number): BandBound[] {
  // A window spans at least minBands bands and, badly aligned, at most maxBands.
  const minBands = Math.floor((window + s.bandDur - 1) / s.bandDur);
  const maxBands = Math.floor((window + 2 * (s.bandDur - 1)) / s.bandDur);
  const tailDur = window % s.bandDur;
  const n = Math.max(0, s.bands.length - maxBands + 1);
  const out: BandBound[] = [];
  for (let b = 0; b < n; b++) {
    // The partly covered bands at both ends count at their minimum: the worst window sits on the
    // lowest for a whole band, then on the second lowest for the rest.
    const l = s.bands[b]!.minUtil;
    const r1 = s.bands[b + minBands - 1]!.minUtil;
    const r2 = s.bands[b + maxBands - 1]!.minUtil;
    const minBand = Math.min(l, Math.min(r1, r2));
    let util = 0;
    if (minBands === 1) util += minBand * window;
    else {
      util += minBand * s.bandDur;
      const midBand = minBand === l ? Math.min(r1, r2) : minBand === r1 ? Math.min(l, r2) : Math.min(l, r1);
      util += midBand * tailDur;
    }
    // Bands every such window covers whole count exactly.
    if (minBands > 2) util += s.bands[b + minBands - 1]!.cumUtil - s.bands[b + 1]!.cumUtil;
    out.push({ series: si, band: b, utilBound: util / window });
  }
  return out;
}

/** refineBand finds the exact utilization of the windows starting in one band, feeding `acc`. */
function refineBand(s: Series, band: number, window: number, acc: Accumulator): void {
  const times = s.util.time;
  const left = s.bands[band]!.integrator.clone();
  const right = left.clone();
  let [time, endTime] = bandTime(s, band);
  endTime = Math.min(endTime, times[times.length - 1]! - window);
  for (;;) {
    const mu = (right.advance(time + window) - left.advance(time)) / window;
    if (acc.add(time, mu, window)) break;
    if (time === endTime) break;
    // The windowed mean changes by at most 1/window per ns: windows closer than this stay above the bound.
    const minTime = time + Math.trunc((mu - acc.bound) * window);
    const t1 = left.next(time);
    const t2 = right.next(time + window) - window;
    time = t1 < t2 ? t1 : t2;
    if (time < minTime) time = minTime;
    if (time >= endTime) time = endTime;
  }
}

/** MMUCurve answers MMU questions about utilization series (mutatorUtilization's). */
export class MMUCurve {
  private readonly series: Series[];

  constructor(utils: readonly UtilSeries[]) {
    // A series of a single instant (a P added and removed at once) has no window; Go would fail on it.
    this.series = utils.filter((u) => u.time.length > 0 && u.time[u.time.length - 1]! > u.time[0]!).map(newSeries);
  }

  /** mmu returns the minimum mutator utilization over all windows of `window` ns, in [0, 1]. */
  mmu(window: number): number {
    return this.run(window, new Accumulator(0)).mmu;
  }

  /**
   * worstWindows returns up to n disjoint windows of `window` ns with the lowest utilization, lowest
   * first (ties: earliest first) — what Go's Examples returns (/mmuDetails asks for 10).
   */
  worstWindows(window: number, n: number): UtilWindow[] {
    const acc = this.run(window, new Accumulator(n));
    return [...acc.worst.items].sort((a, b) => (a.mutatorUtil !== b.mutatorUtil ? a.mutatorUtil - b.mutatorUtil : a.time - b.time));
  }

  /** span returns the first and last time of the series (undefined when there are none). */
  span(): { start: number; end: number } | undefined {
    if (this.series.length === 0) return undefined;
    let start = Infinity;
    let end = -Infinity;
    for (const s of this.series) {
      start = Math.min(start, s.util.time[0]!);
      end = Math.max(end, s.util.time[s.util.time.length - 1]!);
    }
    return { start, end };
  }

  private run(window: number, acc: Accumulator): Accumulator {
    if (!(window > 0)) {
      acc.mmu = 0;
      return acc;
    }
    const windows: number[] = [];
    const bounds: BandBound[] = [];
    this.series.forEach((s, si) => {
      const times = s.util.time;
      windows.push(Math.min(window, times[times.length - 1]! - times[0]!));
      for (const b of bandBounds(s, si, windows[si]!)) bounds.push(b);
    });
    const heap = new GoHeap<BandBound>((a, b) => a.utilBound < b.utilBound, bounds);
    // Lowest bound first, while a band could still hold a window below what was found.
    while (heap.length > 0 && heap.items[0]!.utilBound < acc.bound) {
      const top = heap.items[0]!;
      refineBand(this.series[top.series]!, top.band, windows[top.series]!, acc);
      heap.pop();
    }
    return acc;
  }
}

/** MMUPlot is go tool trace's /mmuPlot answer: the MMU at 100 log-spaced window sizes (ns). */
export interface MMUPlot {
  readonly xMin: number;
  readonly xMax: number;
  /** [window ns, MMU] pairs, windows increasing. */
  readonly curve: [number, number][];
}

/**
 * mmuPlot samples the curve as Go's /mmuPlot does: the smallest window is the largest of 1 s,
 * 1 ms, 1 µs, 1 ns whose MMU is still at least 0.0001 (or 1 ns), the largest a million times that
 * but at most the trace's length; 100 sizes evenly spaced in log between them, truncated to ns.
 */
export function mmuPlot(curve: MMUCurve, samples = 100): MMUPlot {
  const span = curve.span();
  if (span === undefined) return { xMin: 0, xMax: 0, curve: [] };
  let xMin = 1e9;
  while (xMin > 1) {
    if (curve.mmu(xMin) < 0.0001) break;
    xMin = Math.floor(xMin / 1000);
  }
  const xMax = Math.min(xMin * 1e6, span.end - span.start);
  const logMin = Math.log(xMin);
  const logMax = Math.log(xMax);
  const points: [number, number][] = [];
  for (let i = 0; i < samples; i++) {
    const window = Math.trunc(Math.exp((i / (samples - 1)) * (logMax - logMin) + logMin));
    points.push([window, curve.mmu(window)]);
  }
  return { xMin, xMax, curve: points };
}
