// Grouping a goroutine dump the way panicparse does (issue 19.3): goroutines with identical frames
// (function, file, line, in order) and the same state fall in one bucket. Arguments are not
// compared unless asked: two workers parked at the same line with different pointers are the same
// leak. A depth compares only the top frames.
// Buckets come largest first; comparing two dumps says which buckets grew and which are new.

import { growing } from '../report/trend.js';
import type { Goroutine, GoroutineDump } from './goroutine-text.js';

/** Bucket is a set of goroutines with the same stack and state. */
export interface Bucket {
  readonly count: number;
  readonly state: string;
  /** Shortest and longest wait in minutes (0 when the runtime printed none). */
  readonly waitMin: number;
  readonly waitMax: number;
  readonly locked: number;
  /** The creators' function names, distinct, in order of first sight. */
  readonly createdBy: readonly string[];
  /** The goroutine ids, as read. */
  readonly goids: readonly number[];
  /** The frames compared, leaf first; with `args` only when arguments are compared too. */
  readonly frames: readonly { readonly func: string; readonly file: string; readonly line: number; readonly args?: string }[];
  readonly elided: boolean;
  /** With a depth: how many of the goroutines had frames below the ones compared. */
  readonly deeper?: number;
}

/**
 * Grouping loosens or tightens what makes goroutines alike. By default arguments are ignored and
 * every frame counts; `exactArgs` keeps goroutines with different arguments apart (panicparse's
 * exact similarity); `depth` compares only the top N frames (nearest the leaf), so stacks that
 * differ only deeper down (the same wait reached from different callers) fall in one bucket.
 */
export interface Grouping {
  readonly exactArgs?: boolean;
  readonly depth?: number;
}

/** compared is the part of a goroutine that grouping looks at. */
function compared(g: Goroutine, o: Grouping): Pick<Bucket, 'state' | 'elided' | 'frames'> & { cut: boolean } {
  const cut = o.depth !== undefined && (g.frames.length > o.depth || g.elided);
  const frames = (o.depth === undefined ? g.frames : g.frames.slice(0, o.depth)).map(({ func, file, line, args }) => (o.exactArgs ? { func, file, line, args } : { func, file, line }));
  return { state: g.state, elided: o.depth === undefined && g.elided, frames, cut };
}

/** bucketKey is what makes two goroutines (or a goroutine and a bucket) alike: state and frames. */
function bucketKey(g: Pick<Bucket, 'state' | 'elided' | 'frames'>): string {
  return `${g.state}\n${g.elided ? 1 : 0}\n${g.frames.map((f) => `${f.func}\t${f.file}\t${f.line}${f.args === undefined ? '' : `\t${f.args}`}`).join('\n')}`;
}

/** bucketize groups a dump's goroutines, largest bucket first (ties: in the order first seen). */
export function bucketize(goroutines: readonly Goroutine[], o: Grouping = {}): Bucket[] {
  const byKey = new Map<string, { view: ReturnType<typeof compared>; goroutines: Goroutine[]; deeper: number }>();
  // The reader shares one frames array among goroutines with the same stack: what grouping
  // compares of a stack is worked out once per array, not once per goroutine.
  const views = new Map<Goroutine['frames'], Map<string, { view: ReturnType<typeof compared>; key: string }>>();
  for (const g of goroutines) {
    let byState = views.get(g.frames);
    if (!byState) views.set(g.frames, (byState = new Map()));
    const at = `${g.state}\n${g.elided ? 1 : 0}`;
    let seen = byState.get(at);
    if (!seen) {
      const view = compared(g, o);
      byState.set(at, (seen = { view, key: bucketKey(view) }));
    }
    const { view, key: k } = seen;
    let b = byKey.get(k);
    if (!b) byKey.set(k, (b = { view, goroutines: [], deeper: 0 }));
    b.goroutines.push(g);
    if (view.cut) b.deeper++;
  }
  const buckets = [...byKey.values()].map(({ view, goroutines: gs, deeper }): Bucket => {
    // A loop, not Math.min(...waits): spreading a leak's 150,000 goroutines overflows the call stack.
    let waitMin = Infinity;
    let waitMax = -Infinity;
    for (const g of gs) {
      waitMin = Math.min(waitMin, g.waitMinutes);
      waitMax = Math.max(waitMax, g.waitMinutes);
    }
    return {
      count: gs.length,
      state: view.state,
      waitMin,
      waitMax,
      locked: gs.filter((g) => g.locked).length,
      createdBy: [...new Set(gs.flatMap((g) => (g.createdBy ? [g.createdBy.func] : [])))],
      goids: gs.map((g) => g.id),
      frames: view.frames,
      elided: view.elided,
      ...(o.depth !== undefined && { deeper }),
    };
  });
  // Array.prototype.sort is stable: equal counts keep the order they were first seen in.
  return buckets.sort((a, b) => b.count - a.count);
}

/** Growth is one bucket of the newer dump measured against the older one. */
export interface Growth {
  readonly bucket: Bucket;
  /** Goroutines in the same bucket of the older dump (0 when the bucket is new). */
  readonly before: number;
  readonly isNew: boolean;
}

/** compareBuckets lists the newer dump's buckets that grew or are new, most growth first. */
export function compareBuckets(older: readonly Bucket[], newer: readonly Bucket[]): Growth[] {
  const key = bucketKey;
  const before = new Map(older.map((b) => [key(b), b.count]));
  return newer
    .map((b) => ({ bucket: b, before: before.get(key(b)) ?? 0, isNew: !before.has(key(b)) }))
    .filter((g) => g.bucket.count > g.before)
    .sort((a, b) => b.bucket.count - b.before - (a.bucket.count - a.before));
}

/** splitCrash sets apart a crash's panicking goroutine (the first the runtime prints after `panic:`) from the goroutines to bucket. */
export function splitCrash(d: GoroutineDump): { readonly panicking?: Goroutine; readonly rest: readonly Goroutine[] } {
  if (d.crash === undefined || d.goroutines.length === 0) return { rest: d.goroutines };
  return { panicking: d.goroutines[0]!, rest: d.goroutines.slice(1) };
}

/** SeriesGrowth is a bucket of the newest dump that grew at every step of a series. */
export interface SeriesGrowth {
  readonly bucket: Bucket;
  /** Its goroutines in each dump, oldest first (0 where the bucket was absent). */
  readonly counts: readonly number[];
  readonly growth: number;
  /** Goroutines per hour from the first dump's time to the last's; null when the times are unknown or equal. */
  readonly perHour: number | null;
}

/**
 * seriesGrowth lists the buckets that grow at every step of a series of dumps (given oldest first,
 * with their times in milliseconds), most growth first — a leak's signature, as `trend` finds it
 * for profiles, whose `growing` decides here too.
 */
export function seriesGrowth(series: readonly (readonly Bucket[])[], timesMs: readonly (number | undefined)[]): SeriesGrowth[] {
  const newest = new Map(series[series.length - 1]!.map((b) => [bucketKey(b), b]));
  const first = timesMs[0];
  const last = timesMs[timesMs.length - 1];
  const hours = first !== undefined && last !== undefined ? (last - first) / 3.6e6 : 0;
  return growing(series.map((buckets) => new Map(buckets.map((b) => [bucketKey(b), b.count]))))
    .map((g) => ({ bucket: newest.get(g.name)!, counts: g.values, growth: g.growth, perHour: hours > 0 ? g.growth / hours : null }))
    .sort((a, b) => b.growth - a.growth);
}
