// Decodes profile.proto bytes (already decompressed) straight into the columnar Profile model.
// Field numbers are those of google/pprof's proto/profile.proto.
//
// The top-level message is read once, noting where each repeated message lies; the tables are
// then decoded in dependency order (strings, functions, locations, samples) so that every id can
// be resolved to an index while decoding, whatever order the producer wrote the fields in.

import { Buffer, isAscii } from 'node:buffer';
import { ProfileError } from './errors.js';
import { Growable } from './growable.js';
import { decodeKeepingBytes } from './text-bytes.js';
import type { FunctionTable, LabelTable, LocationTable, Mapping, Profile, SampleTable, ValueType } from './model.js';
import { Wire, WireReader } from './wire-reader.js';

/** Spans records [start, end) byte ranges of repeated message fields. */
class Spans {
  private data: Uint32Array = new Uint32Array(128);
  private length = 0;
  get count(): number {
    return this.length >> 1;
  }
  add(start: number, end: number): void {
    if (this.length + 2 > this.data.length) this.grow();
    this.data[this.length] = start;
    this.data[this.length + 1] = end;
    this.length += 2;
  }
  start(i: number): number {
    return this.data[2 * i]!;
  }
  end(i: number): number {
    return this.data[2 * i + 1]!;
  }

  /**
   * addRun records the run of fields starting at pos that share the tag byte `tag` (a
   * length-delimited field), up to the first other tag; returns where the run ends. A field whose
   * length it cannot take at a glance (a long or damaged length) ends the run too, for the
   * general reader to take (and report). Producers write each repeated field as one run, so this
   * small loop does nearly all of the top-level scan: V8 optimises it early and never meets a
   * branch it has no feedback for, as it would in one loop over every kind of field.
   */
  addRun(buf: Uint8Array, pos: number, end: number, tag: number): number {
    let data = this.data;
    let length = this.length;
    while (pos + 2 < end && buf[pos] === tag) {
      let len = buf[pos + 1]!;
      let start = pos + 2;
      if (len >= 0x80) {
        const b2 = buf[pos + 2]!;
        if (b2 >= 0x80) {
          if (pos + 3 >= end || buf[pos + 3]! >= 0x80) break;
          const b3 = buf[pos + 3]!;
          len = (len & 0x7f) | ((b2 & 0x7f) << 7) | (b3 << 14);
          start = pos + 4;
        } else {
          len = (len & 0x7f) | (b2 << 7);
          start = pos + 3;
        }
      }
      if (start + len > end) break;
      if (length + 2 > data.length) {
        this.length = length;
        data = this.grow();
      }
      data[length] = start;
      data[length + 1] = start + len;
      length += 2;
      pos = start + len;
    }
    this.length = length;
    return pos;
  }

  private grow(): Uint32Array {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
    return next;
  }
}

/** IdIndex resolves proto ids to table indexes: a dense array when ids are small, else a Map. */
class IdIndex {
  private dense: Int32Array | undefined;
  private sparse: Map<number, number> | undefined;

  constructor(ids: Float64Array, what: string) {
    let max = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i]! > max) max = ids[i]!;
    // pprof (CheckValid) refuses the reserved id 0, as it refuses duplicates.
    for (let i = 0; i < ids.length; i++) if (ids[i] === 0) throw new ProfileError(`malformed profile: a ${what} has the reserved id 0`);
    if (max <= ids.length * 4 + 1024) {
      const dense = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (dense[id] !== -1) throw new ProfileError(`duplicate ${what} id ${id}`);
        dense[id] = i;
      }
      this.dense = dense;
    } else {
      const sparse = new Map<number, number>();
      for (let i = 0; i < ids.length; i++) {
        if (sparse.has(ids[i]!)) throw new ProfileError(`duplicate ${what} id ${ids[i]}`);
        sparse.set(ids[i]!, i);
      }
      this.sparse = sparse;
    }
  }

  /** denseTable is the id → index array when ids are dense enough for one. */
  denseTable(): Int32Array | undefined {
    return this.dense;
  }

  /** get returns the index for id, or -1. */
  get(id: number): number {
    if (this.dense) return id < this.dense.length ? this.dense[id]! : -1;
    return this.sparse!.get(id) ?? -1;
  }
}

/** decodeProfileProto decodes uncompressed profile.proto bytes; errors say which byte is wrong. */
export function decodeProfileProto(buf: Uint8Array): Profile {
  const r = new WireReader(buf);
  const end = buf.length;

  const sampleSpans = new Spans();
  const locationSpans = new Spans();
  const functionSpans = new Spans();
  const stringSpans = new Spans();
  const mappingSpans = new Spans();
  const sampleTypeRaw: number[] = [];
  let periodTypeRaw: [number, number] | undefined;
  const commentIdx: number[] = [];
  let dropFrames = 0;
  let keepFrames = 0;
  let timeNanos = 0;
  let timeNanosExact: bigint | undefined;
  let durationNanos = 0;
  let period = 0;
  let defaultSampleType = 0;
  let docUrl = 0;

  // Tag bytes of the repeated messages: sample (2), mapping (3), location (4), function (5),
  // string_table (6), each length-delimited.
  const runs = new Map<number, Spans>([
    [0x12, sampleSpans],
    [0x1a, mappingSpans],
    [0x22, locationSpans],
    [0x2a, functionSpans],
    [0x32, stringSpans],
  ]);

  while (r.pos < end) {
    const tagAt = r.pos;
    const run = runs.get(buf[tagAt]!);
    if (run) {
      r.pos = run.addRun(buf, tagAt, end, buf[tagAt]!);
      if (r.pos !== tagAt) continue;
    }
    const tag = r.varint(end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new ProfileError(`bad field number 0 at byte ${tagAt}`);
    if (wire === Wire.Bytes && field <= 6) {
      const stop = r.bytesEnd(end);
      const start = r.pos;
      // What addRun left: a length of four bytes or more, or one past the end (bytesEnd reports it).
      if (field === 1) sampleTypeRaw.push(...readValueType(r, stop));
      else runs.get(tag)!.add(start, stop);
      r.pos = stop;
      continue;
    }
    // A known field with another wire type is an error, as in pprof's decoder ("type mismatch").
    if (field <= 6) expectWire(r, wire, Wire.Bytes);
    switch (field) {
      case 7:
        dropFrames = expectVarint(r, wire, end);
        break;
      case 8:
        keepFrames = expectVarint(r, wire, end);
        break;
      case 9:
        expectWire(r, wire, Wire.Varint);
        // A second time_nanos is how pprof recognises profiles concatenated into one file.
        if (timeNanos !== 0) throw new ProfileError(`concatenated profiles detected: a second time_nanos at byte ${tagAt}`);
        timeNanos = r.int64(end);
        if (!Number.isSafeInteger(timeNanos)) timeNanosExact = r.lastInt64Exact();
        break;
      case 10:
        expectWire(r, wire, Wire.Varint);
        durationNanos = r.int64(end);
        break;
      case 11: {
        expectWire(r, wire, Wire.Bytes);
        const stop = r.bytesEnd(end);
        const [t, u] = readValueType(r, stop);
        periodTypeRaw = [t, u];
        r.pos = stop;
        break;
      }
      case 12:
        expectWire(r, wire, Wire.Varint);
        period = r.int64(end);
        break;
      case 13:
        if (wire === Wire.Bytes) {
          const stop = r.bytesEnd(end);
          while (r.pos < stop) commentIdx.push(r.varint(stop));
        } else {
          commentIdx.push(expectVarint(r, wire, end));
        }
        break;
      case 14:
        defaultSampleType = expectVarint(r, wire, end);
        break;
      case 15:
        docUrl = expectVarint(r, wire, end);
        break;
      default:
        r.skip(wire, end);
    }
  }

  const strings = decodeStrings(buf, stringSpans);
  const str = (i: number, what: string): string => {
    const s = strings[i];
    if (s === undefined) throw new ProfileError(`${what} names string ${i}, but the string table has ${strings.length}`);
    return s;
  };

  const sampleTypes: ValueType[] = [];
  for (let i = 0; i < sampleTypeRaw.length; i += 2) {
    sampleTypes.push({ type: str(sampleTypeRaw[i]!, 'a sample type'), unit: str(sampleTypeRaw[i + 1]!, 'a sample type') });
  }
  const mappings = decodeMappings(r, mappingSpans, (i) => str(i, 'a mapping'));
  const functions = decodeFunctions(r, functionSpans, strings.length);
  const locations = decodeLocations(r, locationSpans, functions, mappings);
  const samples = decodeSamples(r, sampleSpans, sampleTypes.length, locations, strings.length);

  return {
    strings,
    sampleTypes,
    defaultSampleType: str(defaultSampleType, 'default_sample_type'),
    samples,
    mappings,
    locations,
    functions,
    dropFrames: str(dropFrames, 'drop_frames'),
    keepFrames: str(keepFrames, 'keep_frames'),
    timeNanos,
    ...(timeNanosExact !== undefined && { timeNanosExact }),
    durationNanos,
    periodType: periodTypeRaw && { type: str(periodTypeRaw[0], 'period_type'), unit: str(periodTypeRaw[1], 'period_type') },
    period,
    comments: commentIdx.map((i) => str(i, 'a comment')),
    docUrl: str(docUrl, 'doc_url'),
  };
}

function expectWire(r: WireReader, wire: number, want: Wire): void {
  if (wire !== want) throw new ProfileError(`unexpected wire type ${wire} at byte ${r.pos}`);
}

function expectVarint(r: WireReader, wire: number, end: number): number {
  expectWire(r, wire, Wire.Varint);
  return r.varint(end);
}

function readValueType(r: WireReader, stop: number): [number, number] {
  let type = 0;
  let unit = 0;
  while (r.pos < stop) {
    const tag = r.varint(stop);
    const field = tag >>> 3;
    if (field === 1 || field === 2) expectWire(r, tag & 7, Wire.Varint);
    if (field === 1) type = r.varint(stop);
    else if (field === 2) unit = r.varint(stop);
    else r.skip(tag & 7, stop);
  }
  return [type, unit];
}

function decodeStrings(buf: Uint8Array, spans: Spans): string[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = spans.count;
  // pprof refuses a profile without strings: every string index, even 0, would be out of range.
  if (n === 0) throw new ProfileError('malformed profile: no string table');
  const out = new Array<string>(n);
  // Producers write the string table as one run. When every byte of it is ASCII (nearly always:
  // names and paths; a length byte of 0x80 or more spoils this), one latin1 string of the whole
  // run has a character per byte, and each entry is a substring of it: much cheaper than a UTF-8
  // decode per entry.
  const first = spans.start(0);
  const last = spans.end(n - 1);
  let whole: string | undefined;
  if (last >= first && last - first < 1 << 28 && isAscii(buf.subarray(first, last))) whole = b.toString('latin1', first, last);
  for (let i = 0; i < n; i++) {
    const start = spans.start(i);
    const end = spans.end(i);
    // Bytes that are not UTF-8 are kept (text-bytes.ts), since pprof prints them as they are.
    out[i] = whole !== undefined ? whole.substring(start - first, end - first) : decodeKeepingBytes(buf, start, end);
  }
  if (out[0] !== '') throw new ProfileError('malformed profile: the string table does not start with ""');
  return out;
}

function decodeMappings(r: WireReader, spans: Spans, str: (i: number) => string): Mapping[] {
  const out: Mapping[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < spans.count; i++) {
    r.pos = spans.start(i);
    const stop = spans.end(i);
    let id = 0;
    let memoryStart = 0n;
    let memoryLimit = 0n;
    let fileOffset = 0n;
    let file = 0;
    let buildId = 0;
    const flags = [false, false, false, false];
    while (r.pos < stop) {
      const tag = r.varint(stop);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (wire !== Wire.Varint) {
        if (field >= 1 && field <= 10) expectWire(r, wire, Wire.Varint);
        r.skip(wire, stop);
        continue;
      }
      switch (field) {
        case 1:
          id = r.varint(stop);
          break;
        case 2:
          memoryStart = r.uint64(stop);
          break;
        case 3:
          memoryLimit = r.uint64(stop);
          break;
        case 4:
          fileOffset = r.uint64(stop);
          break;
        case 5:
          file = r.varint(stop);
          break;
        case 6:
          buildId = r.varint(stop);
          break;
        case 7:
        case 8:
        case 9:
        case 10:
          flags[field - 7] = r.varint(stop) !== 0;
          break;
        default:
          r.skip(wire, stop);
      }
    }
    // pprof (CheckValid) refuses the reserved id 0 and two mappings with one id.
    if (id === 0) throw new ProfileError('malformed profile: a mapping has the reserved id 0');
    if (seen.has(id)) throw new ProfileError(`malformed profile: two mappings have id ${id}`);
    seen.add(id);
    out.push({
      id,
      memoryStart,
      memoryLimit,
      fileOffset,
      file: str(file),
      buildId: str(buildId),
      hasFunctions: flags[0]!,
      hasFilenames: flags[1]!,
      hasLineNumbers: flags[2]!,
      hasInlineFrames: flags[3]!,
    });
  }
  return out;
}

function checkString(i: number, nStrings: number, what: string): number {
  if (i >= nStrings) throw new ProfileError(`${what} names string ${i}, but the string table has ${nStrings}`);
  return i;
}

function decodeFunctions(r: WireReader, spans: Spans, nStrings: number): FunctionTable {
  const n = spans.count;
  const t = {
    length: n,
    id: new Float64Array(n),
    name: new Uint32Array(n),
    systemName: new Uint32Array(n),
    filename: new Uint32Array(n),
    startLine: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    i = decodePlainFunctions(r.buf, spans, i, nStrings, t);
    if (i === n) break;
    r.pos = spans.start(i);
    const stop = spans.end(i);
    while (r.pos < stop) {
      const tag = r.varint(stop);
      const wire = tag & 7;
      if (wire !== Wire.Varint) {
        if (tag >>> 3 >= 1 && tag >>> 3 <= 5) expectWire(r, wire, Wire.Varint);
        r.skip(wire, stop);
        continue;
      }
      switch (tag >>> 3) {
        case 1:
          t.id[i] = r.varint(stop);
          break;
        case 2:
          t.name[i] = checkString(r.varint(stop), nStrings, 'a function name');
          break;
        case 3:
          t.systemName[i] = checkString(r.varint(stop), nStrings, 'a function system name');
          break;
        case 4:
          t.filename[i] = checkString(r.varint(stop), nStrings, 'a function file name');
          break;
        case 5:
          t.startLine[i] = r.int64(stop);
          break;
        default:
          r.skip(wire, stop);
      }
    }
  }
  return t;
}

/**
 * readSmall reads a varint below 2^28 at pos, before stop, and returns value * 4 + (its bytes - 1),
 * or -1 when it is longer or cut off: one small integer, so that the fast loops below read a
 * field without a reader object.
 */
function readSmall(buf: Uint8Array, pos: number, stop: number): number {
  if (pos >= stop) return -1;
  let b = buf[pos]!;
  if (b < 0x80) return b << 2;
  let v = b & 0x7f;
  if (pos + 1 >= stop) return -1;
  b = buf[pos + 1]!;
  if (b < 0x80) return ((v | (b << 7)) << 2) | 1;
  v |= (b & 0x7f) << 7;
  if (pos + 2 >= stop) return -1;
  b = buf[pos + 2]!;
  if (b < 0x80) return ((v | (b << 14)) << 2) | 2;
  v |= (b & 0x7f) << 14;
  if (pos + 3 >= stop) return -1;
  b = buf[pos + 3]!;
  if (b < 0x80) return ((v | (b << 21)) << 2) | 3;
  return -1;
}

type MutableFunctionTable = { -readonly [K in keyof FunctionTable]: FunctionTable[K] };

/**
 * decodePlainFunctions decodes functions from `from` on while each has only varint fields below
 * 2^28 naming strings that exist, and returns the first it did not take; the general loop reads
 * (or rejects) that one. Apart and small for V8, as decodePlainSamples.
 */
function decodePlainFunctions(buf: Uint8Array, spans: Spans, from: number, nStrings: number, t: MutableFunctionTable): number {
  const n = spans.count;
  for (let i = from; i < n; i++) {
    let pos = spans.start(i);
    const stop = spans.end(i);
    while (pos < stop) {
      const tag = buf[pos++]!;
      const x = readSmall(buf, pos, stop);
      if (x < 0) return i;
      pos += (x & 3) + 1;
      const v = x >>> 2;
      if (tag === 0x08) t.id[i] = v;
      else if (tag === 0x28) t.startLine[i] = v;
      else if (v >= nStrings) return i;
      else if (tag === 0x10) t.name[i] = v;
      else if (tag === 0x18) t.systemName[i] = v;
      else if (tag === 0x20) t.filename[i] = v;
      else return i;
    }
  }
  return n;
}

function decodeLocations(r: WireReader, spans: Spans, functions: FunctionTable, mappings: Mapping[]): LocationTable {
  const n = spans.count;
  const fnIndex = new IdIndex(functions.id, 'function');
  const mappingIds = new Map<number, number>();
  mappings.forEach((m, i) => mappingIds.set(m.id, i));
  const id = new Float64Array(n);
  const mapping = new Int32Array(n).fill(-1);
  const address = new BigUint64Array(n);
  const addressWords = new Uint32Array(address.buffer);
  const isFolded = new Uint8Array(n);
  const lineStart = new Uint32Array(n + 1);
  const lineFunction = new Growable(Int32Array, n + 16);
  const lineNumber = new Growable(Float64Array, n + 16);
  const lineColumn = new Growable(Float64Array, n + 16);

  const fnDense = fnIndex.denseTable();
  const mapDense = mappingTable(mappings);
  const columns = { id, mapping, addressWords, isFolded, lineStart, lineFunction, lineNumber, lineColumn };
  for (let i = 0; i < n; i++) {
    if (fnDense && mapDense) {
      i = decodePlainLocations(r.buf, spans, i, fnDense, mapDense, columns);
      if (i === n) break;
    }
    r.pos = spans.start(i);
    const stop = spans.end(i);
    lineStart[i] = lineFunction.length;
    while (r.pos < stop) {
      const tag = r.varint(stop);
      const wire = tag & 7;
      const field = tag >>> 3;
      if (field === 4 && wire === Wire.Bytes) {
        const lineStop = r.bytesEnd(stop);
        let fid = 0;
        let line = 0;
        let column = 0;
        while (r.pos < lineStop) {
          const lt = r.varint(lineStop);
          if ((lt & 7) !== Wire.Varint) {
            if (lt >>> 3 >= 1 && lt >>> 3 <= 3) expectWire(r, lt & 7, Wire.Varint);
            r.skip(lt & 7, lineStop);
            continue;
          }
          switch (lt >>> 3) {
            case 1:
              fid = r.varint(lineStop);
              break;
            case 2:
              line = r.int64(lineStop);
              break;
            case 3:
              column = r.int64(lineStop);
              break;
            default:
              r.skip(lt & 7, lineStop);
          }
        }
        // pprof refuses a line without a function ("has a line with nil function").
        const fn = fnIndex.get(fid);
        if (fn < 0) throw new ProfileError(`malformed profile: location ${id[i]} names function id ${fid}, which does not exist`);
        lineFunction.push(fn);
        lineNumber.push(line);
        lineColumn.push(column);
        continue;
      }
      if (field === 4) expectWire(r, wire, Wire.Bytes);
      if (wire !== Wire.Varint) {
        if (field >= 1 && field <= 5) expectWire(r, wire, Wire.Varint);
        r.skip(wire, stop);
        continue;
      }
      switch (field) {
        case 1:
          id[i] = r.varint(stop);
          break;
        case 2: {
          // A mapping id that names no mapping leaves the location without one, as in pprof.
          const m = mappingIds.get(r.varint(stop));
          if (m !== undefined) mapping[i] = m;
          break;
        }
        case 3:
          r.varint64(stop);
          addressWords[2 * i] = r.lo;
          addressWords[2 * i + 1] = r.hi;
          break;
        case 5:
          isFolded[i] = r.varint(stop) !== 0 ? 1 : 0;
          break;
        default:
          r.skip(wire, stop);
      }
    }
  }
  lineStart[n] = lineFunction.length;
  return {
    length: n,
    id,
    mapping,
    address,
    isFolded,
    lineStart,
    lineFunction: lineFunction.finish(),
    lineNumber: lineNumber.finish(),
    lineColumn: lineColumn.finish(),
  };
}

/** mappingTable maps small mapping ids to indexes (the last of equal ids wins), if all are small. */
function mappingTable(mappings: readonly Mapping[]): Int32Array | undefined {
  let max = 0;
  for (const m of mappings) max = Math.max(max, m.id);
  if (max > 4096) return undefined;
  const table = new Int32Array(max + 1).fill(-1);
  mappings.forEach((m, i) => (table[m.id] = i));
  return table;
}

/** LocationColumns are the arrays decodeLocations fills. */
interface LocationColumns {
  readonly id: Float64Array;
  readonly mapping: Int32Array;
  readonly addressWords: Uint32Array;
  readonly isFolded: Uint8Array;
  readonly lineStart: Uint32Array;
  readonly lineFunction: Growable<Int32Array>;
  readonly lineNumber: Growable<Float64Array>;
  readonly lineColumn: Growable<Float64Array>;
}

/**
 * decodePlainLocations decodes locations from `from` on while each is plain: varint fields below
 * 2^28 (the address any varint), lines of such fields under 128 bytes, ids the dense tables
 * resolve, room left for the lines. It returns the first location it did not take, whose lines it
 * has not kept; the general loop reads (or rejects) that one. Apart and small for V8.
 */
function decodePlainLocations(buf: Uint8Array, spans: Spans, from: number, fnDense: Int32Array, mapDense: Int32Array, t: LocationColumns): number {
  const n = spans.count;
  const { id, mapping, addressWords, isFolded, lineStart } = t;
  const fnData = t.lineFunction.data;
  const numberData = t.lineNumber.data;
  const columnData = t.lineColumn.data;
  const room = Math.min(fnData.length, numberData.length, columnData.length);
  let lines = t.lineFunction.length;
  const stopAt = (i: number): number => {
    t.lineFunction.length = t.lineNumber.length = t.lineColumn.length = lines;
    return i;
  };
  for (let i = from; i < n; i++) {
    lineStart[i] = lines;
    let pos = spans.start(i);
    const stop = spans.end(i);
    let l = lines;
    while (pos < stop) {
      const tag = buf[pos++]!;
      if (tag === 0x22) {
        if (pos >= stop || buf[pos]! >= 0x80 || l === room) return stopAt(i);
        const lineStop = pos + 1 + buf[pos]!;
        if (lineStop > stop) return stopAt(i);
        pos++;
        let fid = 0;
        let line = 0;
        let column = 0;
        while (pos < lineStop) {
          const lt = buf[pos++]!;
          const x = readSmall(buf, pos, lineStop);
          if (x < 0) return stopAt(i);
          pos += (x & 3) + 1;
          if (lt === 0x08) fid = x >>> 2;
          else if (lt === 0x10) line = x >>> 2;
          else if (lt === 0x18) column = x >>> 2;
          else return stopAt(i);
        }
        const fn = fid < fnDense.length ? fnDense[fid]! : -1;
        if (fn < 0) return stopAt(i);
        fnData[l] = fn;
        numberData[l] = line;
        columnData[l] = column;
        l++;
      } else if (tag === 0x18) {
        // The address: any varint, into its low and high 32 bits.
        let lo = 0;
        let hi = 0;
        let b = 0x80;
        for (let k = 0; b >= 0x80; k++) {
          if (pos >= stop || k === 10) return stopAt(i);
          b = buf[pos++]!;
          if (k < 4) lo |= (b & 0x7f) << (7 * k);
          else if (k === 4) {
            lo |= (b & 0x7f) << 28;
            hi = (b & 0x7f) >>> 4;
          } else hi |= (b & 0x7f) << (7 * k - 32);
        }
        addressWords[2 * i] = lo >>> 0;
        addressWords[2 * i + 1] = hi >>> 0;
      } else {
        const x = readSmall(buf, pos, stop);
        if (x < 0) return stopAt(i);
        pos += (x & 3) + 1;
        const v = x >>> 2;
        if (tag === 0x08) id[i] = v;
        else if (tag === 0x10) {
          if (v !== 0) {
            const m = v < mapDense.length ? mapDense[v]! : -1;
            if (m < 0) return stopAt(i);
            mapping[i] = m;
          }
        } else if (tag === 0x28) isFolded[i] = v !== 0 ? 1 : 0;
        else return stopAt(i);
      }
    }
    lines = l;
  }
  return stopAt(n);
}

function decodeSamples(r: WireReader, spans: Spans, nTypes: number, locations: LocationTable, nStrings: number): SampleTable {
  const n = spans.count;
  const locIndex = new IdIndex(locations.id, 'location');
  const dense = locIndex.denseTable();
  const buf = r.buf;
  checkRoomForValues(spans, nTypes);
  const stackStart = new Uint32Array(n + 1);
  let stack: Uint32Array = new Uint32Array(estimateStackEntries(buf, spans, nTypes));
  const values = new Float64Array(n * nTypes);
  let exactValues: BigInt64Array | undefined;
  let labels: LabelBuilder | undefined;
  let len = 0;
  // A value is stored as a number, and also exactly once any value of the profile is not a safe
  // integer (v is then the last value the reader read, whose exact bits it still holds).
  const storeValue = (at: number, v: number): void => {
    values[at] = v;
    if (!Number.isSafeInteger(v) || exactValues) {
      exactValues ??= backfill(values, at);
      exactValues[at] = Number.isSafeInteger(v) ? BigInt(v) : r.lastInt64Exact();
    }
  };
  const missing = (i: number, id: number, at: number): ProfileError =>
    new ProfileError(`sample ${i} names location id ${id} at byte ${at}, which does not exist`);

  for (let i = 0; i < n; i++) {
    if (dense && !exactValues) {
      // Nearly every sample is one the fast loop takes; it stops at the first it cannot.
      stackStart[i] = len;
      i = decodePlainSamples(buf, spans, i, nTypes, dense, stack, stackStart, values);
      len = stackStart[i]!;
      if (i === n) break;
    }
    r.pos = spans.start(i);
    const stop = spans.end(i);
    stackStart[i] = len;
    let nValues = 0;
    const base = i * nTypes;
    while (r.pos < stop) {
      const tag = buf[r.pos]!;
      if (tag === 0x0a) {
        // location_id, packed.
        r.pos++;
        const fieldStop = r.bytesEnd(stop);
        // At most one id per byte: make sure the table has room for all of them.
        if (len + (fieldStop - r.pos) > stack.length) stack = grow(stack, len + (fieldStop - r.pos));
        const before = len;
        len = dense ? readPackedIds(buf, r.pos, fieldStop, dense, stack, len) : -1;
        if (len < 0) {
          // Sparse ids, a missing id, or a long varint: read the field again with the general
          // reader, which also says what is wrong.
          len = before;
          while (r.pos < fieldStop) {
            const at = r.pos;
            const id = r.varint(fieldStop);
            const li = locIndex.get(id);
            if (li < 0) throw missing(i, id, at);
            stack[len++] = li;
          }
        }
        r.pos = fieldStop;
      } else if (tag === 0x12) {
        // value, packed.
        r.pos++;
        const fieldStop = r.bytesEnd(stop);
        while (r.pos < fieldStop) {
          // Small non-negative values (nearly all) are read inline; the rest by the full reader.
          let v = buf[r.pos]!;
          if (v < 0x80) r.pos++;
          else if (buf[r.pos + 1]! < 0x80 && r.pos + 1 < fieldStop) {
            v = (v & 0x7f) | (buf[r.pos + 1]! << 7);
            r.pos += 2;
          } else v = r.int64(fieldStop);
          if (nValues < nTypes) storeValue(base + nValues, v);
          nValues++;
        }
      } else if (tag === 0x08) {
        // location_id, not packed.
        r.pos++;
        const at = r.pos;
        const id = r.varint(stop);
        const li = locIndex.get(id);
        if (li < 0) throw missing(i, id, at);
        if (len === stack.length) stack = grow(stack, len + 1);
        stack[len++] = li;
      } else if (tag === 0x10) {
        r.pos++;
        const v = r.int64(stop);
        if (nValues < nTypes) storeValue(base + nValues, v);
        nValues++;
      } else if (tag === 0x1a) {
        r.pos++;
        const labelStop = r.bytesEnd(stop);
        labels ??= new LabelBuilder(n, i);
        labels.read(r, labelStop, i, nStrings);
      } else {
        const t = r.varint(stop);
        const field = t >>> 3;
        // location_id and value take a varint or a packed run; label is a message.
        if ((field === 1 || field === 2) && (t & 7) !== Wire.Bytes) expectWire(r, t & 7, Wire.Varint);
        else if (field === 3) expectWire(r, t & 7, Wire.Bytes);
        r.skip(t & 7, stop);
      }
    }
    if (nValues !== nTypes) {
      throw new ProfileError(`malformed profile: sample ${i} has ${nValues} values for ${nTypes} sample types`);
    }
  }
  stackStart[n] = len;
  return {
    length: n,
    stackStart,
    locations: len === stack.length ? stack : stack.subarray(0, len),
    values,
    ...(exactValues && { exactValues }),
    ...(labels && { labels: labels.finish(n) }),
  };
}

/**
 * decodePlainSamples decodes samples from `from` on while each is the plain kind nearly every
 * profile holds: a packed location_id field whose ids the dense table resolves and which fits in
 * `stack`, then a packed value field of nTypes values below 2^49, and nothing else. It returns the
 * first sample it did not take (n when it took all), with stackStart filled up to and including
 * that sample's start; the general loop decodes (or rejects) that sample. Small and apart, like
 * readPackedIds, so that V8 optimises it within the first samples.
 */
function decodePlainSamples(
  buf: Uint8Array,
  spans: Spans,
  from: number,
  nTypes: number,
  dense: Int32Array,
  stack: Uint32Array,
  stackStart: Uint32Array,
  values: Float64Array,
): number {
  const n = spans.count;
  let len = stackStart[from]!;
  for (let i = from; i < n; i++) {
    stackStart[i] = len;
    let pos = spans.start(i);
    const stop = spans.end(i);
    // location_id: tag, a length of one or two bytes, the ids.
    if (pos + 2 > stop || buf[pos] !== 0x0a) return i;
    let idBytes = buf[pos + 1]!;
    pos += 2;
    if (idBytes >= 0x80) {
      if (pos >= stop || buf[pos]! >= 0x80) return i;
      idBytes = (idBytes & 0x7f) | (buf[pos]! << 7);
      pos++;
    }
    const idStop = pos + idBytes;
    if (idStop + 2 > stop || len + idBytes > stack.length) return i;
    const next = readPackedIds(buf, pos, idStop, dense, stack, len);
    if (next < 0) return i;
    // value: tag, a one-byte length, the values, up to the end of the sample.
    pos = idStop;
    if (buf[pos] !== 0x12 || pos + 2 + buf[pos + 1]! !== stop) return i;
    pos += 2;
    const base = i * nTypes;
    let k = 0;
    while (pos < stop) {
      let b = buf[pos++]!;
      let v = b & 0x7f;
      for (let scale = 128; b >= 0x80; scale *= 128) {
        if (pos >= stop || scale > 2 ** 42) return i;
        b = buf[pos++]!;
        v += (b & 0x7f) * scale;
      }
      if (k === nTypes) return i;
      values[base + k++] = v;
    }
    if (k !== nTypes) return i;
    len = next;
  }
  stackStart[n] = len;
  return n;
}

/**
 * readPackedIds reads a packed field of location ids (up to three bytes each) through a dense id
 * table into out from position len; returns the new length, or -1 when it meets an id it cannot
 * take this way. Kept small and apart so that V8 optimises this, the decoder's hottest loop, early.
 */
function readPackedIds(buf: Uint8Array, pos: number, stop: number, dense: Int32Array, out: Uint32Array, len: number): number {
  while (pos < stop) {
    let b = buf[pos++]!;
    let id = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++]!;
      id |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++]!;
        if (b >= 0x80) return -1;
        id |= b << 14;
      }
    }
    if (pos > stop || id >= dense.length) return -1;
    const li = dense[id]!;
    if (li < 0) return -1;
    out[len++] = li;
  }
  return len;
}

/**
 * estimateStackEntries guesses the number of location ids of all samples from the first samples,
 * so that the stack table is allocated once in the common case (the decoder grows it when the
 * guess is short). Every varint ends with one byte below 0x80, and a plain sample is two tags, two
 * lengths, its ids and nTypes values: counting those bytes is a loop simple enough to be fast from
 * the start, unlike reading the fields. Labels or unpacked ids make the guess high, never low.
 */
function estimateStackEntries(buf: Uint8Array, spans: Spans, nTypes: number): number {
  const probe = Math.min(spans.count, 1024);
  let count = 0;
  let probeBytes = 0;
  for (let i = 0; i < probe; i++) {
    const start = spans.start(i);
    const end = spans.end(i);
    probeBytes += end - start;
    let ends = 0;
    for (let k = start; k < end; k++) if (buf[k]! < 0x80) ends++;
    count += Math.max(ends - 4 - nTypes, 0);
  }
  if (probe === spans.count) return count;
  // The bytes from the first sample to the last: the samples' own, and their tags and lengths
  // when (as always) they lie together.
  const bytes = spans.end(spans.count - 1) - spans.start(0);
  return Math.ceil((count / Math.max(probeBytes, 1)) * bytes * 1.03) + 1024;
}

function grow(a: Uint32Array, min: number): Uint32Array {
  const next = new Uint32Array(Math.max(min, Math.ceil(a.length * 1.25)));
  next.set(a);
  return next;
}

function backfill(values: Float64Array, upTo: number): BigInt64Array {
  const exact = new BigInt64Array(values.length);
  for (let i = 0; i < upTo; i++) exact[i] = BigInt(values[i]!);
  return exact;
}

/** LabelBuilder collects sample labels into a LabelTable. */
class LabelBuilder {
  private readonly start: Uint32Array;
  private readonly key = new Growable(Uint32Array);
  private readonly str = new Growable(Uint32Array);
  private readonly num = new Growable(Float64Array);
  private readonly numUnit = new Growable(Uint32Array);
  private lastSample: number;

  constructor(nSamples: number, firstSample: number) {
    this.start = new Uint32Array(nSamples + 1);
    this.lastSample = firstSample;
  }

  read(r: WireReader, stop: number, sample: number, nStrings: number): void {
    // Samples before this one (since the last with labels) have none.
    while (this.lastSample < sample) this.start[++this.lastSample] = this.key.length;
    let key = 0;
    let str = 0;
    let num = 0;
    let numUnit = 0;
    while (r.pos < stop) {
      const tag = r.varint(stop);
      const wire = tag & 7;
      if (wire !== Wire.Varint) {
        if (tag >>> 3 >= 1 && tag >>> 3 <= 4) expectWire(r, wire, Wire.Varint);
        r.skip(wire, stop);
        continue;
      }
      switch (tag >>> 3) {
        case 1:
          key = checkString(r.varint(stop), nStrings, 'a label key');
          break;
        case 2:
          str = checkString(r.varint(stop), nStrings, 'a label value');
          break;
        case 3:
          num = r.int64(stop);
          break;
        case 4:
          numUnit = checkString(r.varint(stop), nStrings, 'a label unit');
          break;
        default:
          r.skip(wire, stop);
      }
    }
    this.key.push(key);
    this.str.push(str);
    this.num.push(num);
    this.numUnit.push(numUnit);
    this.start[sample + 1] = this.key.length;
  }

  finish(nSamples: number): LabelTable {
    while (this.lastSample < nSamples) this.start[++this.lastSample] = this.key.length;
    return {
      start: this.start,
      key: this.key.finish(),
      str: this.str.finish(),
      num: this.num.finish(),
      numUnit: this.numUnit.finish(),
    };
  }
}

/**
 * checkRoomForValues refuses samples too short to hold a value per sample type before the value
 * table (samples × types) is allocated: a value takes a byte at least, so 295 gzipped bytes of
 * 65,536 types and 65,537 empty samples would otherwise ask for a table of 34 GB.
 */
function checkRoomForValues(spans: Spans, nTypes: number): void {
  const n = spans.count;
  if (n === 0 || nTypes === 0 || n * nTypes <= spans.end(n - 1) - spans.start(0)) return;
  for (let i = 0; i < n; i++) {
    const bytes = spans.end(i) - spans.start(i);
    if (bytes === 0) throw new ProfileError(`malformed profile: sample ${i} has 0 values for ${nTypes} sample types`);
    if (bytes < nTypes) throw new ProfileError(`malformed profile: sample ${i} is too short for ${nTypes} sample types`);
  }
}
