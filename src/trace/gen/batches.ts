// Reading a generational trace's bytes into generations: each generation is the batches that carry
// its number; per-M event batches are kept as byte ranges (decoded later, while ordering), and the
// structural batches are decoded at once: strings, stacks, CPU samples, and the sync batch (the
// clock frequency; from Go 1.25 also a clock snapshot). Go 1.22–1.25 end a generation where the
// next one's first batch begins; Go 1.26 marks the end with an EndOfGeneration byte.

import { TraceFormatError } from '../old/wire.js';
import { GenType as T, maxBatchSize, maxFramesPerStack, maxStringSize } from './spec.js';

/** NoThread is the M of batches that belong to no thread (strings, stacks, sync). */
export const NoThread = -1;

/** Batch is one per-M event batch: its events are buf[start, end). */
export interface Batch {
  readonly m: number;
  readonly time: number;
  readonly start: number;
  readonly end: number;
}

/** CPUSample is a sample taken by the CPU profiler while tracing, in the generation's tables. */
export interface RawCPUSample {
  time: number;
  readonly m: number;
  readonly p: number;
  readonly g: number;
  readonly stack: number;
}

/** Generation is one generation's batches and tables, with ids as the trace numbers them. */
export interface Generation {
  readonly gen: number;
  /** Event batches per M, in the order the Ms first appear. */
  readonly batches: Map<number, Batch[]>;
  readonly strings: Map<number, string>;
  /** Stack id → pcs, leaf first. */
  readonly stacks: Map<number, number[]>;
  /** pc → [func string id, file string id, line] as first seen in this generation. */
  readonly frames: Map<number, [number, number, number]>;
  readonly cpuSamples: RawCPUSample[];
  /** Nanoseconds per clock tick (Go computes 1 / (ticksPerSecond / 1e9) in float64). */
  nsPerTick: number;
  ticksPerSecond: number;
  hasClockSnapshot: boolean;
  /** The earliest batch time, in ticks. */
  minTicks: number;
}

/** Cursor reads unsigned varints from the trace; values above 2^53 lose their low bits. */
export class Cursor {
  constructor(
    readonly buf: Uint8Array,
    public off: number,
    public end: number,
  ) {}

  byte(): number {
    if (this.off >= this.end) throw new TraceFormatError('unexpected end of data');
    return this.buf[this.off++]!;
  }

  uvarint(what: string): number {
    const buf = this.buf;
    let b = this.off < this.end ? buf[this.off++]! : -1;
    if (b < 0) throw new TraceFormatError(`unexpected end of data reading ${what}`);
    if (b < 0x80) return b;
    let v = b & 0x7f;
    let mul = 128;
    for (let i = 1; ; i++) {
      if (this.off >= this.end) throw new TraceFormatError(`unexpected end of data reading ${what}`);
      if (i >= 10) throw new TraceFormatError(`invalid varint reading ${what}`);
      b = buf[this.off++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  }
}

/** mOf maps the wire's M id to ours: 2^64-1 (Go's NoThread, -1 as int64) is NoThread. */
function mOf(v: number): number {
  return v >= 2 ** 63 ? NoThread : v;
}

/**
 * GenerationReader yields the trace's generations one at a time, so that a damaged later
 * generation is reported only after the earlier ones were ordered (as Go does).
 */
export class GenerationReader {
  private readonly c: Cursor;
  /** The first batch of the next generation, read while looking for this one's end (< 1.26). */
  private spill: { gen: number; b: RawBatch } | undefined;
  /** An error met reading the first batch after a generation: reported after it. */
  private pendingError: Error | undefined;

  constructor(
    private readonly buf: Uint8Array,
    private readonly ver: number,
  ) {
    this.c = new Cursor(buf, 16, buf.length);
  }

  /** next returns the next generation, or undefined at the end of the trace. */
  next(): Generation | undefined {
    if (this.pendingError !== undefined) throw this.pendingError;
    if (this.ver >= 1026) return this.nextExplicit();
    let g: Generation | undefined;
    if (this.spill !== undefined) {
      g = newGeneration(this.spill.gen);
      this.add(g, this.spill.b);
      this.spill = undefined;
    }
    while (this.c.off < this.buf.length) {
      let rb: RawBatch;
      try {
        rb = this.readBatch();
      } catch (e) {
        if (g === undefined) throw e;
        this.pendingError = e as Error;
        break;
      }
      if (rb.gen === 0) throw new TraceFormatError('invalid generation number 0');
      if (g === undefined) g = newGeneration(rb.gen);
      if (rb.gen === g.gen + 1) {
        this.spill = { gen: rb.gen, b: rb };
        break;
      }
      if (rb.gen !== g.gen) throw new TraceFormatError('generations out of order');
      this.add(g, rb);
    }
    if (g === undefined) return undefined;
    this.finish(g);
    return g;
  }

  private nextExplicit(): Generation | undefined {
    let g: Generation | undefined;
    for (;;) {
      if (this.c.off >= this.buf.length) {
        if (g !== undefined) throw new TraceFormatError('incomplete generation found; trace likely truncated');
        return undefined;
      }
      const rb = this.readBatch();
      if (g === undefined) g = newGeneration(rb.gen);
      if (rb.end === -1) break; // EndOfGeneration
      if (rb.gen === 0) throw new TraceFormatError('invalid generation number 0');
      if (rb.gen !== g.gen) throw new TraceFormatError('broken trace: missing end-of-generation event, or generations are interleaved');
      this.add(g, rb);
    }
    this.finish(g);
    return g;
  }

  private finish(g: Generation): void {
    if (g.ticksPerSecond === 0) throw new TraceFormatError(`generation ${g.gen}: no frequency event found`);
    if (this.ver >= 1025 && !g.hasClockSnapshot) throw new TraceFormatError(`generation ${g.gen}: no clock snapshot event found`);
    for (const [id, pcs] of g.stacks) {
      for (const pc of pcs) {
        const f = g.frames.get(pc)!;
        if (f[0] !== 0 && !g.strings.has(f[0])) throw new TraceFormatError(`found invalid func string ID ${f[0]} for stack ${id}`);
        if (f[1] !== 0 && !g.strings.has(f[1])) throw new TraceFormatError(`found invalid file string ID ${f[1]} for stack ${id}`);
      }
    }
    for (const s of g.cpuSamples) s.time = Math.trunc(s.time * g.nsPerTick);
    g.cpuSamples.sort((a, b) => a.time - b.time);
  }

  /** readBatch reads one batch header and skips its data; an EndOfGeneration has end -1. */
  private readBatch(): RawBatch {
    const c = this.c;
    const at = c.off;
    const typ = c.byte();
    if (typ === T.EndOfGeneration && this.ver >= 1026) return { gen: 0, m: NoThread, time: 0, start: c.off, end: -1, exp: 0 };
    if (typ !== T.EventBatch && !(typ === T.ExperimentalBatch && this.ver >= 1023)) {
      throw new TraceFormatError(`expected batch event at offset ${at}, got event type ${typ}`);
    }
    const exp = typ === T.ExperimentalBatch ? c.byte() : 0;
    const gen = c.uvarint('batch gen');
    const m = mOf(c.uvarint('batch M ID'));
    const time = c.uvarint('batch timestamp');
    const size = c.uvarint('batch size');
    if (size > maxBatchSize) throw new TraceFormatError(`invalid batch size ${size} at offset ${at}, maximum is ${maxBatchSize}`);
    if (c.off + size > this.buf.length) throw new TraceFormatError(`failed to read full batch at offset ${at}: read ${this.buf.length - c.off} bytes but wanted ${size}`);
    const start = c.off;
    c.off += size;
    return { gen, m, time, start, end: start + size, exp };
  }

  /** add files a batch: decoded when structural, kept by M when it holds events. */
  private add(g: Generation, rb: RawBatch): void {
    if (g.minTicks === 0 || rb.time < g.minTicks) g.minTicks = rb.time;
    if (rb.exp !== 0 || rb.start === rb.end) {
      if (rb.exp === 0) pushBatch(g, rb);
      return; // Experimental data (alloc/free) is not part of the model.
    }
    const first = this.buf[rb.start]!;
    if (first === T.Strings) this.addStrings(g, rb);
    else if (first === T.Stacks) this.addStacks(g, rb);
    else if (first === T.CPUSamples) this.addCPUSamples(g, rb);
    else if ((first === T.Frequency && this.ver < 1025) || (first === T.Sync && this.ver >= 1025)) this.addSync(g, rb);
    else pushBatch(g, rb);
  }

  private addStrings(g: Generation, rb: RawBatch): void {
    const c = new Cursor(this.buf, rb.start + 1, rb.end);
    const dec = new TextDecoder();
    while (c.off < c.end) {
      const t = c.byte();
      if (t !== T.String) throw new TraceFormatError(`expected string event, got ${t}`);
      const id = c.uvarint('string ID');
      const len = c.uvarint('string length');
      if (len > maxStringSize) throw new TraceFormatError(`invalid string size ${len}, maximum is ${maxStringSize}`);
      if (c.off + len > c.end) throw new TraceFormatError(`failed to read full string: read ${c.end - c.off} but wanted ${len}`);
      const s = dec.decode(this.buf.subarray(c.off, c.off + len));
      c.off += len;
      if (id === 0 || g.strings.has(id)) throw new TraceFormatError(`multiple strings with the same ID: id=${id}`);
      g.strings.set(id, s);
    }
  }

  private addStacks(g: Generation, rb: RawBatch): void {
    const c = new Cursor(this.buf, rb.start + 1, rb.end);
    while (c.off < c.end) {
      const t = c.byte();
      if (t !== T.Stack) throw new TraceFormatError(`expected stack event, got ${t}`);
      const id = c.uvarint('stack ID');
      const n = c.uvarint('stack size');
      if (n > maxFramesPerStack) throw new TraceFormatError(`invalid stack size ${n}, maximum is ${maxFramesPerStack}`);
      const pcs: number[] = [];
      for (let k = 0; k < n; k++) {
        const pc = c.uvarint('frame PC');
        const fn = c.uvarint('frame func ID');
        const file = c.uvarint('frame file ID');
        const line = c.uvarint('frame line');
        pcs.push(pc);
        if (!g.frames.has(pc)) g.frames.set(pc, [fn, file, line]);
      }
      if (id === 0 || g.stacks.has(id)) throw new TraceFormatError(`multiple stacks with the same ID: id=${id}`);
      g.stacks.set(id, pcs);
    }
  }

  private addCPUSamples(g: Generation, rb: RawBatch): void {
    const c = new Cursor(this.buf, rb.start + 1, rb.end);
    while (c.off < c.end) {
      const t = c.byte();
      if (t !== T.CPUSample) throw new TraceFormatError(`expected CPU sample event, got ${t}`);
      const time = c.uvarint('sample time');
      const m = mOf(c.uvarint('sample M'));
      const p = c.uvarint('sample P');
      const gid = c.uvarint('sample G');
      const stack = c.uvarint('sample stack');
      g.cpuSamples.push({ time, m, p, g: gid, stack });
    }
  }

  private addSync(g: Generation, rb: RawBatch): void {
    const c = new Cursor(this.buf, rb.start + (this.ver >= 1025 ? 1 : 0), rb.end);
    while (c.off < c.end) {
      const t = c.byte();
      if (t === T.Frequency) {
        if (g.ticksPerSecond !== 0) throw new TraceFormatError('found multiple frequency events');
        const f = c.uvarint('frequency');
        if (f === 0) throw new TraceFormatError('invalid frequency 0');
        g.ticksPerSecond = f;
        g.nsPerTick = 1 / (f / 1e9);
      } else if (t === T.ClockSnapshot && this.ver >= 1025) {
        if (g.hasClockSnapshot) throw new TraceFormatError('found multiple clock snapshot events');
        g.hasClockSnapshot = true;
        for (const what of ['dt', 'mono', 'sec', 'nsec']) c.uvarint(`clock snapshot ${what}`);
      } else {
        throw new TraceFormatError(`expected frequency or clock snapshot event, got ${t}`);
      }
    }
  }
}

interface RawBatch extends Batch {
  readonly gen: number;
  readonly exp: number;
}

function newGeneration(gen: number): Generation {
  return {
    gen,
    batches: new Map(),
    strings: new Map(),
    stacks: new Map(),
    frames: new Map(),
    cpuSamples: [],
    nsPerTick: 0,
    ticksPerSecond: 0,
    hasClockSnapshot: false,
    minTicks: 0,
  };
}

function pushBatch(g: Generation, b: Batch): void {
  const list = g.batches.get(b.m);
  if (list === undefined) g.batches.set(b.m, [b]);
  else list.push(b);
}
