// Deterministic mutants of the fixture profiles for the fuzz test: bit flips, truncations, byte
// insertions and corrupted length varints, from a seeded generator so that a failure names a
// mutant that can be made again.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mulberry32 } from '../bench/synthetic.js';

/** Mutant is one damaged profile and how it was made. */
export interface Mutant {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** lengthVarints lists where the length varint of each length-delimited field starts, at any depth it can follow. */
function lengthVarints(buf: Uint8Array, start: number, end: number, out: number[], depth: number): void {
  let pos = start;
  const varint = (): number | undefined => {
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= end) return undefined;
      const b = buf[pos++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
    return undefined;
  };
  while (pos < end) {
    const tag = varint();
    if (tag === undefined) return;
    const wire = tag & 7;
    if (wire === 0) {
      if (varint() === undefined) return;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const at = pos;
      const len = varint();
      if (len === undefined || pos + len > end) return;
      out.push(at);
      // Messages nest (a sample, a location and its lines); strings end the walk soon enough.
      if (depth < 2) lengthVarints(buf, pos, pos + len, out, depth + 1);
      pos += len;
    } else return;
  }
}

function encodeVarint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function skipVarint(buf: Uint8Array, pos: number): number {
  while (pos < buf.length && buf[pos]! >= 0x80) pos++;
  return pos + 1;
}

type Mutation = (raw: Uint8Array, rand: () => number) => { bytes: Uint8Array; how: string };

const pick = (rand: () => number, n: number): number => Math.floor(rand() * n);

const mutations: readonly Mutation[] = [
  (raw, rand) => {
    const b = Uint8Array.from(raw);
    const flips = 1 + pick(rand, 8);
    for (let i = 0; i < flips; i++) b[pick(rand, b.length)]! ^= 1 << pick(rand, 8);
    return { bytes: b, how: `${flips} bit flips` };
  },
  (raw, rand) => {
    // Half of the cuts fall in the first bytes, where nearly nothing (or nothing) is left.
    const at = pick(rand, 2) === 0 ? pick(rand, 16) : pick(rand, raw.length);
    return { bytes: raw.subarray(0, at), how: `truncated at ${at}` };
  },
  (raw, rand) => {
    const at = pick(rand, raw.length + 1);
    const extra = Uint8Array.from({ length: 1 + pick(rand, 16) }, () => pick(rand, 256));
    return { bytes: Buffer.concat([raw.subarray(0, at), extra, raw.subarray(at)]), how: `${extra.length} bytes inserted at ${at}` };
  },
  (raw, rand) => {
    const at: number[] = [];
    lengthVarints(raw, 0, raw.length, at, 0);
    const pos = at[pick(rand, at.length)] ?? 0;
    const choices = [0, 1, 0x7f, 0x80, 0x3fff, 0xffffffff, 2 ** 35, raw.length, pick(rand, 64)];
    const len = choices[pick(rand, choices.length)]!;
    const bytes = Buffer.concat([raw.subarray(0, pos), Buffer.from(encodeVarint(len)), raw.subarray(skipVarint(raw, pos))]);
    return { bytes, how: `length at ${pos} set to ${len}` };
  },
];

/**
 * mutants makes `count` mutants of the fixture profiles from `seed`: each a mutation of a
 * profile's raw protobuf, gzipped again for one mutant in three; a few also damage the gzip stream.
 */
export function mutants(dir: string, count: number, seed: number): Mutant[] {
  const rand = mulberry32(seed);
  const files = readdirSync(dir).filter((f) => f.endsWith('.pb.gz')).sort();
  const raws = files.map((f) => gunzipSync(readFileSync(join(dir, f))));
  const out: Mutant[] = [];
  for (let i = 0; i < count; i++) {
    const k = pick(rand, files.length);
    const m = pick(rand, mutations.length);
    const { bytes, how } = mutations[m]!(raws[k]!, rand);
    const zipped = pick(rand, 3) === 0;
    let final: Uint8Array = zipped ? gzipSync(bytes) : bytes;
    let gz = '';
    if (zipped && pick(rand, 4) === 0) {
      // The gzip stream itself damaged: its tail cut, or a byte of it changed.
      if (pick(rand, 2) === 0) final = final.subarray(0, pick(rand, final.length));
      else {
        final = Uint8Array.from(final);
        final[10 + pick(rand, final.length - 10)]! ^= 0x5a;
      }
      gz = ', gzip damaged';
    }
    out.push({ name: `mutant ${i} of ${files[k]}: ${how}${zipped ? ', gzipped' : ''}${gz}`, bytes: final });
  }
  return out;
}
