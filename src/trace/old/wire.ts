// The first pass over an old-format trace (Go 1.5–1.21): the bytes after the 16-byte header are
// events, each a type byte (low 6 bits: type; high 2: argument count − 1, 3 meaning "length
// prefixed") and unsigned LEB128 arguments. Strings and stacks are interleaved with the events;
// every other event is kept, in file order, in growable columns with its P (the P of the batch
// it is in), the goroutine running there, and its timestamp in ticks (batches are delta-encoded).
//
// The checks and their order are those of Go 1.19's readTrace and parseEvents
// (internal/trace/parser.go): where Go refuses a trace, so do we, naming the byte offset.

import { Growable } from '../../profile/growable.js';
import { StringTable } from '../../profile/string-table.js';
import { EventType as E, SpecialP, argsPerEvent, eventDescriptions, eventTypeCount, putArg } from '../model.js';
import { Prefaulter, prefaultStride, sharedArray } from '../prefault.js';

/** TraceFormatError says why a trace could not be read; the message is one line without the source. */
export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

/**
 * SemanticError is a TraceFormatError found in what well-formed bytes say (a wrong argument count,
 * an unknown STW kind). Go reads all the bytes before it looks at meaning, so a byte-level error
 * later in the file is the one it reports; readRawEvents keeps the first SemanticError and reads on.
 */
class SemanticError extends TraceFormatError {}

/** RawEvents are the events of a trace in file order, before ordering and linking. */
export interface RawEvents {
  readonly length: number;
  readonly type: Uint8Array;
  /** Timestamp in ticks (absolute, as the trace's clock counts). */
  readonly ticks: Float64Array;
  /** Sequence number (Go 1.5 and 1.6 traces only; empty otherwise). */
  readonly seq: Float64Array;
  readonly p: Int32Array;
  /** The goroutine: 4 bytes each until an id above 2^32−1 widens the column (see Events.g). */
  readonly g: Uint32Array | Float64Array;
  readonly off: Uint32Array;
  /** The arguments: 4 bytes each, spilled or widened as Events.args says. */
  readonly args: Uint32Array | Float64Array;
  /** Spilled wide arguments (see spillsWideArgs): raw slot key → value. */
  readonly wideArgs: Map<number, number>;
  /**
   * The trace's stack id (0: none), in 4 bytes (it is written for every event, and a page first
   * touched is what costs); bigStackId at or above it: the id is in bigStackIds by event index.
   */
  readonly stackId: Uint32Array;
  readonly bigStackIds: ReadonlyMap<number, number>;
  /**
   * One Int32 per event that this pass leaves unwritten (untouched memory costs nothing): the later
   * passes borrow it as scratch (futile wakeups, laying out the columns) and it becomes the links.
   */
  readonly spare: Int32Array;
  /** Room for the ordering's output, one index per event (touched ahead with the columns). */
  readonly orderSpace: Uint32Array;
  /** Which events merge from which batch stream, as runs of consecutive events. */
  readonly runs: StreamRuns;
}

/**
 * StreamRuns says which batch stream each event merges from (its P, or SpecialP.ProfileP for CPU
 * samples) as runs: events start[r] .. end[r]-1 are of stream key[r]. A P writes its events in
 * batches, so there are about as many runs as batches, not one entry per event.
 */
export interface StreamRuns {
  readonly length: number;
  readonly key: Float64Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
}

/**
 * RawStacks are the EvStack entries, in the order their ids first appeared. Their frames stay in
 * the trace's bytes until the stack table is built (readFrames): a trace has thousands of stacks
 * and a hundred thousand frames, which would otherwise be decoded twice and copied into a
 * growing array. A repeated id replaces the frames of its slot, as a map would.
 */
export interface RawStacks {
  readonly length: number;
  /** The trace's stack id of each slot. */
  readonly id: Float64Array;
  /** Where each slot's frames are: a byte offset in `bytes`, or −1 − k for decoded[k …]. */
  readonly at: Float64Array;
  /** How many frames each slot has. */
  readonly count: Uint32Array;
  /** Values per frame on the wire: 4 (pc, fn string id, file string id, line), or 1 (pc) before Go 1.7. */
  readonly perFrame: number;
  readonly bytes: Uint8Array;
  /** Frames of the few stacks read the slow way (an unusual encoding), perFrame values each. */
  readonly decoded: readonly number[];
}

/**
 * readFrames writes the frames of slot s into `into` as (pc, fn, file, line), 4 values a frame
 * (fn, file and line 0 before Go 1.7), and returns how many frames. `into` holds 4000 values:
 * a stack has at most 1000 frames.
 */
export function readFrames(st: RawStacks, s: number, into: Float64Array): number {
  const count = st.count[s]!;
  const at = st.at[s]!;
  const per = st.perFrame;
  if (at < 0) {
    const d = st.decoded;
    for (let f = 0, x = -1 - at; f < count; f++, x += per) {
      into[4 * f] = d[x]!;
      into[4 * f + 1] = per === 4 ? d[x + 1]! : 0;
      into[4 * f + 2] = per === 4 ? d[x + 2]! : 0;
      into[4 * f + 3] = per === 4 ? d[x + 3]! : 0;
    }
    return count;
  }
  const r = new WireReader(st.bytes, at);
  if (per === 4) for (let x = 0; x < 4 * count; x++) into[x] = r.readVal();
  else {
    for (let f = 0; f < count; f++) {
      into[4 * f] = r.readVal();
      into[4 * f + 1] = into[4 * f + 2] = into[4 * f + 3] = 0;
    }
  }
  return count;
}

/** RawTables are what a trace says besides its events: strings, stacks, timers, frequency. */
export interface RawTables {
  readonly strings: string[];
  readonly stringIds: Map<number, number>;
  readonly stacks: RawStacks;
  readonly timerGoroutines: Set<number>;
  readonly ticksPerSecond: number;
  /** Arguments above 2^53, exactly: key rawIndex*argsPerEvent+slot. */
  readonly bigArgs: Map<number, bigint>;
}

const TWO_53 = 2 ** 53;
/** The stackId column's marker of an id kept in bigStackIds (Go's ids are small). */
export const bigStackId = 0xffffffff;
const TWO_63 = 2 ** 63;
/** The largest goroutine id the 4-byte goroutine column holds. */
const maxNarrowG = 0xffffffff;
/** The largest argument the 4-byte argument column holds (wire values are unsigned integers). */
const maxNarrowArg = 0xffffffff;

/**
 * WireReader walks the bytes of a trace. readVal is the hot path: most values are one or two
 * bytes; values of 8 bytes and more are rebuilt as bigint when they pass 2^53.
 */
class WireReader {
  pos: number;
  /** The exact value of the last readVal when it was above 2^53. */
  big: bigint | undefined;

  constructor(
    readonly buf: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  readVal(): number {
    const buf = this.buf;
    let pos = this.pos;
    let v = 0;
    // The first 28 bits with small-integer arithmetic; a longer value goes on in readLongVal, in
    // doubles. One loop for both would be optimised by V8 for the small values it saw first (the
    // first values, large or not, run before it records anything) and thrown away at the first
    // large one.
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= buf.length) return this.cutOff(this.pos);
      const b = buf[pos++]!;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.big = undefined;
        return v;
      }
    }
    return this.readLongVal(pos, v);
  }

  /** readLongVal reads the rest of a value longer than four bytes: low is its first 28 bits, pos its fifth byte. */
  private readLongVal(pos: number, low: number): number {
    const buf = this.buf;
    const start = this.pos;
    let v = low;
    let mul = 268435456; // 2^28
    for (let i = 4; i < 10; i++) {
      if (pos >= buf.length) return this.cutOff(start);
      const b = buf[pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        if (v >= TWO_53) return this.exact(start, pos);
        this.big = undefined;
        return v;
      }
      mul *= 128;
    }
    throw new TraceFormatError(`bad value at offset 0x${start.toString(16)}`);
  }

  private cutOff(start: number): never {
    throw new TraceFormatError(`failed to read trace at offset ${start}: unexpected end of file`);
  }

  /** exact rebuilds a long varint as Go does (bits past 64 dropped) and returns it as a number. */
  private exact(start: number, end: number): number {
    let v = 0n;
    for (let i = end - 1; i >= start; i--) v = (v << 7n) | BigInt(this.buf[i]! & 0x7f);
    v = BigInt.asUintN(64, v);
    this.big = v >= BigInt(TWO_53) ? v : undefined;
    return Number(v);
  }
}

/** argNum is the number of arguments an event of this type has on the wire in this version. */
function argNum(typ: number, ver: number): number {
  const desc = eventDescriptions[typ]!;
  let n = desc.args.length + (desc.stack ? 1 : 0);
  if (typ === E.Batch || typ === E.Frequency || typ === E.TimerGoroutine) return ver < 1007 ? n + 1 : n;
  n++; // timestamp
  if (ver < 1007) n++; // sequence number
  if (typ === E.GCSweepDone && ver < 1009) n -= 2;
  else if ((typ === E.GCStart || typ === E.GoStart || typ === E.GoUnblock) && ver < 1007) n--;
  else if (typ === E.GCSTWStart && ver < 1010) n--;
  return n;
}

/** The event types after which the P runs no goroutine (Go's parseEvents clears lastG). */
const endsRun = new Uint8Array(eventTypeCount);
for (const t of [E.GoEnd, E.GoStop, E.GoSched, E.GoPreempt, E.GoSleep, E.GoBlock, E.GoBlockSend, E.GoBlockRecv, E.GoBlockSelect, E.GoBlockSync, E.GoBlockCond, E.GoBlockNet, E.GoSysBlock, E.GoBlockGC]) {
  endsRun[t] = 1;
}

/**
 * Columns holds the raw events while they are read: one capacity for all columns, grown together
 * (if ever: see RawParser's constructor).
 */
class Columns {
  n = 0;
  private cap: number;
  type: Uint8Array;
  ticks: Float64Array;
  seq: Float64Array;
  p: Int32Array;
  g: Uint32Array | Float64Array;
  off: Uint32Array;
  args: Uint32Array | Float64Array;
  readonly wideArgs = new Map<number, number>();
  stackId: Uint32Array;
  spare: Int32Array;
  orderSpace: Uint32Array;

  /** Touches the columns' pages ahead of the reader (large traces only; see prefault.ts). */
  private prefaulter: Prefaulter | undefined;

  constructor(
    capacity: number,
    private readonly withSeq: boolean,
    prefault: boolean,
  ) {
    this.cap = capacity;
    // Shared memory only so that the toucher's thread can reach the pages.
    const make = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(ctor: { new (n: number): T; new (b: SharedArrayBuffer, o: number, n: number): T; readonly BYTES_PER_ELEMENT: number }, n: number): T =>
      prefault ? sharedArray(ctor, n) : new ctor(n);
    this.type = make(Uint8Array, capacity);
    this.ticks = make(Float64Array, capacity);
    this.seq = make(Float64Array, withSeq ? capacity : 0);
    this.p = make(Int32Array, capacity);
    this.g = make(Uint32Array, capacity);
    this.off = make(Uint32Array, capacity);
    this.args = make(Uint32Array, capacity * argsPerEvent);
    this.stackId = make(Uint32Array, capacity);
    this.spare = make(Int32Array, capacity);
    this.orderSpace = make(Uint32Array, capacity);
    if (prefault) {
      const columns = [this.type, this.ticks, this.seq, this.p, this.g, this.off, this.args, this.stackId, this.spare, this.orderSpace]
        .filter((c) => c.length > 0)
        .map((c) => ({ buffer: c.buffer as SharedArrayBuffer, bytesPerEvent: c.byteLength / capacity }));
      this.prefaulter = new Prefaulter(columns, capacity);
    }
  }

  /** add makes room for one more event and returns its index. */
  add(): number {
    if (this.n === this.cap) this.grow();
    // The toucher first: a test that first runs every 2^16 events would throw V8's optimised code
    // away when it does (it has never seen the second test run).
    if (this.prefaulter !== undefined && (this.n & (prefaultStride - 1)) === 0) this.prefaulter.reached(this.n);
    return this.n++;
  }

  /** done says the columns are filled: the toucher stops. */
  done(): void {
    this.prefaulter?.stop();
    this.prefaulter = undefined;
  }

  /** widenG makes the goroutine column 8 bytes a value, for a goroutine id above 2^32−1. */
  widenG(): void {
    if (this.g instanceof Float64Array) return;
    this.done();
    const wide = new Float64Array(this.cap);
    wide.set(this.g.subarray(0, this.n));
    this.g = wide;
  }

  /** putWideArg keeps an argument above 2^32−1 exactly (see putArg); returns the column. */
  putWideArg(type: number, slot: number, key: number, v: number): Uint32Array | Float64Array {
    const args = putArg(this.args, this.wideArgs, type, slot, key, v, this.n * argsPerEvent);
    if (args !== this.args) this.done();
    this.args = args;
    return args;
  }

  private grow(): void {
    this.done();
    const cap = Math.ceil(this.cap * 1.5) + 1024;
    const more = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T, per = 1): T => {
      const next = new (a.constructor as new (n: number) => T)(cap * per);
      next.set(a as never);
      return next;
    };
    this.type = more(this.type);
    this.ticks = more(this.ticks);
    if (this.withSeq) this.seq = more(this.seq);
    this.p = more(this.p);
    this.g = more(this.g);
    this.off = more(this.off);
    this.args = more(this.args, argsPerEvent);
    this.stackId = more(this.stackId);
    this.spare = more(this.spare);
    this.orderSpace = more(this.orderSpace);
    this.cap = cap;
  }
}

/**
 * readRawEvents reads everything after the header. `ver` is the header's version (1005 for
 * go 1.5). Throws TraceFormatError where Go 1.19's reader refuses the trace.
 */
export function readRawEvents(buf: Uint8Array, ver: number, prefault = buf.length >= prefaultBytes): { events: RawEvents; tables: RawTables } {
  const fast = new RawParser(buf, ver, prefault, true);
  try {
    return readAll(fast);
  } catch (e) {
    // An error stands if every stack record skimmed before it holds what its size says; else
    // one of them is what Go reports first, and reading again record by record finds it.
    if (!(e instanceof TraceFormatError)) throw e;
    if (!(e instanceof StacksNeedReading) && fast.skimmedValid()) throw e;
  } finally {
    fast.done();
  }
  const slow = new RawParser(buf, ver, prefault, false);
  try {
    return readAll(slow);
  } finally {
    slow.done();
  }
}

/** From this many bytes on, a second thread touches the columns' pages ahead of the reader. */
const prefaultBytes = 16 << 20;

function readAll(r: RawParser): { events: RawEvents; tables: RawTables } {
  // One call per event: a small hot function is optimised by V8 within the first thousands of
  // events, where one long loop would run unoptimised until on-stack replacement kicks in.
  let deferred: SemanticError | undefined;
  for (;;) {
    try {
      while (r.next());
      break;
    } catch (e) {
      if (!(e instanceof SemanticError)) throw e;
      deferred ??= e;
      r.wireOnly = true;
    }
  }
  if (deferred) throw new TraceFormatError(deferred.message);
  if (!r.skimmedValid()) throw new StacksNeedReading();
  return r.finish();
}

/** StacksNeedReading says a skimmed stack record is not what its size says: read the trace record by record. */
class StacksNeedReading extends TraceFormatError {}

/** RawParser holds the state of one pass: Go's parseEvents variables, and the columns. */
class RawParser {
  private readonly r: WireReader;
  private readonly cols: Columns;
  /** Every string: EvString entries (by stringIds) and UserLog messages; index 0 is "". */
  private readonly strings = new StringTable();
  private readonly stringIds = new Map<number, number>();
  private readonly stacks: StackCollector;
  private readonly timerGoroutines = new Set<number>();
  private readonly bigArgs = new Map<number, bigint>();
  private readonly bigStackIds = new Map<number, number>();
  private readonly runs = new RunCollector();
  /** The exact values of this event's arguments above 2^53, by position; looked at only when hasBig. */
  private rawBig: (bigint | undefined)[] = [];
  private hasBig = false;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly lastGs = new Map<number, number>();
  private readonly old: boolean;
  private readonly inlineArgs: number;
  private scratch = new Float64Array(64);
  private ticksPerSecond = 0;
  private lastSeq = 0;
  private lastTs = 0;
  private lastG = 0;
  private lastP = 0;
  /** argNum of every event type, for this version. */
  private readonly argCounts: Uint8Array;
  /** 1 for the event types this version writes, and which of them end with a stack id. */
  private readonly known: Uint8Array;
  private readonly hasStack: Uint8Array;
  /** Only check the bytes (a SemanticError has been found). */
  wireOnly = false;

  constructor(
    private readonly buf: Uint8Array,
    private readonly ver: number,
    prefault: boolean,
    /** Skim stack records (see skimStack); off, every record is read and checked as it comes. */
    private readonly skim: boolean,
  ) {
    this.r = new WireReader(buf, 16);
    this.old = ver < 1007;
    this.stacks = new StackCollector(buf, ver);
    // Every event takes at least 2 bytes (its type, its time), so half the size is room for all:
    // the columns never grow, and the pages the events do not fill are never touched, so the
    // operating system does not back them.
    // Where the system refuses that much address space at once, start smaller and grow.
    const room = Math.ceil(Math.max(buf.length - 16, 0) / 2) + 1;
    try {
      this.cols = new Columns(room, this.old, prefault);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.cols = new Columns(Math.ceil(room / 8), this.old, false);
    }
    this.inlineArgs = this.old ? 5 : 4;
    this.argCounts = Uint8Array.from({ length: eventTypeCount }, (_, t) => argNum(t, ver));
    this.known = Uint8Array.from(eventDescriptions, (d, t) => (t !== E.None && d.minVersion <= ver ? 1 : 0));
    this.hasStack = Uint8Array.from(eventDescriptions, (d) => (d.stack ? 1 : 0));
  }

  /** done stops the page toucher, if any (the reading is over, or failed). */
  done(): void {
    this.cols.done();
  }

  /** next reads one record (event, string or stack); false at the end of the bytes. */
  next(): boolean {
    const r = this.r;
    const buf = this.buf;
    const off0 = r.pos;
    if (off0 >= buf.length) return false;
    const head = buf[r.pos++]!;
    const typ = head & 0x3f;
    const narg = (head >> 6) + 1 + (this.old ? 1 : 0);
    if (typ >= eventTypeCount || this.known[typ] === 0) {
      throw new TraceFormatError(`unknown event type ${typ} at offset 0x${off0.toString(16)}`);
    }
    if (typ === E.String) {
      this.readString();
      return true;
    }
    if (typ === E.Stack && this.skim && narg >= this.inlineArgs && this.skimStack()) return true;
    const n = narg < this.inlineArgs ? this.readInlineArgs(narg) : this.readPrefixedArgs(off0);
    const message = typ === E.UserLog ? this.readLogMessage() : -1;
    if (this.wireOnly) return true;

    // What the arguments mean (Go's parseEvents).
    const want = typ === E.Stack ? n : this.argCounts[typ]!;
    if (n !== want) {
      throw new SemanticError(`${eventDescriptions[typ]!.name} has wrong number of arguments at offset 0x${off0.toString(16)}: want ${want}, got ${n}`);
    }
    const scratch = this.scratch;
    switch (typ) {
      case E.Batch:
        this.lastGs.set(this.lastP, this.lastG);
        this.lastP = toInt(scratch[0]!, this.hasBig ? this.rawBig[0] : undefined);
        this.lastG = this.lastGs.get(this.lastP) ?? 0;
        if (this.old) {
          this.lastSeq = scratch[1]!;
          this.lastTs = scratch[2]!;
        } else {
          this.lastTs = scratch[1]!;
        }
        return true;
      case E.Frequency:
        this.ticksPerSecond = scratch[0]!;
        // Go reads it as an int64: 0 or a value past 2^63 (negative) means broken ticks.
        if (this.ticksPerSecond <= 0 || this.ticksPerSecond >= TWO_63) throw new SemanticError('time stamps out of order');
        return true;
      case E.TimerGoroutine:
        this.timerGoroutines.add(scratch[0]!);
        return true;
      case E.Stack:
        if (this.stacks.check(n >= 1 ? scratch[0]! : 0, n >= 2 ? scratch[1]! : 0, n, off0)) this.stacks.addDecoded(scratch, scratch[1]!);
        return true;
    }
    this.addEvent(typ, n, off0, message);
    return true;
  }

  /** addEvent keeps one event: its time, P, goroutine, arguments and stack id. */
  private addEvent(typ: number, n: number, off0: number, message: number): void {
    const cols = this.cols;
    const scratch = this.scratch;
    const stackAt = this.hasStack[typ] === 1 ? n - 1 : -1;
    const i = cols.add();
    let ts: number;
    let argOffset: number;
    if (this.old) {
      this.lastSeq += scratch[0]!;
      cols.seq[i] = this.lastSeq;
      ts = this.lastTs + scratch[1]!;
      argOffset = 2;
    } else {
      ts = this.lastTs + scratch[0]!;
      argOffset = 1;
    }
    this.lastTs = ts;
    let g = this.lastG;
    let p = this.lastP;
    let stackId = 0;
    let data = cols.args;
    const a = i * argsPerEvent;
    for (let k = argOffset; k < n; k++) {
      if (k === stackAt) {
        stackId = scratch[k]!;
      } else {
        const v = scratch[k]!;
        if (v > maxNarrowArg) data = cols.putWideArg(typ, k - argOffset, a + k - argOffset, v);
        else data[a + k - argOffset] = v;
        const big = this.hasBig ? this.rawBig[k] : undefined;
        if (big !== undefined) this.bigArgs.set(a + k - argOffset, big);
      }
    }
    switch (typ) {
      case E.GoStart:
      case E.GoStartLocal:
      case E.GoStartLabel:
        this.lastG = data[a]!;
        g = this.lastG;
        break;
      case E.GCSTWStart:
        g = 0;
        if (this.ver < 1021 && data[a] !== 0 && data[a] !== 1) throw new SemanticError(`unknown STW kind ${data[a]}`);
        break;
      case E.GCStart:
      case E.GCDone:
      case E.GCSTWDone:
        g = 0;
        break;
      case E.GoSysExit:
      case E.GoWaiting:
      case E.GoInSyscall:
        g = data[a]!;
        break;
      case E.UserLog:
        data[a + 2] = message;
        break;
      case E.CPUSample:
        ts = cols.wideArgs.get(a) ?? data[a]!;
        cols.wideArgs.delete(a);
        p = toInt(cols.wideArgs.get(a + 1) ?? data[a + 1]!, this.bigArgs.get(a + 1));
        g = data[a + 2]!;
        data[a] = 0;
        this.bigArgs.delete(a);
        break;
      default:
        if (endsRun[typ]) this.lastG = 0;
    }
    cols.type[i] = typ;
    cols.ticks[i] = ts;
    cols.p[i] = p;
    if (g > maxNarrowG) cols.widenG();
    cols.g[i] = g;
    cols.off[i] = off0;
    if (stackId >= bigStackId) this.bigStackIds.set(i, stackId);
    cols.stackId[i] = stackId < bigStackId ? stackId : bigStackId;
    this.runs.add(typ === E.CPUSample ? SpecialP.ProfileP : this.lastP, i);
  }

  // Few traces have any argument above 2^53: the array is touched only when one does.
  private resetBig(): void {
    if (this.hasBig) this.rawBig = [];
    this.hasBig = false;
  }

  private setBig(k: number, v: bigint): void {
    this.rawBig[k] = v;
    this.hasBig = true;
  }

  /** readString reads an EvString: id, length, bytes. */
  private readString(): void {
    const r = this.r;
    const id = r.readVal();
    if (id === 0) throw new TraceFormatError(`string at offset ${r.pos} has invalid id 0`);
    if (this.stringIds.has(id)) throw new TraceFormatError(`string at offset ${r.pos} has duplicate id ${id}`);
    const ln = r.readVal();
    if (ln === 0) throw new TraceFormatError(`string at offset ${r.pos} has invalid length 0`);
    if (ln > 1e6) throw new TraceFormatError(`string at offset ${r.pos} has too large length ${ln}`);
    if (r.pos + ln > this.buf.length) throw new TraceFormatError(`failed to read trace at offset ${r.pos}: string of ${ln} bytes cut off`);
    this.stringIds.set(id, this.strings.add(this.decoder.decode(this.buf.subarray(r.pos, r.pos + ln))));
    r.pos += ln;
  }

  private readInlineArgs(narg: number): number {
    const r = this.r;
    const scratch = this.scratch;
    this.resetBig();
    for (let n = 0; n < narg; n++) {
      scratch[n] = r.readVal();
      if (r.big !== undefined) this.setBig(n, r.big);
    }
    return narg;
  }

  /** readPrefixedArgs reads arguments given with their length in bytes (more than 3, or stacks). */
  private readPrefixedArgs(off0: number): number {
    const r = this.r;
    this.resetBig();
    const evLen = r.readVal();
    const start = r.pos;
    let n = 0;
    while (evLen > r.pos - start) {
      if (n === this.scratch.length) {
        const next = new Float64Array(n * 2);
        next.set(this.scratch);
        this.scratch = next;
      }
      this.scratch[n] = r.readVal();
      if (r.big !== undefined) this.setBig(n, r.big);
      n++;
    }
    if (evLen !== r.pos - start) {
      throw new TraceFormatError(`event has wrong length at offset 0x${off0.toString(16)}: want ${evLen}, got ${r.pos - start}`);
    }
    return n;
  }

  /**
   * skimStack reads an EvStack's length, id and size and skips the rest: the frames are read
   * once, from the bytes, when the stack table is built, and whether the record holds as many
   * values as its size says is checked for all skimmed records at once (StackCollector.skimmedValid),
   * in one long loop that V8 optimises early, where a loop per record would run unoptimised.
   * It takes only the usual encoding (values below 2^53, at most 1000 frames, within the bytes);
   * for anything else it leaves the position as it was and returns false, and the record is read
   * the slow way, which reports what is wrong as Go does.
   */
  private skimStack(): boolean {
    const r = this.r;
    const buf = this.buf;
    const from = r.pos;
    const evLen = r.readVal();
    const start = r.pos;
    const end = start + evLen;
    const id = r.big === undefined && end <= buf.length ? r.readVal() : -1;
    const size = id >= 0 && r.big === undefined && r.pos < end ? r.readVal() : -1;
    if (size < 0 || size > 1000 || r.big !== undefined || r.pos > end) {
      r.pos = from;
      return false;
    }
    // After an error of meaning only the bytes count, but they are still checked.
    this.stacks.addSkimmed(id, size, r.pos, end, !this.wireOnly);
    r.pos = end;
    return true;
  }

  /** skimmedValid says whether every skimmed stack record is what the slow way reads without complaint. */
  skimmedValid(): boolean {
    return this.stacks.skimmedValid();
  }

  /** readLogMessage reads the value string that follows a UserLog's arguments; returns its index. */
  private readLogMessage(): number {
    const r = this.r;
    const sz = r.readVal();
    if (sz > 1e6) throw new TraceFormatError(`string at offset ${r.pos} is too large (len=${sz})`);
    if (r.pos + sz > this.buf.length) throw new TraceFormatError(`failed to read trace at offset ${r.pos}: string of ${sz} bytes cut off`);
    const s = this.decoder.decode(this.buf.subarray(r.pos, r.pos + sz));
    r.pos += sz;
    return this.strings.add(s);
  }

  finish(): { events: RawEvents; tables: RawTables } {
    const cols = this.cols;
    const n = cols.n;
    if (n === 0) throw new TraceFormatError('trace is empty');
    if (this.ticksPerSecond === 0) throw new TraceFormatError('no EvFrequency event');
    const events: RawEvents = {
      length: n,
      type: cols.type.subarray(0, n),
      ticks: cols.ticks.subarray(0, n),
      seq: cols.seq.subarray(0, this.old ? n : 0),
      p: cols.p.subarray(0, n),
      g: cols.g.subarray(0, n),
      off: cols.off.subarray(0, n),
      args: cols.args.subarray(0, n * argsPerEvent),
      wideArgs: cols.wideArgs,
      stackId: cols.stackId.subarray(0, n),
      bigStackIds: this.bigStackIds,
      spare: cols.spare.subarray(0, n),
      orderSpace: cols.orderSpace.subarray(0, n),
      runs: this.runs.finish(),
    };
    const { stringIds, timerGoroutines, ticksPerSecond, bigArgs } = this;
    const stacks = this.stacks.finish();
    return { events, tables: { strings: this.strings.list, stringIds, stacks, timerGoroutines, ticksPerSecond, bigArgs } };
  }
}

/** toInt converts a uint64 argument to Go's int (two's complement), e.g. 2^64−1 → −1. */
function toInt(v: number, big: bigint | undefined): number {
  return big === undefined ? v : Number(BigInt.asIntN(64, big));
}

/** RunCollector keeps the stream of each event as StreamRuns while the trace is read. */
class RunCollector {
  private readonly key = new Growable(Float64Array, 256);
  private readonly start = new Growable(Uint32Array, 256);
  private readonly end = new Growable(Uint32Array, 256);
  private lastKey = NaN;
  private lastEnd = -1;

  /** add says that event i (one more than the last) merges from stream k. */
  add(k: number, i: number): void {
    if (k === this.lastKey && i === this.lastEnd) {
      this.end.data[this.end.length - 1] = this.lastEnd = i + 1;
      return;
    }
    this.key.push(k);
    this.start.push(i);
    this.end.push(i + 1);
    this.lastKey = k;
    this.lastEnd = i + 1;
  }

  finish(): StreamRuns {
    const n = this.key.length;
    return { length: n, key: this.key.data.subarray(0, n), start: this.start.data.subarray(0, n), end: this.end.data.subarray(0, n) };
  }
}

/** StackCollector keeps the EvStack entries as RawStacks while the trace is read. */
class StackCollector {
  private readonly slotOf = new Map<number, number>();
  private readonly id = new Growable(Float64Array, 256);
  private readonly at = new Growable(Float64Array, 256);
  private readonly count = new Growable(Uint32Array, 256);
  private readonly decoded: number[] = [];
  private readonly perFrame: number;
  /** The skimmed records, in file order: where their frames' bytes start and end, and their size. */
  private readonly skimFirst = new Growable(Float64Array, 256);
  private readonly skimEnd = new Growable(Float64Array, 256);
  private readonly skimSize = new Growable(Uint32Array, 256);

  constructor(
    private readonly bytes: Uint8Array,
    ver: number,
  ) {
    this.perFrame = ver < 1007 ? 1 : 4;
  }

  /**
   * check checks an EvStack's argument count n and size as Go does; false when there is nothing
   * to keep (id or size 0).
   */
  check(id: number, size: number, n: number, off0: number): boolean {
    if (n < 2) throw new SemanticError(`EvStack has wrong number of arguments at offset 0x${off0.toString(16)}: want at least 2, got ${n}`);
    if (size > 1000) throw new SemanticError(`EvStack has bad number of frames at offset 0x${off0.toString(16)}: ${size}`);
    const want = 2 + this.perFrame * size;
    if (n !== want) throw new SemanticError(`EvStack has wrong number of arguments at offset 0x${off0.toString(16)}: want ${want}, got ${n}`);
    return id !== 0 && size !== 0;
  }

  /**
   * addSkimmed takes a stack record whose size (at most 1000) and id are read and whose frames
   * are the bytes [first, end), to be checked by skimmedValid, and keeps it unless told not to.
   */
  addSkimmed(id: number, size: number, first: number, end: number, keep: boolean): void {
    this.skimFirst.push(first);
    this.skimEnd.push(end);
    this.skimSize.push(size);
    if (keep && id !== 0 && size !== 0) this.put(id, size, first);
  }

  /**
   * skimmedValid checks every skimmed record: its bytes are exactly perFrame × size values, none
   * longer than 10 bytes (what the slow way finds as it decodes them; see RawParser.next).
   */
  skimmedValid(): boolean {
    const buf = this.bytes;
    const first = this.skimFirst.data;
    const end = this.skimEnd.data;
    const size = this.skimSize.data;
    for (let k = 0; k < this.skimFirst.length; k++) {
      let n = 0;
      let run = 0;
      for (let p = first[k]!; p < end[k]!; p++) {
        if (buf[p]! < 0x80) {
          n++;
          run = 0;
        } else if (++run === 10) return false;
      }
      if (run !== 0 || n !== this.perFrame * size[k]!) return false;
    }
    return true;
  }

  /** addDecoded keeps a checked stack from its decoded arguments (id, size, frames…). */
  addDecoded(args: Float64Array, size: number): void {
    const k = this.decoded.length;
    for (let x = 2; x < 2 + this.perFrame * size; x++) this.decoded.push(args[x]!);
    this.put(args[0]!, size, -1 - k);
  }

  private put(id: number, size: number, at: number): void {
    const slot = this.slotOf.get(id);
    if (slot !== undefined) {
      this.at.data[slot] = at;
      this.count.data[slot] = size;
      return;
    }
    this.slotOf.set(id, this.id.length);
    this.id.push(id);
    this.at.push(at);
    this.count.push(size);
  }

  finish(): RawStacks {
    const n = this.id.length;
    return { length: n, id: this.id.data.subarray(0, n), at: this.at.data.subarray(0, n), count: this.count.data.subarray(0, n), perFrame: this.perFrame, bytes: this.bytes, decoded: this.decoded };
  }
}
