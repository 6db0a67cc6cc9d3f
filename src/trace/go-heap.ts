// A binary min-heap that moves its elements exactly as Go's container/heap does (Init, Push, Pop,
// Remove). The MMU's worst-window search (src/trace/mmu.ts) scans the heap's array in order and
// refines bands in the order the heap yields them, so which windows it reports on ties depends on
// that array's layout: an ordinary heap would be correct but disagree with go tool trace.

/** GoHeap is an array kept in container/heap order under `less`. */
export class GoHeap<T> {
  /** items is the heap's array, in container/heap's layout; callers may read it, not write it. */
  readonly items: T[];

  constructor(
    private readonly less: (a: T, b: T) => boolean,
    items: T[] = [],
  ) {
    this.items = items;
    // heap.Init: sift down every parent, last first.
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i, items.length);
  }

  get length(): number {
    return this.items.length;
  }

  /** push adds x (heap.Push). */
  push(x: T): void {
    this.items.push(x);
    this.up(this.items.length - 1);
  }

  /** pop removes and returns the least element (heap.Pop). */
  pop(): T | undefined {
    const n = this.items.length - 1;
    if (n < 0) return undefined;
    this.swap(0, n);
    this.down(0, n);
    return this.items.pop();
  }

  /** remove removes and returns the element at index i (heap.Remove). */
  remove(i: number): T | undefined {
    const n = this.items.length - 1;
    if (n !== i) {
      this.swap(i, n);
      if (!this.down(i, n)) this.up(i);
    }
    return this.items.pop();
  }

  private swap(i: number, j: number): void {
    const a = this.items;
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }

  private up(j: number): void {
    const a = this.items;
    for (;;) {
      const parent = (j - 1) >> 1;
      if (parent === j || j <= 0 || !this.less(a[j]!, a[parent]!)) break;
      this.swap(parent, j);
      j = parent;
    }
  }

  /** down sifts element i0 down within the first n; true when it moved. */
  private down(i0: number, n: number): boolean {
    const a = this.items;
    let i = i0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      let j = left;
      if (left + 1 < n && this.less(a[left + 1]!, a[left]!)) j = left + 1;
      if (!this.less(a[j]!, a[i]!)) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }
}
