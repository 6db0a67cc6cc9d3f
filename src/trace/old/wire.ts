// The first pass over an old-format trace (Go 1.5–1.21): the bytes after the 16-byte header are
// events, each a type byte (low 6 bits: type; high 2: argument count − 1, 3 meaning "length
// prefixed") and unsigned LEB128 arguments. Strings and stacks are interleaved with the events;
// every other event is kept, in file order, in growable columns with its P (the P of the batch
// it is in), the goroutine running there, and its timestamp in ticks (batches are delta-encoded).
//
// The checks and their order are those of Go 1.19's readTrace and parseEvents
// (internal/trace/parser.go): where Go refuses a trace, so do we, naming the byte offset.

import { Growable } from '../../profile/growable.js';
import { EventType as E, SpecialP, argsPerEvent, eventDescriptions, eventTypeCount } from '../model.js';

/** TraceFormatError says why a trace could not be read; the message is one line without the source. */
export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

/** RawEvents are the events of a trace in file order, before ordering and linking. */
export interface RawEvents {
  readonly length: number;
  readonly type: Uint8Array;
  /** Timestamp in ticks (absolute, as the trace's clock counts). */
  readonly ticks: Float64Array;
  /** Sequence number (Go 1.5 and 1.6 traces only; empty otherwise). */
  readonly seq: Float64Array;
  readonly p: Int32Array;
  readonly g: Float64Array;
  readonly off: Uint32Array;
  readonly args: Float64Array;
  /** The trace's stack id (0: none). */
  readonly stackId: Float64Array;
  /** Which batch stream the event merges from: its P, or SpecialP.ProfileP for CPU samples. */
  readonly stream: Int32Array;
}

/** RawStack is one EvStack: its frames as (pc, fn string id, file string id, line). */
export interface RawTables {
  readonly strings: string[];
  readonly stringIds: Map<number, number>;
  /** Stack id → [pc, fn id, file id, line] × frames (fn and file are trace string ids). */
  readonly stacks: Map<number, Float64Array>;
  readonly timerGoroutines: Set<number>;
  readonly ticksPerSecond: number;
  /** Arguments above 2^53, exactly: key rawIndex*argsPerEvent+slot. */
  readonly bigArgs: Map<number, bigint>;
}

const TWO_53 = 2 ** 53;
const TWO_63 = 2 ** 63;

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
    const start = this.pos;
    let pos = start;
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new TraceFormatError(`failed to read trace at offset ${start}: unexpected end of file`);
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

/** Columns under construction. */
class Columns {
  readonly type = new Growable(Uint8Array, 1024);
  readonly ticks = new Growable(Float64Array, 1024);
  readonly seq = new Growable(Float64Array, 16);
  readonly p = new Growable(Int32Array, 1024);
  readonly g = new Growable(Float64Array, 1024);
  readonly off = new Growable(Uint32Array, 1024);
  readonly args = new Growable(Float64Array, 3 * 1024);
  readonly stackId = new Growable(Float64Array, 1024);
  readonly stream = new Growable(Int32Array, 1024);
}

/**
 * readRawEvents reads everything after the header. `ver` is the header's version (1005 for
 * go 1.5). Throws TraceFormatError where Go 1.19's reader refuses the trace.
 */
export function readRawEvents(buf: Uint8Array, ver: number): { events: RawEvents; tables: RawTables } {
  const r = new WireReader(buf, 16);
  const cols = new Columns();
  const strings: string[] = [''];
  const stringIds = new Map<number, number>();
  const stacks = new Map<number, Float64Array>();
  const timerGoroutines = new Set<number>();
  const bigArgs = new Map<number, bigint>();
  const rawBig: (bigint | undefined)[] = [];
  const messages = new Map<string, number>();
  const decoder = new TextDecoder('utf-8');
  let scratch = new Float64Array(64);
  let ticksPerSecond = 0;
  let lastSeq = 0;
  let lastTs = 0;
  let lastG = 0;
  let lastP = 0;
  const lastGs = new Map<number, number>();
  const old = ver < 1007;
  const inlineArgs = old ? 5 : 4;

  for (;;) {
    const off0 = r.pos;
    if (off0 >= buf.length) break;
    const head = buf[r.pos++]!;
    const typ = head & 0x3f;
    const narg = (head >> 6) + 1 + (old ? 1 : 0);
    if (typ === E.None || typ >= eventTypeCount || eventDescriptions[typ]!.minVersion > ver) {
      throw new TraceFormatError(`unknown event type ${typ} at offset 0x${off0.toString(16)}`);
    }
    if (typ === E.String) {
      const id = r.readVal();
      if (id === 0) throw new TraceFormatError(`string at offset ${r.pos} has invalid id 0`);
      if (stringIds.has(id)) throw new TraceFormatError(`string at offset ${r.pos} has duplicate id ${id}`);
      const ln = r.readVal();
      if (ln === 0) throw new TraceFormatError(`string at offset ${r.pos} has invalid length 0`);
      if (ln > 1e6) throw new TraceFormatError(`string at offset ${r.pos} has too large length ${ln}`);
      if (r.pos + ln > buf.length) throw new TraceFormatError(`failed to read trace at offset ${r.pos}: string of ${ln} bytes cut off`);
      stringIds.set(id, strings.length);
      strings.push(decoder.decode(buf.subarray(r.pos, r.pos + ln)));
      r.pos += ln;
      continue;
    }

    // The arguments, into scratch[0..n-1].
    let n = 0;
    rawBig.length = 0;
    if (narg < inlineArgs) {
      for (; n < narg; n++) {
        scratch[n] = r.readVal();
        if (r.big !== undefined) rawBig[n] = r.big;
      }
    } else {
      const evLen = r.readVal();
      const start = r.pos;
      while (evLen > r.pos - start) {
        if (n === scratch.length) {
          const next = new Float64Array(n * 2);
          next.set(scratch);
          scratch = next;
        }
        scratch[n] = r.readVal();
        if (r.big !== undefined) rawBig[n] = r.big;
        n++;
      }
      if (evLen !== r.pos - start) {
        throw new TraceFormatError(`event has wrong length at offset 0x${off0.toString(16)}: want ${evLen}, got ${r.pos - start}`);
      }
    }
    let message = -1;
    if (typ === E.UserLog) {
      // The value string follows the arguments: its length, then its bytes.
      const sz = r.readVal();
      if (sz > 1e6) throw new TraceFormatError(`string at offset ${r.pos} is too large (len=${sz})`);
      if (r.pos + sz > buf.length) throw new TraceFormatError(`failed to read trace at offset ${r.pos}: string of ${sz} bytes cut off`);
      const s = decoder.decode(buf.subarray(r.pos, r.pos + sz));
      r.pos += sz;
      message = messages.get(s) ?? -1;
      if (message < 0) {
        message = strings.length;
        strings.push(s);
        messages.set(s, message);
      }
    }

    // What the arguments mean (Go's parseEvents).
    const desc = eventDescriptions[typ]!;
    const want = typ === E.Stack ? n : argNum(typ, ver);
    if (n !== want) {
      throw new TraceFormatError(`${desc.name} has wrong number of arguments at offset 0x${off0.toString(16)}: want ${want}, got ${n}`);
    }
    switch (typ) {
      case E.Batch:
        lastGs.set(lastP, lastG);
        lastP = toInt(scratch[0]!, rawBig[0]);
        lastG = lastGs.get(lastP) ?? 0;
        if (old) {
          lastSeq = scratch[1]!;
          lastTs = scratch[2]!;
        } else {
          lastTs = scratch[1]!;
        }
        continue;
      case E.Frequency:
        ticksPerSecond = scratch[0]!;
        // Go reads it as an int64: 0 or a value past 2^63 (negative) means broken ticks.
        if (ticksPerSecond <= 0 || ticksPerSecond >= TWO_63) throw new TraceFormatError('time stamps out of order');
        continue;
      case E.TimerGoroutine:
        timerGoroutines.add(scratch[0]!);
        continue;
      case E.Stack:
        readStack(scratch, n, ver, off0, stacks);
        continue;
    }

    const i = cols.type.length;
    let ts: number;
    let argOffset: number;
    if (old) {
      lastSeq += scratch[0]!;
      cols.seq.push(lastSeq);
      ts = lastTs + scratch[1]!;
      argOffset = 2;
    } else {
      ts = lastTs + scratch[0]!;
      argOffset = 1;
    }
    lastTs = ts;
    let g = lastG;
    let p = lastP;
    let stackId = 0;
    const args = cols.args;
    args.reserve(argsPerEvent);
    const a = args.length;
    args.data[a] = 0;
    args.data[a + 1] = 0;
    args.data[a + 2] = 0;
    args.length += argsPerEvent;
    for (let k = argOffset; k < n; k++) {
      if (k === n - 1 && desc.stack) {
        stackId = scratch[k]!;
      } else {
        args.data[a + k - argOffset] = scratch[k]!;
        const big = rawBig[k];
        if (big !== undefined) bigArgs.set(i * argsPerEvent + k - argOffset, big);
      }
    }
    switch (typ) {
      case E.GoStart:
      case E.GoStartLocal:
      case E.GoStartLabel:
        lastG = args.data[a]!;
        g = lastG;
        break;
      case E.GCSTWStart:
        g = 0;
        if (ver < 1021 && args.data[a] !== 0 && args.data[a] !== 1) throw new TraceFormatError(`unknown STW kind ${args.data[a]}`);
        break;
      case E.GCStart:
      case E.GCDone:
      case E.GCSTWDone:
        g = 0;
        break;
      case E.GoSysExit:
      case E.GoWaiting:
      case E.GoInSyscall:
        g = args.data[a]!;
        break;
      case E.UserLog:
        args.data[a + 2] = message;
        break;
      case E.CPUSample: {
        ts = args.data[a]!;
        p = toInt(args.data[a + 1]!, bigArgs.get(i * argsPerEvent + 1));
        g = args.data[a + 2]!;
        args.data[a] = 0;
        bigArgs.delete(i * argsPerEvent);
        break;
      }
      default:
        if (endsRun[typ]) lastG = 0;
    }
    cols.type.push(typ);
    cols.ticks.push(ts);
    cols.p.push(p);
    cols.g.push(g);
    cols.off.push(off0);
    cols.stackId.push(stackId);
    cols.stream.push(typ === E.CPUSample ? SpecialP.ProfileP : lastP);
  }

  if (cols.type.length === 0) throw new TraceFormatError('trace is empty');
  if (ticksPerSecond === 0) throw new TraceFormatError('no EvFrequency event');
  const events: RawEvents = {
    length: cols.type.length,
    type: cols.type.finish(),
    ticks: cols.ticks.finish(),
    seq: cols.seq.finish(),
    p: cols.p.finish(),
    g: cols.g.finish(),
    off: cols.off.finish(),
    args: cols.args.finish(),
    stackId: cols.stackId.finish(),
    stream: cols.stream.finish(),
  };
  return { events, tables: { strings, stringIds, stacks, timerGoroutines, ticksPerSecond, bigArgs } };
}

/** toInt converts a uint64 argument to Go's int (two's complement), e.g. 2^64−1 → −1. */
function toInt(v: number, big: bigint | undefined): number {
  return big === undefined ? v : Number(BigInt.asIntN(64, big));
}

/** readStack checks an EvStack's arguments as Go does and keeps its frames. */
function readStack(args: Float64Array, n: number, ver: number, off0: number, stacks: Map<number, Float64Array>): void {
  const at = `at offset 0x${off0.toString(16)}`;
  if (n < 2) throw new TraceFormatError(`EvStack has wrong number of arguments ${at}: want at least 2, got ${n}`);
  const size = args[1]!;
  if (size > 1000) throw new TraceFormatError(`EvStack has bad number of frames ${at}: ${size}`);
  const want = ver < 1007 ? 2 + size : 2 + 4 * size;
  if (n !== want) throw new TraceFormatError(`EvStack has wrong number of arguments ${at}: want ${want}, got ${n}`);
  const id = args[0]!;
  if (id === 0 || size === 0) return;
  const frames = new Float64Array(4 * size);
  for (let f = 0; f < size; f++) {
    if (ver < 1007) {
      frames[4 * f] = args[2 + f]!;
    } else {
      frames[4 * f] = args[2 + 4 * f]!;
      frames[4 * f + 1] = args[3 + 4 * f]!;
      frames[4 * f + 2] = args[4 + 4 * f]!;
      frames[4 * f + 3] = args[5 + 4 * f]!;
    }
  }
  stacks.set(id, frames);
}
