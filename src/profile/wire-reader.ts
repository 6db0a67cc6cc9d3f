// A protobuf wire-format reader over one byte array, with errors that say where the bytes went wrong.
// Encoding reference: https://protobuf.dev/programming-guides/encoding/

import { ProfileError } from './errors.js';

/** Wire types of the protobuf encoding. */
export const enum Wire {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  Fixed32 = 5,
}

const TWO_32 = 4294967296;

/** WireReader reads varints and length-delimited fields from buf between pos and a limit. */
export class WireReader {
  pos = 0;
  /** Low and high 32 bits of the last varint read by varint64(). */
  lo = 0;
  hi = 0;

  constructor(readonly buf: Uint8Array) {}

  truncated(at: number = this.pos): ProfileError {
    return new ProfileError(`truncated protobuf at byte ${at}`);
  }

  /** varint reads an unsigned varint as a number; exact up to 2^53. */
  varint(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw this.truncated(pos);
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let v = b & 0x7f;
    for (let shift = 7; shift < 28; shift += 7) {
      if (pos >= end) throw this.truncated(pos);
      b = buf[pos++]!;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return v >>> 0;
      }
    }
    // Five bytes or more: reread from the start with the 64-bit reader.
    this.varint64(end);
    return this.hi * TWO_32 + this.lo;
  }

  /** varint64 reads a varint into lo/hi (two's complement for negative int64). */
  varint64(end: number): void {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let i = 0; i < 4; i++) {
      if (pos >= end) throw this.truncated(pos);
      b = buf[pos++]!;
      lo = (lo | ((b & 0x7f) << (i * 7))) >>> 0;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo;
        this.hi = 0;
        return;
      }
    }
    if (pos >= end) throw this.truncated(pos);
    b = buf[pos++]!;
    lo = (lo | ((b & 0x7f) << 28)) >>> 0;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      let i = 0;
      for (; i < 5; i++) {
        if (pos >= end) throw this.truncated(pos);
        b = buf[pos++]!;
        hi = (hi | ((b & 0x7f) << (i * 7 + 3))) >>> 0;
        if (b < 0x80) break;
      }
      if (i === 5) throw new ProfileError(`bad varint at byte ${start}`);
    }
    this.pos = pos;
    this.lo = lo;
    this.hi = hi;
  }

  /** int64 reads a signed int64 varint as a number (exact within ±2^53). */
  int64(end: number): number {
    const pos = this.pos;
    if (pos < end && this.buf[pos]! < 0x80) {
      this.pos = pos + 1;
      return this.buf[pos]!;
    }
    this.varint64(end);
    return (this.hi | 0) * TWO_32 + this.lo;
  }

  /** uint64 reads an unsigned varint exactly, as a bigint. */
  uint64(end: number): bigint {
    this.varint64(end);
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** lastInt64Exact is the exact value of the last varint64/int64 read, as a signed bigint. */
  lastInt64Exact(): bigint {
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }

  /** bytesEnd reads a length prefix and returns the end of the field it delimits. */
  bytesEnd(end: number): number {
    const at = this.pos;
    const len = this.varint(end);
    const stop = this.pos + len;
    if (stop > end) throw new ProfileError(`truncated protobuf at byte ${at}: field of ${len} bytes runs past the end`);
    return stop;
  }

  /** skip passes over a field of the given wire type. */
  skip(wire: number, end: number): void {
    switch (wire) {
      case Wire.Varint:
        this.varint64(end);
        return;
      case Wire.Fixed64:
        this.advance(8, end);
        return;
      case Wire.Bytes:
        this.pos = this.bytesEnd(end);
        return;
      case Wire.Fixed32:
        this.advance(4, end);
        return;
      default:
        throw new ProfileError(`bad wire type ${wire} at byte ${this.pos}`);
    }
  }

  private advance(n: number, end: number): void {
    if (this.pos + n > end) throw this.truncated(this.pos);
    this.pos += n;
  }
}
