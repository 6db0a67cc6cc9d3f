// The goroutine analysis's result as rows of numbers (goroutine-stats.ts fills them), read as a
// map from goroutine id to GoroutineStat. A large trace has hundreds of thousands of goroutines:
// made all at once, their objects outlive V8's young generation, are copied and promoted, and
// their numbers boxed one by one (on the 100 MB trace ~1 s). Made when asked for, by a view that
// sums them up and drops them, they die young at almost no cost.

import type { GoroutineStat, RegionStat } from './goroutine-stats.js';
import type { Trace } from './model.js';

// A goroutine is a row of rowWidth numbers in one Float64Array. During the pass the fields one
// event touches (a wait that ends and the column it ends in) share a cache line. A `…Since` field
// is when the goroutine's pending run or wait began (0: none, as in Go's gdesc).
export const runSince = 0;
export const schedSince = 1;
export const execCol = 2;
export const schedCol = 3;
export const syncSince = 4;
export const syncCol = 5;
export const netSince = 6;
export const netCol = 7;
export const syscallSince = 8;
export const syscallCol = 9;
export const sweepSince = 10;
export const sweepCol = 11;
export const pcCol = 12;
export const startCol = 13;
export const creationCol = 14;
export const endCol = 15;
export const gcCol = 16;
export const totalCol = 17;
/** The start function's index in Trace.strings; -1 until the goroutine starts. */
export const nameCol = 18;
/**
 * 1 once a finalize found a non-zero life (end − creation): from then on totalTime stays. Go
 * tests totalTime === 0 instead, which a window could make 0 for a goroutine that ended.
 */
export const lifeKnownCol = 19;
export const rowWidth = 20;

/** rowName is a row's start function ("" before it started). */
export function rowName(t: Trace, rows: Float64Array, k: number): string {
  const fn = rows[k * rowWidth + nameCol]!;
  return fn < 0 ? '' : t.strings[fn]!;
}

/**
 * GoroutineStatTable is every goroutine's statistics, keyed by id, in creation order. Each read
 * makes a new GoroutineStat (fresh objects: changing one changes nothing else).
 */
export class GoroutineStatTable implements ReadonlyMap<number, GoroutineStat> {
  /**
   * @param rows the goroutines' rows, in creation order
   * @param ids each row's goroutine id
   * @param rowOf the row of an id (the last created with it), -1 for none
   * @param listed the rows whose place the map keeps: a later goroutine with the same id (only a
   *   damaged trace has one) takes the first one's place, as Map.set does; undefined: all rows
   * @param regions per row, its regions in order (absent: none)
   */
  constructor(
    private readonly t: Trace,
    private readonly rows: Float64Array,
    private readonly ids: Float64Array,
    private readonly rowOf: (id: number) => number,
    private readonly listed: Int32Array | undefined,
    private readonly regions: readonly (RegionStat[] | undefined)[],
  ) {}

  get size(): number {
    return this.listed?.length ?? this.ids.length;
  }

  get(id: number): GoroutineStat | undefined {
    const k = this.rowOf(id);
    return k < 0 ? undefined : this.stat(k);
  }

  has(id: number): boolean {
    return this.rowOf(id) >= 0;
  }

  *keys(): MapIterator<number> {
    for (let j = 0; j < this.size; j++) yield this.ids[this.listed?.[j] ?? j]!;
  }

  *values(): MapIterator<GoroutineStat> {
    for (let j = 0; j < this.size; j++) yield this.stat(this.valueRow(j));
  }

  *entries(): MapIterator<[number, GoroutineStat]> {
    for (let j = 0; j < this.size; j++) {
      const k = this.valueRow(j);
      yield [this.ids[k]!, this.stat(k)];
    }
  }

  [Symbol.iterator](): MapIterator<[number, GoroutineStat]> {
    return this.entries();
  }

  forEach(f: (value: GoroutineStat, key: number, map: ReadonlyMap<number, GoroutineStat>) => void, thisArg?: unknown): void {
    for (const [id, g] of this.entries()) f.call(thisArg, g, id, this);
  }

  /** valueRow is the row whose numbers the j-th entry holds. */
  private valueRow(j: number): number {
    return this.listed === undefined ? j : this.rowOf(this.ids[this.listed[j]!]!);
  }

  private stat(k: number): GoroutineStat {
    const s = this.rows;
    const b = k * rowWidth;
    return {
      id: this.ids[k]!,
      name: rowName(this.t, s, k),
      pc: s[b + pcCol]!,
      creationTime: s[b + creationCol]!,
      startTime: s[b + startCol]!,
      endTime: s[b + endCol]!,
      regions: this.regions[k]?.slice() ?? [],
      execTime: s[b + execCol]!,
      schedWaitTime: s[b + schedCol]!,
      ioTime: s[b + netCol]!,
      blockTime: s[b + syncCol]!,
      syscallTime: s[b + syscallCol]!,
      gcTime: s[b + gcCol]!,
      sweepTime: s[b + sweepCol]!,
      totalTime: s[b + totalCol]!,
    };
  }
}
