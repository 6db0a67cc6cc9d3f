// Merging profiles as pprof's profile.Merge does, which pprof applies to every profile it loads
// (even one): identical mappings, functions and locations become one, samples with the same
// stack and labels are summed, and samples whose values are all zero are dropped. The merged
// tables are numbered in the order samples first use them, as pprof numbers them.

import { ProfileError } from './errors.js';
import { Growable } from './growable.js';
import type { LabelTable, Mapping, Profile, ValueType } from './model.js';
import { StringTable } from './string-table.js';


const sameType = (a: ValueType | undefined, b: ValueType | undefined): boolean =>
  (!a && !b) || (!!a && !!b && a.type === b.type && a.unit === b.unit);

const typeList = (ts: readonly ValueType[]): string => `[${ts.map((t) => `{${t.type} ${t.unit}}`).join(' ')}]`;

/** checkCompatible says why two profiles cannot be merged, as pprof's compatible() does. */
export function checkCompatible(a: Profile, b: Profile): void {
  if (!sameType(a.periodType, b.periodType)) {
    const f = (t: ValueType | undefined): string => (t ? `{${t.type} ${t.unit}}` : '<nil>');
    throw new ProfileError(`incompatible period types ${f(a.periodType)} and ${f(b.periodType)}`);
  }
  if (a.sampleTypes.length !== b.sampleTypes.length || a.sampleTypes.some((t, i) => !sameType(t, b.sampleTypes[i]))) {
    throw new ProfileError(`incompatible sample types ${typeList(a.sampleTypes)} and ${typeList(b.sampleTypes)}`);
  }
}

/**
 * mergeProfiles merges profiles of the same sample types into one new profile. `signs` (1 or -1
 * per profile) negates a profile's values on the way in: a base subtracted without a negated copy.
 */
export function mergeProfiles(srcs: readonly Profile[], signs?: readonly number[]): Profile {
  if (srcs.length === 0) throw new ProfileError('no profiles to merge');
  const first = srcs[0]!;
  for (const s of srcs.slice(1)) checkCompatible(first, s);
  const nTypes = first.sampleTypes.length;

  const strings = new StringTable();
  // Mappings.
  const mappings: Mapping[] = [];
  const mappingByKey = new Map<string, number>();
  // Functions: key → merged index.
  const fnByKey = new Map<string, number>();
  const fn = { id: [] as number[], name: [] as number[], systemName: [] as number[], filename: [] as number[], startLine: [] as number[] };
  // Locations.
  const locByKey = new Map<string, number>();
  const loc = {
    id: [] as number[],
    mapping: [] as number[],
    address: [] as bigint[],
    isFolded: [] as number[],
    lineStart: [0] as number[],
    lineFunction: [] as number[],
    lineNumber: [] as number[],
    lineColumn: [] as number[],
  };
  // Samples.
  const samples = new SampleSet();
  // Sized for the sum of the inputs, the most the merge can need, so that nothing is copied to grow.
  const sum = (f: (p: Profile) => number): number => srcs.reduce((n, p) => n + f(p), 0);
  const stackStart = new Growable(Uint32Array, sum((p) => p.samples.length) + 1);
  const stack = new Growable(Uint32Array, sum((p) => p.samples.locations.length));
  const values = new Growable(Float64Array, sum((p) => p.samples.values.length));
  const labelStart: number[] = [0];
  const labels = { key: [] as number[], str: [] as number[], num: [] as number[], numUnit: [] as number[] };
  let anyLabels = false;

  for (const [srcIndex, src] of srcs.entries()) {
    const sign = signs?.[srcIndex] ?? 1;
    // Per-source id maps: source index → merged index (-1 unknown yet).
    const mapOf = new Int32Array(src.mappings.length).fill(-1);
    const mapOffset = new Array<bigint>(src.mappings.length).fill(0n);
    const fnOf = new Int32Array(src.functions.length).fill(-1);
    const locOf = new Int32Array(src.locations.length).fill(-1);
    const S = src.strings;

    const mapMapping = (m: number): number => {
      if (mapOf[m]! >= 0) return mapOf[m]!;
      const sm = src.mappings[m]!;
      const size = ((sm.memoryLimit - sm.memoryStart + 0xfffn) / 0x1000n) * 0x1000n;
      const key = `${size}|${sm.fileOffset}|${sm.buildId !== '' ? sm.buildId : sm.file}`;
      const existing = mappingByKey.get(key);
      if (existing !== undefined) {
        mapOf[m] = existing;
        mapOffset[m] = mappings[existing]!.memoryStart - sm.memoryStart;
        return existing;
      }
      const i = mappings.length;
      mappings.push({ ...sm, id: i + 1 });
      mappingByKey.set(key, i);
      mapOf[m] = i;
      return i;
    };
    if (mappings.length === 0 && src.mappings.length > 0) mapMapping(0); // the main binary comes first

    const mapFunction = (f: number): number => {
      if (f < 0) return -1;
      if (fnOf[f]! >= 0) return fnOf[f]!;
      const t = src.functions;
      const name = S[t.name[f]!]!;
      const sys = S[t.systemName[f]!]!;
      const file = S[t.filename[f]!]!;
      const key = `${t.startLine[f]}\u0000${name}\u0000${sys}\u0000${file}`;
      let i = fnByKey.get(key);
      if (i === undefined) {
        i = fn.id.length;
        fn.id.push(i + 1);
        fn.name.push(strings.add(name));
        fn.systemName.push(strings.add(sys));
        fn.filename.push(strings.add(file));
        fn.startLine.push(t.startLine[f]!);
        fnByKey.set(key, i);
      }
      fnOf[f] = i;
      return i;
    };

    const mapLocation = (l: number): number => {
      if (locOf[l]! >= 0) return locOf[l]!;
      const t = src.locations;
      const sm = t.mapping[l]!;
      const m = sm >= 0 ? mapMapping(sm) : -1;
      const address = BigInt.asUintN(64, t.address[l]! + (sm >= 0 ? mapOffset[sm]! : 0n));
      const lines: number[] = [];
      for (let k = t.lineStart[l]!; k < t.lineStart[l + 1]!; k++) {
        lines.push(mapFunction(t.lineFunction[k]!), t.lineNumber[k]!, t.lineColumn[k]!);
      }
      const rel = m >= 0 ? BigInt.asUintN(64, address - mappings[m]!.memoryStart) : address;
      const key = `${m}|${rel}|${t.isFolded[l]}|${lines.join(',')}`;
      let i = locByKey.get(key);
      if (i === undefined) {
        i = loc.id.length;
        loc.id.push(i + 1);
        loc.mapping.push(m);
        loc.address.push(address);
        loc.isFolded.push(t.isFolded[l]!);
        for (let k = 0; k < lines.length; k += 3) {
          loc.lineFunction.push(lines[k]!);
          loc.lineNumber.push(lines[k + 1]!);
          loc.lineColumn.push(lines[k + 2]!);
        }
        loc.lineStart.push(loc.lineFunction.length);
        locByKey.set(key, i);
      }
      locOf[l] = i;
      return i;
    };

    const s = src.samples;
    let ids = new Uint32Array(64);
    const noLabels = { entries: [] as LabelEntry[], key: '' };
    for (let i = 0; i < s.length; i++) {
      let zero = true;
      for (let t = 0; t < nTypes; t++) if (s.values[i * nTypes + t] !== 0) zero = false;
      if (zero) continue;
      const from = s.stackStart[i]!;
      const depth = s.stackStart[i + 1]! - from;
      if (depth > ids.length) ids = new Uint32Array(depth * 2);
      for (let k = 0; k < depth; k++) {
        const l = s.locations[from + k]!;
        const m = locOf[l]!;
        ids[k] = m >= 0 ? m : mapLocation(l);
      }
      const lab = s.labels ? sampleLabels(src, i) : noLabels;
      const existing = samples.find(ids, depth, lab.key, stack.data);
      if (existing >= 0) {
        for (let t = 0; t < nTypes; t++) values.data[existing * nTypes + t]! += sign * s.values[i * nTypes + t]!;
        continue;
      }
      samples.add(ids, depth, lab.key, stack.length);
      stackStart.push(stack.length);
      stack.reserve(depth);
      stack.data.set(ids.subarray(0, depth), stack.length);
      stack.length += depth;
      for (let t = 0; t < nTypes; t++) values.push(sign * s.values[i * nTypes + t]! + 0);
      for (const e of lab.entries) {
        anyLabels = true;
        labels.key.push(strings.add(e[0]));
        labels.str.push(e[1] === undefined ? 0 : strings.add(e[1]));
        labels.num.push(e[2]);
        labels.numUnit.push(strings.add(e[3]));
      }
      labelStart.push(labels.key.length);
    }
  }
  const nSamples = stackStart.length;
  stackStart.push(stack.length);

  const header = combineHeaders(srcs);
  const merged: Profile = {
    strings: strings.list,
    sampleTypes: first.sampleTypes,
    defaultSampleType: header.defaultSampleType,
    samples: {
      length: nSamples,
      stackStart: stackStart.finish(),
      locations: stack.finish(),
      values: values.finish(),
      ...(anyLabels && { labels: labelTable(labelStart, labels) }),
    },
    mappings,
    locations: {
      length: loc.id.length,
      id: Float64Array.from(loc.id),
      mapping: Int32Array.from(loc.mapping),
      address: BigUint64Array.from(loc.address),
      isFolded: Uint8Array.from(loc.isFolded),
      lineStart: Uint32Array.from(loc.lineStart),
      lineFunction: Int32Array.from(loc.lineFunction),
      lineNumber: Float64Array.from(loc.lineNumber),
      lineColumn: Float64Array.from(loc.lineColumn),
    },
    functions: {
      length: fn.id.length,
      id: Float64Array.from(fn.id),
      name: Uint32Array.from(fn.name),
      systemName: Uint32Array.from(fn.systemName),
      filename: Uint32Array.from(fn.filename),
      startLine: Float64Array.from(fn.startLine),
    },
    dropFrames: first.dropFrames,
    keepFrames: first.keepFrames,
    timeNanos: header.timeNanos,
    ...(header.timeNanosExact !== undefined && { timeNanosExact: header.timeNanosExact }),
    durationNanos: header.durationNanos,
    periodType: first.periodType,
    period: header.period,
    comments: header.comments,
    docUrl: first.docUrl,
  };
  // Samples that summed to zero go in a second merge, as pprof does.
  for (let i = 0; i < nSamples; i++) {
    let zero = true;
    for (let t = 0; t < nTypes; t++) if (merged.samples.values[i * nTypes + t] !== 0) zero = false;
    if (zero) return mergeProfiles([merged]);
  }
  return merged;
}

/** combineHeaders: earliest time, summed duration, largest period, comments once each. */
function combineHeaders(srcs: readonly Profile[]): {
  timeNanos: number;
  timeNanosExact?: bigint;
  durationNanos: number;
  period: number;
  comments: string[];
  defaultSampleType: string;
} {
  let timeNanos = 0;
  let timeNanosExact: bigint | undefined;
  let durationNanos = 0;
  let period = 0;
  const comments: string[] = [];
  let defaultSampleType = '';
  for (const s of srcs) {
    if (timeNanos === 0 || s.timeNanos < timeNanos) {
      timeNanos = s.timeNanos;
      timeNanosExact = s.timeNanosExact;
    }
    durationNanos += s.durationNanos;
    if (period === 0 || period < s.period) period = s.period;
    for (const c of s.comments) if (!comments.includes(c)) comments.push(c);
    if (defaultSampleType === '') defaultSampleType = s.defaultSampleType;
  }
  return { timeNanos, ...(timeNanosExact !== undefined && { timeNanosExact }), durationNanos, period, comments, defaultSampleType };
}

type LabelEntry = [key: string, str: string | undefined, num: number, unit: string];

/**
 * sampleLabels returns a sample's labels as pprof keeps them (string labels by key, numeric
 * labels by key; a label with neither a string nor a number nor a unit is dropped) and a key
 * that is equal for equal label sets.
 */
function sampleLabels(p: Profile, i: number): { entries: LabelEntry[]; key: string } {
  const t = p.samples.labels;
  if (!t || t.start[i] === t.start[i + 1]) return { entries: [], key: '' };
  const S = p.strings;
  const str = new Map<string, string[]>();
  const num = new Map<string, [number, string][]>();
  for (let k = t.start[i]!; k < t.start[i + 1]!; k++) {
    const key = S[t.key[k]!]!;
    if (t.str[k] !== 0) (str.get(key) ?? str.set(key, []).get(key)!).push(S[t.str[k]!]!);
    else if (t.num[k] !== 0 || t.numUnit[k] !== 0) (num.get(key) ?? num.set(key, []).get(key)!).push([t.num[k]!, S[t.numUnit[k]!]!]);
  }
  const entries: LabelEntry[] = [];
  const parts: string[] = [];
  for (const key of [...str.keys()].sort()) {
    for (const v of str.get(key)!) entries.push([key, v, 0, '']);
    parts.push(JSON.stringify([key, str.get(key)]));
  }
  for (const key of [...num.keys()].sort()) {
    for (const [v, u] of num.get(key)!) entries.push([key, undefined, v, u]);
    parts.push(JSON.stringify([key, num.get(key)]));
  }
  return { entries, key: parts.join('') };
}

function labelTable(start: number[], l: { key: number[]; str: number[]; num: number[]; numUnit: number[] }): LabelTable {
  return {
    start: Uint32Array.from(start),
    key: Uint32Array.from(l.key),
    str: Uint32Array.from(l.str),
    num: Float64Array.from(l.num),
    numUnit: Uint32Array.from(l.numUnit),
  };
}

/**
 * SampleSet finds merged samples by stack and labels. A Map keyed by the joined stack would build
 * a string of some hundred bytes per sample (over a GB for two 1M-sample profiles); this hashes
 * the location ids and compares candidates against the stacks already stored.
 */
class SampleSet {
  private table = new Int32Array(1 << 16); // sample index + 1, 0 for empty
  private readonly hashes = new Growable(Uint32Array, 1 << 15);
  private readonly offsets = new Growable(Uint32Array, 1 << 15);
  private readonly lengths = new Growable(Uint32Array, 1 << 15);
  /** Label keys of the samples, only once some sample has labels. */
  private labelKeys: string[] | undefined;

  private static hash(ids: Uint32Array, n: number, labelKey: string): number {
    let h = 0x811c9dc5 ^ n;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ ids[k]!, 0x01000193);
    for (let k = 0; k < labelKey.length; k++) h = Math.imul(h ^ labelKey.charCodeAt(k), 0x01000193);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** find returns the index of the sample with this stack (ids[0..n-1]) and label key, or -1. */
  find(ids: Uint32Array, n: number, labelKey: string, stack: Uint32Array): number {
    const h = SampleSet.hash(ids, n, labelKey);
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = this.table[slot]! - 1;
      if (e < 0) return -1;
      if (this.hashes.data[e] !== h || this.lengths.data[e] !== n || (this.labelKeys?.[e] ?? '') !== labelKey) continue;
      const a = this.offsets.data[e]!;
      let same = true;
      for (let k = 0; k < n && same; k++) same = stack[a + k] === ids[k];
      if (same) return e;
    }
  }

  /** add records the next sample, whose stack is stored at `offset`. */
  add(ids: Uint32Array, n: number, labelKey: string, offset: number): void {
    const index = this.hashes.length;
    const h = SampleSet.hash(ids, n, labelKey);
    this.hashes.push(h);
    this.offsets.push(offset);
    this.lengths.push(n);
    if (labelKey !== '') (this.labelKeys ??= [])[index] = labelKey;
    if (this.hashes.length * 2 > this.table.length) {
      this.table = new Int32Array(this.table.length * 2);
      for (let e = 0; e < index; e++) this.insert(this.hashes.data[e]!, e);
    }
    this.insert(h, index);
  }

  private insert(h: number, index: number): void {
    const mask = this.table.length - 1;
    let slot = h & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = index + 1;
  }
}
