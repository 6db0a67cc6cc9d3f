// Encodes a Profile back into profile.proto bytes (optionally gzipped, as pprof writes them).
// Ids are written as they were read, so decode → encode → decode gives back the same tables.

import { gzipSync } from 'node:zlib';
import type { Profile } from './model.js';
import { textBytes } from './text-bytes.js';

/** ByteWriter appends protobuf wire data to a growing buffer. */
class ByteWriter {
  buf = new Uint8Array(1 << 16);
  pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** varint writes a non-negative integer up to 2^53. */
  varint(v: number): void {
    this.ensure(10);
    const buf = this.buf;
    while (v >= 0x80) {
      buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    buf[this.pos++] = v;
  }

  /** int64 writes a signed int64 (two's complement for negatives, as protobuf's int64). */
  int64(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0) return this.varint(v);
    this.uint64(BigInt.asUintN(64, BigInt(v)));
  }

  uint64(v: bigint): void {
    if (v < 0x20000000000000n) return this.varint(Number(v));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** field writes a varint field, leaving out zero as proto3 does. */
  field(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, 0);
    this.int64(v);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** message writes a length-delimited submessage built by fill() into a scratch writer. */
  message(field: number, scratch: ByteWriter, fill: (w: ByteWriter) => void): void {
    scratch.pos = 0;
    fill(scratch);
    this.bytes(field, scratch.buf.subarray(0, scratch.pos));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** encodeProfileProto writes a Profile as uncompressed profile.proto bytes. */
export function encodeProfileProto(p: Profile): Uint8Array {
  const w = new ByteWriter();
  const s1 = new ByteWriter();
  const s2 = new ByteWriter();
  const index = stringIndexer(p);

  for (const st of p.sampleTypes) {
    w.message(1, s1, (m) => {
      m.field(1, index(st.type));
      m.field(2, index(st.unit));
    });
  }

  const { samples, locations, functions } = p;
  const nTypes = p.sampleTypes.length;
  const labels = samples.labels;
  for (let i = 0; i < samples.length; i++) {
    w.message(2, s1, (m) => {
      const a = samples.stackStart[i]!;
      const b = samples.stackStart[i + 1]!;
      if (b > a) {
        m.message(1, s2, (packed) => {
          for (let k = a; k < b; k++) packed.varint(locations.id[samples.locations[k]!]!);
        });
      }
      if (nTypes > 0) {
        m.message(2, s2, (packed) => {
          for (let t = 0; t < nTypes; t++) {
            const at = i * nTypes + t;
            packed.int64(samples.exactValues ? samples.exactValues[at]! : samples.values[at]!);
          }
        });
      }
      if (labels) {
        for (let k = labels.start[i]!; k < labels.start[i + 1]!; k++) {
          m.message(3, s2, (l) => {
            l.field(1, labels.key[k]!);
            l.field(2, labels.str[k]!);
            l.field(3, labels.num[k]!);
            l.field(4, labels.numUnit[k]!);
          });
        }
      }
    });
  }

  for (const mp of p.mappings) {
    w.message(3, s1, (m) => {
      m.field(1, mp.id);
      if (mp.memoryStart) (m.tag(2, 0), m.uint64(mp.memoryStart));
      if (mp.memoryLimit) (m.tag(3, 0), m.uint64(mp.memoryLimit));
      if (mp.fileOffset) (m.tag(4, 0), m.uint64(mp.fileOffset));
      m.field(5, index(mp.file));
      m.field(6, index(mp.buildId));
      m.field(7, mp.hasFunctions ? 1 : 0);
      m.field(8, mp.hasFilenames ? 1 : 0);
      m.field(9, mp.hasLineNumbers ? 1 : 0);
      m.field(10, mp.hasInlineFrames ? 1 : 0);
    });
  }

  for (let i = 0; i < locations.length; i++) {
    w.message(4, s1, (m) => {
      m.field(1, locations.id[i]!);
      const mi = locations.mapping[i]!;
      if (mi >= 0) m.field(2, p.mappings[mi]!.id);
      const addr = locations.address[i]!;
      if (addr) (m.tag(3, 0), m.uint64(addr));
      for (let k = locations.lineStart[i]!; k < locations.lineStart[i + 1]!; k++) {
        m.message(4, s2, (l) => {
          const fn = locations.lineFunction[k]!;
          if (fn >= 0) l.field(1, functions.id[fn]!);
          l.field(2, locations.lineNumber[k]!);
          l.field(3, locations.lineColumn[k]!);
        });
      }
      m.field(5, locations.isFolded[i]!);
    });
  }

  for (let i = 0; i < functions.length; i++) {
    w.message(5, s1, (m) => {
      m.field(1, functions.id[i]!);
      m.field(2, functions.name[i]!);
      m.field(3, functions.systemName[i]!);
      m.field(4, functions.filename[i]!);
      m.field(5, functions.startLine[i]!);
    });
  }

  // Header strings get their indexes before the table is written, so that any they add are in it.
  const header = {
    dropFrames: index(p.dropFrames),
    keepFrames: index(p.keepFrames),
    periodType: p.periodType && [index(p.periodType.type), index(p.periodType.unit)],
    comments: p.comments.map(index),
    defaultSampleType: index(p.defaultSampleType),
    docUrl: index(p.docUrl),
  };
  // textBytes: bytes that were not UTF-8 in the source profile are written back as they were.
  for (const s of index.table) w.bytes(6, textBytes(s));

  w.field(7, header.dropFrames);
  w.field(8, header.keepFrames);
  if (p.timeNanosExact !== undefined) {
    w.tag(9, 0);
    w.int64(p.timeNanosExact);
  } else {
    w.field(9, p.timeNanos);
  }
  w.field(10, p.durationNanos);
  const pt = header.periodType;
  if (pt) {
    w.message(11, s1, (m) => {
      m.field(1, pt[0]!);
      m.field(2, pt[1]!);
    });
  }
  w.field(12, p.period);
  if (header.comments.length > 0) {
    w.message(13, s1, (m) => {
      for (const c of header.comments) m.varint(c);
    });
  }
  w.field(14, header.defaultSampleType);
  w.field(15, header.docUrl);
  return w.finish();
}

/**
 * stringIndexer returns the index of a string in the profile's table, appending strings the
 * table lacks (header strings of a profile built in memory); `table` is the final table.
 */
function stringIndexer(p: Profile): ((s: string) => number) & { table: string[] } {
  const table = p.strings.length > 0 ? [...p.strings] : [''];
  const map = new Map<string, number>();
  table.forEach((s, i) => {
    if (!map.has(s)) map.set(s, i);
  });
  const fn = (s: string): number => {
    let i = map.get(s);
    if (i === undefined) {
      i = table.length;
      table.push(s);
      map.set(s, i);
    }
    return i;
  };
  return Object.assign(fn, { table });
}

/** encodeProfile writes a Profile as gzipped profile.proto, the form pprof saves. */
export function encodeProfile(p: Profile): Uint8Array {
  return gzipSync(encodeProfileProto(p));
}
