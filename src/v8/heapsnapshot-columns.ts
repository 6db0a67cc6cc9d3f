// The typed-array side of reading a heap snapshot: the columns a number array of records
// (`nodes`, `edges`, `locations`) is spread into, one per field, and the scan of the digits, the
// one hot loop of reading (a small function of its own, so that V8 optimises it early).

const [COMMA, RBRACKET, ZERO] = [44, 93, 48];

/** ColumnKind says how a field is kept: 32 bits, a byte (type numbers), or not at all. */
export type ColumnKind = 'u32' | 'u8' | undefined;
/** Column holds one field of every record. */
export type Column = Uint32Array | Uint8Array;

/**
 * Columns gathers an array of records (`fields` numbers each) into one growable typed array per
 * kept field, allocated once at the size the header announces when it does. A byte column
 * notes a value that does not fit, for the caller to refuse.
 */
export class Columns {
  readonly data: (Column | undefined)[];
  /** Numbers read so far (all fields). */
  count = 0;
  /** A byte column was given a value above 255. */
  overflow = false;
  private capacity: number;
  private record = 0;
  private field = 0;

  constructor(
    readonly fields: number,
    private readonly kinds: readonly ColumnKind[],
    records: number,
    /** Slots kept free after the last record, per field (edge_count becomes firstEdge, one longer). */
    private readonly extra: readonly number[] = [],
  ) {
    this.capacity = Math.max(records, 16);
    this.data = kinds.map((k, f) => this.allocate(k, this.capacity + (extra[f] ?? 0)));
  }

  private allocate(kind: ColumnKind, length: number): Column | undefined {
    return kind === 'u32' ? new Uint32Array(length) : kind === 'u8' ? new Uint8Array(length) : undefined;
  }

  push(v: number): void {
    if (this.record === this.capacity) this.grow();
    const col = this.data[this.field];
    if (col !== undefined) {
      if (v > 255 && this.kinds[this.field] === 'u8') this.overflow = true;
      col[this.record] = v;
    }
    if (++this.field === this.fields) {
      this.field = 0;
      this.record++;
    }
    this.count++;
  }

  private grow(): void {
    this.capacity *= 2;
    for (let f = 0; f < this.fields; f++) {
      const old = this.data[f];
      if (old === undefined) continue;
      const next = this.allocate(this.kinds[f], this.capacity + (this.extra[f] ?? 0))!;
      next.set(old);
      this.data[f] = next;
    }
  }

  /** finish trims each column to the records read (plus its extra slots); undefined when the count is not whole records. */
  finish(): { records: number; columns: (Column | undefined)[] } | undefined {
    if (this.field !== 0) return undefined;
    const records = this.record;
    return {
      records,
      columns: this.data.map((c, f) => {
        const length = records + (this.extra[f] ?? 0);
        return c === undefined || c.length === length ? c : c.slice(0, length);
      }),
    };
  }
}

/** NumberScan carries a number array's reading from one chunk to the next. */
export interface NumberScan {
  value: number;
  /** 0: before a number (after '[' or ','), 1: in a number, 2: after a number and white space. */
  state: number;
  first: boolean;
  /** Why scanNumbers stopped before the chunk's end: 0 it did not, else one of the stop codes. */
  stop: number;
}
export const stopDone = 1;
export const stopUnexpected = 2;
export const stopRange = 3;

/**
 * scanNumbers reads numbers from buf[pos..end) into the columns, returning where it stopped: a
 * small function of its own, the one hot loop of reading, so V8 optimises it early.
 */
export function scanNumbers(buf: Uint8Array, start: number, end: number, s: NumberScan, out: Columns): number {
  let pos = start;
  let value = s.value;
  let state = s.state;
  while (pos < end) {
    const c = buf[pos++]!;
    const digit = c - ZERO;
    if (digit >= 0 && digit <= 9) {
      if (state === 2) {
        s.stop = stopUnexpected;
        break;
      }
      value = value * 10 + digit;
      state = 1;
    } else if (c === COMMA || c === RBRACKET) {
      if (state === 0) {
        if (c === RBRACKET && s.first) {
          s.stop = stopDone;
          break;
        }
        s.stop = stopUnexpected;
        break;
      }
      if (value > 0xffffffff) {
        s.stop = stopRange;
        break;
      }
      out.push(value);
      s.first = false;
      value = 0;
      state = 0;
      if (c === RBRACKET) {
        s.stop = stopDone;
        break;
      }
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      if (state === 1) state = 2;
    } else {
      s.stop = stopUnexpected;
      break;
    }
  }
  s.value = value;
  s.state = state;
  return pos;
}
