// Strings of a profile are bytes, not necessarily UTF-8: Go keeps them as they are and pprof
// prints them byte for byte. JavaScript strings cannot hold arbitrary bytes, so a byte that is not
// part of valid UTF-8 is kept as the lone surrogate U+DC80–U+DCFF (U+DC00 + the byte, as Python's
// "surrogateescape" does). Valid UTF-8 never decodes to a lone surrogate, so the mapping is exact
// both ways: textBytes gives back the very bytes the profile held, for output, files and re-encoding.

import { Buffer } from 'node:buffer';

/** keptBytePattern matches one kept byte: a lone U+DC80–U+DCFF (the `u` flag skips surrogate pairs). */
export const keptBytePattern = /[\uDC80-\uDCFF]/u;

const keptByteSplit = /([\uDC80-\uDCFF])/u;

/**
 * decodeKeepingBytes decodes buf[start, end) as UTF-8 by Go's rules (utf8.DecodeRune): each byte
 * that does not begin a valid sequence becomes a kept byte, and decoding goes on at the next byte.
 */
export function decodeKeepingBytes(buf: Uint8Array, start: number, end: number): string {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const fast = b.toString('utf8', start, end);
  // Node writes U+FFFD for what it cannot decode: without one, the text was valid UTF-8.
  if (!fast.includes('\uFFFD')) return fast;
  const units: number[] = [];
  let out = '';
  const flush = (): void => {
    out += String.fromCharCode(...units);
    units.length = 0;
  };
  const cont = (i: number, lo = 0x80, hi = 0xbf): boolean => i < end && buf[i]! >= lo && buf[i]! <= hi;
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    let n = 0;
    if (c < 0x80) n = 1;
    else if (c >= 0xc2 && c <= 0xdf) n = cont(i + 1) ? 2 : 0;
    else if (c >= 0xe0 && c <= 0xef) {
      const lo = c === 0xe0 ? 0xa0 : 0x80;
      const hi = c === 0xed ? 0x9f : 0xbf;
      n = cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
    } else if (c >= 0xf0 && c <= 0xf4) {
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      n = cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (n === 0) {
      units.push(0xdc00 + c);
      i++;
    } else {
      const s = b.toString('utf8', i, i + n);
      for (let k = 0; k < s.length; k++) units.push(s.charCodeAt(k));
      i += n;
    }
    if (units.length > 4096) flush();
  }
  flush();
  return out;
}

/** textBytes encodes a string as UTF-8, each kept byte back to the byte it stands for. */
export function textBytes(s: string): Buffer {
  if (!keptBytePattern.test(s)) return Buffer.from(s, 'utf8');
  const parts = s.split(keptByteSplit);
  // split with a capture group alternates text (even) and kept bytes (odd).
  return Buffer.concat(parts.map((p, i) => (i % 2 === 1 ? Buffer.of(p.charCodeAt(0) - 0xdc00) : Buffer.from(p, 'utf8'))));
}
