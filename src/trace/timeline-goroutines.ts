// The state of every goroutine while the timeline walks the events (timeline.ts): what it is
// doing, since when, the event that began it and its lane, in typed arrays indexed by goroutine.
// A goroutine changes state at most events, so this is read and written some 20 M times on a
// 100 MB trace: a Map of records per goroutine (and a second Map for its lane) cost seconds there.
//
// Go numbers goroutines from 1 and never reuses an id: an id below 2^21 is its own slot. Any other
// id (hostile, or a long-running service's goroutines once it has made 2 M of them) gets a slot
// above those from a Map: exact, as slow as the Map of records was, and memory stays bounded by
// the ids seen, not by their values.

/** Ids below this are their own slot. */
const direct = 1 << 21;

export class GoroutineStates {
  /** Per slot: the state's SliceKind + 1 (0: no state now). */
  kind = new Uint8Array(0);
  since = new Float64Array(0);
  ev = new Int32Array(0);
  /** Per slot: the goroutine's (provisional) lane + 1 (0: none yet). */
  lane = new Int32Array(0);
  /** Per slot: how many slices its lane gets (counted in the event pass, written by a second one). */
  slices = new Uint32Array(0);
  /** Per slot: the goroutine's group + 1 (0: none yet); a typed array, not a Map written at every GoStart. */
  group = new Int32Array(0);
  private readonly far = new Map<number, number>();
  private readonly farIds: number[] = [];
  /** One past the highest slot used. */
  used = 0;

  /**
   * slots: how many to make room for at first (more are made as needed). Pages of slots never
   * used are never touched; growing from 1,024 to the 280 k goroutines of the 100 MB trace copied
   * and first-touched 26 MB more (~0.05 s).
   */
  constructor(slots = 1024) {
    this.grow(Math.min(direct, Math.max(1024, Math.ceil(slots))));
  }

  /** slot is g's slot, made when new. */
  slot(g: number): number {
    let s: number;
    if (g >= 0 && g < direct && Number.isInteger(g)) s = g;
    else {
      const hit = this.far.get(g);
      if (hit !== undefined) return hit;
      s = direct + this.farIds.length;
      this.far.set(g, s);
      this.farIds.push(g);
    }
    if (s >= this.kind.length) this.grow(s + 1);
    if (s >= this.used) this.used = s + 1;
    return s;
  }

  /** find is g's slot, -1 when g was never seen (nothing is made). */
  find(g: number): number {
    if (g >= 0 && g < direct && Number.isInteger(g)) return g < this.used ? g : -1;
    return this.far.get(g) ?? -1;
  }

  /** groupOf is the group of goroutine g (group - 1 of its slot), undefined when it has none. */
  groupOf(g: number): number | undefined {
    const s = this.find(g);
    const k = s < 0 ? 0 : this.group[s]!;
    return k > 0 ? k - 1 : undefined;
  }

  /** id is the goroutine of slot s. */
  id(s: number): number {
    return s < direct ? s : this.farIds[s - direct]!;
  }

  /** grow makes room for min slots at least, twice the slots there were at least. */
  private grow(min: number): void {
    const size = Math.max(min, this.kind.length * 2);
    const more = <T extends Uint8Array | Float64Array | Int32Array | Uint32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.kind = more(this.kind, new Uint8Array(size));
    this.since = more(this.since, new Float64Array(size));
    this.ev = more(this.ev, new Int32Array(size));
    this.lane = more(this.lane, new Int32Array(size));
    this.group = more(this.group, new Int32Array(size));
    this.slices = more(this.slices, new Uint32Array(size));
  }
}
