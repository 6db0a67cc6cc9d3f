// Go's count profiles as text: what `/debug/pprof/goroutine?debug=1` and `threadcreate?debug=1`
// answer (runtime/pprof's printCountProfile):
//
//   goroutine profile: total 15
//   7 @ 0x437836 0x4063db 0x405f18 0x4bae95 0x463101          count, return addresses (leaf first)
//   #	0x4bae94	main.leakWorker+0x34	/src/main.go:35       one comment per frame: pc, name+offset, file:line
//
// pprof reads the first two kinds of line (legacy_profile.go, parseGoCount) and ignores the `#`
// lines, so without the binary every frame is `<unknown>`. proflens keeps pprof's values and
// structure (addresses taken back by one, one location per address, one sample per stack) and
// gives each location the function, file and line its `#` lines name: the runtime prints the
// call's pc, which is the return address less one, the very address pprof keys the location by.
//
// The runtime leaves leading `runtime.*` frames (gopark and the like) and runtime.goexit out of the
// `#` lines, so those locations keep only their address, as in pprof.
//
// Where pprof refuses the text, proflens reads it: a stack of no addresses (`5 @`, threadcreate's
// threads started before profiling) is a sample with an empty stack, and a `# labels: {...}` tail on
// the count line (goroutines with pprof labels) is dropped.

import { Buffer } from 'node:buffer';
import { ProfileError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { StringTable } from '../profile/string-table.js';
import { AddressLocations } from '../profile/address-locations.js';

const headerRe = /^(\S+) profile: total \d+\r?$/;
/** pprof reads lines with bufio.Scanner, whose lines end at 64 KiB; a longer one is refused. */
const maxLine = 64 * 1024;

/** isGoCountText tells whether bytes start as a goroutine or threadcreate debug=1 profile does. */
export function isGoCountText(data: Uint8Array): boolean {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 128)).toString('latin1');
  const first = head.split('\n', 1)[0]!;
  return headerRe.test(first) && !first.startsWith('heap ');
}

interface Frame {
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

/** parseGoCountText reads a count profile's text; errors say which line is wrong. */
export function parseGoCountText(data: Uint8Array): Profile {
  const text = Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
  const lines = text.split('\n');
  const fail = (i: number, why: string): never => {
    throw new ProfileError(`count profile text, line ${i + 1}: ${why}`);
  };
  const type = headerRe.exec(lines[0]!.replace(/\r$/, ''))![1]!;

  const locations = new AddressLocations();
  /** The frames the `#` lines name at each location, leaf (innermost inlined) first. */
  const framesAt: Frame[][] = [];
  const stacks: number[][] = [];
  const counts: number[] = [];
  /** Locations the current sample's `#` lines already named, so a repeated stack adds nothing twice. */
  let named = new Set<number>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.length > maxLine) fail(i, 'longer than 64 KiB');
    const l = lines[i]!.replace(/\r$/, '');
    if (l.trim() === '') continue;
    if (l.startsWith('---')) break;
    if (l.startsWith('#')) {
      // `#\t0xPC\tNAME+0xOFF\tFILE:LINE`, the columns padded with tabs; `#\t0xPC` alone when the
      // runtime knows no name; `# labels: ...` in some runtimes' own layout.
      const cols = l.slice(1).split('\t').filter((c) => c !== '');
      if (cols.length < 3 || !/^0x[0-9a-f]+$/.test(cols[0]!)) continue;
      const pc = BigInt(cols[0]!);
      const loc = locations.get(pc);
      if (loc === undefined) continue;
      const nameOff = cols[1]!;
      const plus = nameOff.lastIndexOf('+0x');
      const name = plus > 0 ? nameOff.slice(0, plus) : nameOff;
      const where = cols.slice(2).join('\t');
      const colon = where.lastIndexOf(':');
      const lineNo = colon > 0 ? Number(where.slice(colon + 1)) : 0;
      const frame = { name, file: colon > 0 ? where.slice(0, colon) : where, line: Number.isSafeInteger(lineNo) && lineNo > 0 ? lineNo : 0 };
      // A stack seen before (another sample with the same address) names it again: keep the first.
      if (!named.has(loc) && framesAt[loc]!.length > 0) continue;
      named.add(loc);
      framesAt[loc]!.push(frame);
      continue;
    }
    const at = l.indexOf(' @');
    const countText = at > 0 ? l.slice(0, at) : '';
    if (!/^\d+$/.test(countText)) fail(i, 'not a sample (count @ addresses)');
    const count = Number(countText);
    if (!Number.isSafeInteger(count)) fail(i, `count ${countText} is out of range`);
    let rest = l.slice(at + 2);
    const labels = rest.indexOf(' # labels:');
    if (labels >= 0) rest = rest.slice(0, labels);
    const stack: number[] = [];
    for (const hex of rest.split(' ')) {
      if (hex === '') continue;
      if (!/^0x[0-9a-f]{1,16}$/.test(hex)) fail(i, `${JSON.stringify(hex.slice(0, 40))} is not an address`);
      const loc = locations.intern(hex);
      if (loc === framesAt.length) framesAt.push([]);
      stack.push(loc);
    }
    stacks.push(stack);
    counts.push(count);
    named = new Set();
  }
  return buildProfile(type, locations.addresses, framesAt, stacks, counts);
}

function buildProfile(type: string, addresses: bigint[], framesAt: Frame[][], stacks: number[][], counts: number[]): Profile {
  const table = new StringTable();
  const str = (s: string): number => table.add(s);
  const functionOf = new Map<string, number>();
  const fnName: number[] = [];
  const fnFile: number[] = [];
  const lineStart = new Uint32Array(addresses.length + 1);
  const lineFunction: number[] = [];
  const lineNumber: number[] = [];
  for (let loc = 0; loc < addresses.length; loc++) {
    for (const f of framesAt[loc]!) {
      const key = `${f.name}\n${f.file}`;
      let fn = functionOf.get(key);
      if (fn === undefined) {
        fn = fnName.length;
        functionOf.set(key, fn);
        fnName.push(str(f.name));
        fnFile.push(str(f.file));
      }
      lineFunction.push(fn);
      lineNumber.push(f.line);
    }
    lineStart[loc + 1] = lineFunction.length;
  }
  const n = addresses.length;
  const named = lineFunction.length > 0;
  const stackStart = new Uint32Array(stacks.length + 1);
  for (let s = 0; s < stacks.length; s++) stackStart[s + 1] = stackStart[s]! + stacks[s]!.length;
  const nf = fnName.length;
  return {
    strings: table.list,
    sampleTypes: [{ type, unit: 'count' }],
    defaultSampleType: '',
    samples: { length: stacks.length, stackStart, locations: Uint32Array.from(stacks.flat()), values: Float64Array.from(counts) },
    // pprof gives locations with an address a fake mapping covering all memory (remapMappingIDs).
    mappings: n > 0 ? [{ id: 1, memoryStart: 0n, memoryLimit: 2n ** 64n - 1n, fileOffset: 0n, file: '', buildId: '', hasFunctions: named, hasFilenames: named, hasLineNumbers: named, hasInlineFrames: false }] : [],
    locations: {
      length: n,
      id: Float64Array.from({ length: n }, (_, k) => k + 1),
      mapping: new Int32Array(n),
      address: BigUint64Array.from(addresses),
      isFolded: new Uint8Array(n),
      lineStart,
      lineFunction: Int32Array.from(lineFunction),
      lineNumber: Float64Array.from(lineNumber),
      lineColumn: new Float64Array(lineFunction.length),
    },
    functions: { length: nf, id: Float64Array.from({ length: nf }, (_, k) => k + 1), name: Uint32Array.from(fnName), systemName: Uint32Array.from(fnName), filename: Uint32Array.from(fnFile), startLine: new Float64Array(nf) },
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: { type, unit: 'count' },
    period: 1,
    comments: [],
    docUrl: '',
  };
}
