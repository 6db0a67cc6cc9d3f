// Go's legacy text contention profiles: what `/debug/pprof/mutex?debug=1` and `block?debug=1`
// answer (`--- mutex:`, `--- contention:`), and C++'s `--- contentionz`. pprof reads them
// (profile/legacy_profile.go, parseContention), so proflens reads them by the same rules:
//
//   --- mutex:
//   cycles/second=3491920901          attributes, `key=value`, before the samples
//   sampling period=1
//   43227965305 1659640 @ 0x45e851 0x45f764 …    delay in cycles, count, stack addresses
//   #	0x45e850	sync.(*Mutex).Unlock+0x80	…    comments: pprof ignores them, so do we
//
// Values are unsampled as pprof does: count × period, and delay cycles × period ÷ (cycles/s ÷ 1e9)
// as nanoseconds. Each address is taken back by one (to land on the call) and becomes a location
// without lines; with no symbols, views show addresses or `<unknown>`, as pprof does.

import { Buffer } from 'node:buffer';
import { ProfileError } from './errors.js';
import type { Profile } from './model.js';
import { AddressLocations } from './address-locations.js';

const headers = ['--- contentionz ', '--- mutex:', '--- contention:'];
const hexNumber = /0x[0-9a-f]+/g;
/** pprof reads lines with bufio.Scanner, whose lines end at 64 KiB: longer ones fail it. */
const maxLine = 64 * 1024;
const int64Max = 2n ** 63n - 1n;

/** isLegacyContention tells whether bytes start as a legacy text contention profile does. */
export function isLegacyContention(data: Uint8Array): boolean {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 32)).toString('latin1');
  return headers.some((h) => head.startsWith(h));
}

/** parseLegacyContention reads a legacy contention profile; errors say which line is wrong. */
export function parseLegacyContention(data: Uint8Array): Profile {
  const text = Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const fail = (i: number, why: string): never => {
    throw new ProfileError(`legacy contention profile, line ${i + 1}: ${why}`);
  };
  const line = (i: number): string => {
    const l = lines[i]!;
    if (l.length > maxLine) fail(i, 'longer than 64 KiB');
    return l.endsWith('\r') ? l.slice(0, -1) : l;
  };
  // Go's ParseInt(s, 0, 64) for the attributes: decimal, 0x, 0o, 0b or a leading 0 for octal.
  const int64 = (i: number, s: string, what: string): bigint => {
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.exec(s);
    if (!m) return fail(i, `${what} ${JSON.stringify(s)} is not an integer`);
    const digits = m[2]!;
    const n = /^0[0-7]/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : /^0[oO]/.test(digits) ? BigInt(`0o${digits.slice(2)}`) : BigInt(digits);
    const v = m[1] === '-' ? -n : n;
    if (v > int64Max || v < -int64Max - 1n) fail(i, `${what} ${s} is out of range`);
    return v;
  };
  const comment = (l: string): boolean => l === '' || l.startsWith('#');

  let period = 1;
  let cpuHz = 0;
  let durationNanos = 0;
  let i = 1;
  for (; i < lines.length; i++) {
    const l = line(i).trim();
    if (comment(l)) continue;
    if (l.startsWith('---')) break;
    const eq = l.indexOf('=');
    if (eq < 0) break;
    const key = l.slice(0, eq).trim();
    const val = l.slice(eq + 1).trim();
    if (key === 'cycles/second') cpuHz = Number(int64(i, val, key));
    else if (key === 'sampling period') period = Number(int64(i, val, key));
    else if (key === 'ms since reset') durationNanos = Number(int64(i, val, key)) * 1e6;
    else if (key !== 'discarded samples') fail(i, `unknown attribute ${JSON.stringify(key)}`);
  }

  const locations = new AddressLocations();
  const stacks: number[][] = [];
  const values: number[] = [];
  for (; i < lines.length; i++) {
    const l = line(i).trim();
    if (l.startsWith('---')) break;
    if (comment(l)) continue;
    const m = matchSampleLine(l) ?? fail(i, 'not a sample (delay count @ addresses)');
    let delay = Number(int64(i, m[0], 'delay'));
    let count = Number(int64(i, m[1], 'count'));
    if (period > 0) {
      // As pprof: float64(v1) * float64(period) / cpuGHz, truncated to an integer.
      if (cpuHz > 0) delay = Math.trunc((delay * period) / (cpuHz / 1e9));
      count *= period;
    }
    const stack: number[] = [];
    for (const [hex] of m[2].matchAll(hexNumber)) {
      if (hex.length > 18 && BigInt(hex) >= 2n ** 64n) fail(i, `address ${hex} is beyond 64 bits`);
      stack.push(locations.intern(hex));
    }
    stacks.push(stack);
    values.push(count, delay);
  }
  for (; i < lines.length; i++) {
    // A memory map would give the locations their binaries; Go's runtime never writes one here.
    if (lines[i]!.includes('--- Memory map: ---') || lines[i]!.includes('MAPPED_LIBRARIES:')) fail(i, 'memory map sections are not read');
  }
  return buildProfile(locations.addresses, stacks, values, period, durationNanos);
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * matchSampleLine finds what pprof's contentionSampleRE, `(\d+) *(\d+) @([ x0-9a-f]*)`, finds
 * in a line (unanchored, leftmost, greedy) and returns its three groups. Written out rather than
 * as a RegExp, which backtracks: a long run of digits would take quadratic time, RE2 linear.
 * For a run of digits [i, j): either the whole run, spaces, a second run and " @" follow; or the
 * run splits before its last digit and " @" follows it. A match starting later inside the run
 * would need the same, so each run is looked at once.
 */
export function matchSampleLine(l: string): [string, string, string] | undefined {
  const n = l.length;
  const at = (k: number): number => (k < n ? l.charCodeAt(k) : -1);
  const rest = (from: number): string => {
    let end = from;
    for (let c = at(end); c === 0x20 || c === 0x78 || isDigit(c) || (c >= 0x61 && c <= 0x66); c = at(++end));
    return l.slice(from, end);
  };
  for (let i = 0; i < n; ) {
    if (!isDigit(at(i))) {
      i++;
      continue;
    }
    let j = i;
    while (isDigit(at(j))) j++;
    let k = j;
    while (at(k) === 0x20) k++;
    let m = k;
    while (isDigit(at(m))) m++;
    if (k > j && m > k && at(m) === 0x20 && at(m + 1) === 0x40) return [l.slice(i, j), l.slice(k, m), rest(m + 2)];
    if (j - i >= 2 && at(j) === 0x20 && at(j + 1) === 0x40) return [l.slice(i, j - 1), l.slice(j - 1, j), rest(j + 2)];
    i = j;
  }
  return undefined;
}

function buildProfile(addresses: bigint[], stacks: number[][], values: number[], period: number, durationNanos: number): Profile {
  const n = addresses.length;
  const fake = addresses.some((a) => a !== 0n);
  const stackStart = new Uint32Array(stacks.length + 1);
  for (let s = 0; s < stacks.length; s++) stackStart[s + 1] = stackStart[s]! + stacks[s]!.length;
  return {
    strings: ['', 'contentions', 'count', 'delay', 'nanoseconds'],
    sampleTypes: [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    defaultSampleType: '',
    samples: { length: stacks.length, stackStart, locations: Uint32Array.from(stacks.flat()), values: Float64Array.from(values) },
    // pprof gives locations with an address a fake mapping covering all memory (remapMappingIDs).
    mappings: fake ? [{ id: 1, memoryStart: 0n, memoryLimit: 2n ** 64n - 1n, fileOffset: 0n, file: '', buildId: '', hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false }] : [],
    locations: {
      length: n,
      id: Float64Array.from({ length: n }, (_, k) => k + 1),
      mapping: Int32Array.from(addresses, (a) => (a !== 0n ? 0 : -1)),
      address: BigUint64Array.from(addresses),
      isFolded: new Uint8Array(n),
      lineStart: new Uint32Array(n + 1),
      lineFunction: new Int32Array(0),
      lineNumber: new Float64Array(0),
      lineColumn: new Float64Array(0),
    },
    functions: { length: 0, id: new Float64Array(0), name: new Uint32Array(0), systemName: new Uint32Array(0), filename: new Uint32Array(0), startLine: new Float64Array(0) },
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos,
    periodType: { type: 'contentions', unit: 'count' },
    period,
    comments: [],
    docUrl: '',
  };
}
