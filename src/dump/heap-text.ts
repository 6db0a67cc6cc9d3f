// Go's heap profile as text: what `/debug/pprof/heap?debug=1` and `allocs?debug=1` answer (the same
// text; runtime/pprof's writeHeapInternal):
//
//   heap profile: 27: 1475072 [797: 7937136] @ heap/32768     totals; 2 × MemProfileRate
//   19: 1245184 [19: 1245184] @ 0x4b93fd 0x4b97cd 0x437692    in use objects: bytes [allocated objects: bytes], stack
//   #	0x4b93fc	main.retainBlocks+0x5c	/src/main.go:32       frames (frame-comments.ts)
//   # runtime.MemStats …                                        a trailer of comments
//
// pprof reads it with its legacy parser (profile/legacy_profile.go, parseHeap), so proflens reads
// it by the same rules, and names the frames from the `#` lines:
// - sample types alloc_objects, alloc_space, inuse_objects, inuse_space when the allocated totals
//   differ from the in-use ones (as Go's always do), else objects, space; period type space/bytes;
// - `@ heap/N` is an old C++ convention for twice the rate: the period is N/2 (`heap_v2/N`,
//   `heapz_v2/N`: N), and each count and size is unsampled by 1/(1-e^(-avg/period)), avg the
//   sample's average object size, truncated to integers as Go's int64() does;
// - a numeric label `bytes`, the average object size before unsampling;
// - as pprof's merge of the one profile does: samples whose values are all zero are dropped (Go
//   lists every allocation site it ever sampled), samples with the same stack and size are summed,
//   and locations are numbered in the order the remaining samples first use them.
// pprof also sets drop_frames to its list of allocator functions (runtime\..* among them); proflens
// does not: with no binary pprof names nothing, so drops nothing, and the runtime already leaves
// the allocator's leading runtime frames out of the `#` lines. With the `#` names, that list would
// cut runtime.main off every stack whose runtime.goexit has no `#` line.

import { Buffer } from 'node:buffer';
import { ProfileError } from '../profile/errors.js';
import type { Profile, ValueType } from '../profile/model.js';
import { StringTable } from '../profile/string-table.js';
import { FrameComments } from './frame-comments.js';

const headerRe = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/;
const otherHeaderRe = /heap profile: *\d+: *\d+ *\[ *\d+: *\d+ *\] @ (?:growthz?|fragmentationz?)/;
// pprof's heapSampleRE, its numbers bounded to what an int64 can hold (longer runs are refused
// first): RE2 matches in linear time, a RegExp with `\d+` unanchored backtracks quadratically.
const sampleRe = /(-?\d{1,19}): *(-?\d{1,19}) *\[ *(\d{1,19}): *(\d{1,19}) *\] @([ x0-9a-f]*)/;
/** pprof reads lines with bufio.Scanner, whose lines end at 64 KiB: longer ones fail it. */
const maxLine = 64 * 1024;
const memoryMapSentinels = ['--- Memory map: ---', 'MAPPED_LIBRARIES:'];

/** isHeapText tells whether bytes start as a heap profile's text does (`heap profile: …`). */
export function isHeapText(data: Uint8Array): boolean {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 256)).toString('latin1');
  const first = head.split('\n', 1)[0]!;
  return first.startsWith('heap profile:') && (headerRe.test(first) || otherHeaderRe.test(first));
}

/** What the header says about sampling: the period, and whether samples are unsampled by it. */
interface Sampling {
  readonly period: number;
  readonly unsample: boolean;
  readonly hasAlloc: boolean;
}

function readHeader(first: string, fail: (why: string) => never): Sampling {
  const h = headerRe.exec(first);
  if (!h) return { period: 1, unsample: false, hasAlloc: false };
  const [, inuseObjects, inuseBytes, allocObjects, allocBytes, kind, rate] = h as unknown as string[];
  const n = rate === '' ? 0 : Number(rate);
  if (!Number.isSafeInteger(n)) fail(`sampling rate ${rate!.slice(0, 40)} is out of range`);
  // Compared as text, as pprof does: any difference but a zero means allocations are listed too.
  const hasAlloc = (allocObjects !== inuseObjects && allocObjects !== '0') || (allocBytes !== inuseBytes && allocBytes !== '0');
  switch (kind) {
    case 'heapz_v2':
    case 'heap_v2':
      return { period: n, unsample: true, hasAlloc };
    case 'heapprofile':
      return { period: 1, unsample: false, hasAlloc };
    case 'heap':
      return { period: Math.trunc(n / 2), unsample: true, hasAlloc };
    default:
      return fail(`unknown sampling ${JSON.stringify(kind!.slice(0, 40))} in the header`);
  }
}

/**
 * unsample estimates what a sampled count and size stood for: a block of average size S was
 * sampled with probability 1-e^(-S/rate) (a Poisson process of mean rate bytes).
 */
function unsample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const scale = 1 / (1 - Math.exp(-size / count / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

/** parseHeapText reads a heap profile's text; errors say which line is wrong. */
export function parseHeapText(data: Uint8Array): Profile {
  const text = Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
  const lines = text.split('\n');
  const fail = (i: number, why: string): never => {
    throw new ProfileError(`heap profile text, line ${i + 1}: ${why}`);
  };
  const first = lines[0]!.replace(/\r$/, '');
  if (first.length > maxLine) fail(0, 'longer than 64 KiB');
  const sampling = readHeader(first, (why) => fail(0, why));
  const int = (i: number, s: string): number => {
    const v = Number(s);
    if (s.length > 18 && (BigInt(s) > 2n ** 63n - 1n || BigInt(s) < -(2n ** 63n))) fail(i, `${s} is out of range`);
    return v;
  };

  const frames = new FrameComments();
  const nTypes = sampling.hasAlloc ? 4 : 2;
  const values: number[] = [];
  const stacks: number[][] = [];
  const blockSizes: number[] = [];
  /** Samples by stack and block size: pprof's merge sums samples alike in both. */
  const sampleOf = new Map<string, number>();
  let i = 1;
  for (; i < lines.length; i++) {
    if (lines[i]!.length > maxLine) fail(i, 'longer than 64 KiB');
    const l = lines[i]!.trim();
    if (l === '') continue;
    if (l.startsWith('#')) {
      frames.comment(l);
      continue;
    }
    if (memoryMapSentinels.some((s) => l.includes(s))) break;
    if (/\d{20}/.test(l)) fail(i, 'a number is out of range');
    const m = sampleRe.exec(l) ?? fail(i, 'not a sample (objects: bytes [objects: bytes] @ addresses)');
    frames.nextSample();
    let blockSize = 0;
    const v: number[] = [];
    const add = (countText: string, sizeText: string, what: string): void => {
      let count = int(i, countText);
      let size = int(i, sizeText);
      if (count === 0 && size !== 0) fail(i, `${what} count was 0 but ${what} bytes was ${sizeText}`);
      if (count !== 0) {
        blockSize = Math.trunc(size / count);
        if (sampling.unsample) [count, size] = unsample(count, size, sampling.period);
      }
      v.push(count, size);
    };
    if (sampling.hasAlloc) add(m[3]!, m[4]!, 'allocation');
    add(m[1]!, m[2]!, 'inuse');
    if (v.every((x) => x === 0)) continue;
    const hexes = m[5]!.match(/0x[0-9a-f]+/g) ?? [];
    for (const hex of hexes) if (hex.length > 18 && BigInt(hex) >= 2n ** 64n) fail(i, `address ${hex} is beyond 64 bits`);
    const stack = hexes.map((hex) => frames.location(hex));
    const key = `${stack.join(' ')}|${blockSize}`;
    const seen = sampleOf.get(key);
    if (seen !== undefined) {
      for (let t = 0; t < nTypes; t++) values[seen * nTypes + t]! += v[t]!;
      continue;
    }
    sampleOf.set(key, stacks.length);
    stacks.push(stack);
    blockSizes.push(blockSize);
    values.push(...v);
  }
  for (; i < lines.length; i++) {
    // A memory map would give the locations their binaries; Go's runtime never writes one.
    if (memoryMapSentinels.some((s) => lines[i]!.includes(s))) fail(i, 'memory map sections are not read');
  }
  return buildProfile(sampling, frames, stacks, values, blockSizes);
}

function buildProfile(sampling: Sampling, frames: FrameComments, stacks: number[][], values: number[], blockSizes: number[]): Profile {
  const table = new StringTable();
  const { locations, functions } = frames.tables(table);
  const bytesKey = table.add('bytes');
  const sampleTypes: ValueType[] = sampling.hasAlloc
    ? [
        // Allocations first, so that the default (the last type) is inuse_space, as pprof wants.
        { type: 'alloc_objects', unit: 'count' },
        { type: 'alloc_space', unit: 'bytes' },
        { type: 'inuse_objects', unit: 'count' },
        { type: 'inuse_space', unit: 'bytes' },
      ]
    : [
        { type: 'objects', unit: 'count' },
        { type: 'space', unit: 'bytes' },
      ];
  for (const t of sampleTypes) table.add(t.type), table.add(t.unit);
  const n = stacks.length;
  const stackStart = new Uint32Array(n + 1);
  for (let s = 0; s < n; s++) stackStart[s + 1] = stackStart[s]! + stacks[s]!.length;
  return {
    strings: table.list,
    sampleTypes,
    defaultSampleType: '',
    samples: {
      length: n,
      stackStart,
      locations: Uint32Array.from(stacks.flat()),
      values: Float64Array.from(values),
      labels: {
        start: Uint32Array.from({ length: n + 1 }, (_, k) => k),
        key: new Uint32Array(n).fill(bytesKey),
        str: new Uint32Array(n),
        num: Float64Array.from(blockSizes),
        numUnit: new Uint32Array(n),
      },
    },
    mappings: frames.mappings(),
    locations,
    functions,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: { type: 'space', unit: 'bytes' },
    period: sampling.period,
    comments: [],
    docUrl: '',
  };
}
