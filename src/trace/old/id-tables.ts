// Tables keyed by goroutine and P ids, for the passes that look one up at every event. Go's ids
// are small and dense (goroutines are numbered from 1, Ps from 0, the special Ps just above a
// million), so they index arrays; any other key (a crafted trace's) goes to a Map. A V8 Map costs
// tens of nanoseconds per lookup, an array index a few, and the passes do several per event.

/** Keys below this index the arrays (8 bytes each: 128 MB at most, only for traces that use them). */
const denseLimit = 1 << 24;

function isDense(id: number): boolean {
  return id >= 0 && id < denseLimit && Number.isInteger(id);
}

/** NumberTable maps ids to numbers; an id never set reads as 0. */
export class NumberTable {
  private dense = new Float64Array(1024);
  private readonly sparse = new Map<number, number>();

  get(id: number): number {
    if (id >= 0 && id < this.dense.length) return this.dense[id]!;
    return isDense(id) ? 0 : (this.sparse.get(id) ?? 0);
  }

  set(id: number, v: number): void {
    // Ids come from varints, so they are whole numbers: a bounds check is enough here.
    if (id >= 0 && id < this.dense.length) {
      this.dense[id] = v;
      return;
    }
    if (!isDense(id)) {
      this.sparse.set(id, v);
      return;
    }
    if (id >= this.dense.length) {
      const next = new Float64Array(Math.min(denseLimit, Math.max(id + 1, this.dense.length * 2)));
      next.set(this.dense);
      this.dense = next;
    }
    this.dense[id] = v;
  }
}

/**
 * ObjectTable maps ids to objects of one class; an id never set reads as undefined. The array
 * grows only by ids near its end (goroutine ids come nearly in order); an id far past it (the
 * special Ps, a million up) goes to the Map, and is looked for there while the array does not
 * hold it.
 */
export class ObjectTable<T extends object> {
  // Filled without holes, so that V8 keeps it a fast array.
  private readonly dense: (T | undefined)[] = [];
  private readonly sparse = new Map<number, T>();

  get(id: number): T | undefined {
    if (id >= 0 && id < this.dense.length) {
      const v = this.dense[id];
      if (v !== undefined || this.sparse.size === 0) return v;
    }
    return this.sparse.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, v: T): void {
    const d = this.dense;
    if (id >= 0 && id < d.length) {
      d[id] = v;
      return;
    }
    if (!isDense(id) || id > d.length + gapLimit) {
      this.sparse.set(id, v);
      return;
    }
    while (d.length < id) d.push(undefined);
    d[id] = v;
  }
}

/** How many unused slots ObjectTable's array may grow by at once. */
const gapLimit = 1 << 16;
