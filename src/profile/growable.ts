// Growable typed arrays for building tables whose final size is not known up front.

type TypedArray = Uint32Array | Int32Array | Float64Array | Uint8Array;
type Ctor<T extends TypedArray> = { new (n: number): T };

/** Growable appends to a typed array, doubling its capacity as needed. */
export class Growable<T extends TypedArray> {
  data: T;
  length = 0;

  constructor(
    private readonly ctor: Ctor<T>,
    capacity = 16,
  ) {
    this.data = new ctor(Math.max(capacity, 4));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  /** reserve makes room for n more elements. */
  reserve(n: number): void {
    if (this.length + n > this.data.length) this.grow(this.length + n);
  }

  private grow(min: number): void {
    const next = new this.ctor(Math.max(min, Math.ceil(this.data.length * 1.5) + 16));
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }

  /** finish returns the filled part, copied to an exact-size array when much room is left over. */
  finish(): T {
    if (this.length === this.data.length) return this.data;
    if (this.length > this.data.length * 0.875) return this.data.subarray(0, this.length) as T;
    return this.data.slice(0, this.length) as T;
  }
}
