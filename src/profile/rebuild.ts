// Building new sample and location tables from an existing profile: the shared step of every
// transformation (pruning, filtering) that keeps some samples, cuts some stacks, or drops some
// lines of some locations. The source profile is never modified.

import { Growable } from './growable.js';
import type { LabelTable, LocationTable, Profile, SampleTable } from './model.js';

/**
 * rebuildSamples keeps the samples for which `stack` returns a range [from, to) of their stack
 * (indexes into p.samples.locations); `undefined` drops the sample. Values and labels follow.
 */
export function rebuildSamples(p: Profile, stack: (sample: number, from: number, to: number) => [number, number] | undefined): SampleTable {
  const s = p.samples;
  const nTypes = p.sampleTypes.length;
  const kept = new Growable(Uint32Array, s.length);
  const stackStart = new Growable(Uint32Array, s.length + 1);
  const locations = new Growable(Uint32Array, s.locations.length);
  for (let i = 0; i < s.length; i++) {
    const range = stack(i, s.stackStart[i]!, s.stackStart[i + 1]!);
    if (!range) continue;
    const [a, b] = range;
    kept.push(i);
    stackStart.push(locations.length);
    locations.reserve(b - a);
    locations.data.set(s.locations.subarray(a, b), locations.length);
    locations.length += b - a;
  }
  stackStart.push(locations.length);
  const keep = kept.finish();
  const values = new Float64Array(keep.length * nTypes);
  const exact = s.exactValues ? new BigInt64Array(keep.length * nTypes) : undefined;
  for (let j = 0; j < keep.length; j++) {
    const i = keep[j]!;
    values.set(s.values.subarray(i * nTypes, i * nTypes + nTypes), j * nTypes);
    exact?.set(s.exactValues!.subarray(i * nTypes, i * nTypes + nTypes), j * nTypes);
  }
  return {
    length: keep.length,
    stackStart: stackStart.finish(),
    locations: locations.finish(),
    values,
    ...(exact && { exactValues: exact }),
    ...(s.labels && { labels: pickLabels(s.labels, keep, () => true) }),
  };
}

/** pickLabels keeps the labels of the given samples for which keepLabel returns true. */
export function pickLabels(t: LabelTable, samples: Uint32Array | null, keepLabel: (k: number) => boolean): LabelTable {
  const n = samples ? samples.length : t.start.length - 1;
  const start = new Uint32Array(n + 1);
  const key = new Growable(Uint32Array);
  const str = new Growable(Uint32Array);
  const num = new Growable(Float64Array);
  const numUnit = new Growable(Uint32Array);
  for (let j = 0; j < n; j++) {
    const i = samples ? samples[j]! : j;
    start[j] = key.length;
    for (let k = t.start[i]!; k < t.start[i + 1]!; k++) {
      if (!keepLabel(k)) continue;
      key.push(t.key[k]!);
      str.push(t.str[k]!);
      num.push(t.num[k]!);
      numUnit.push(t.numUnit[k]!);
    }
  }
  start[n] = key.length;
  return { start, key: key.finish(), str: str.finish(), num: num.finish(), numUnit: numUnit.finish() };
}

/** rebuildLines keeps the lines of each location for which `keep` returns true. */
export function rebuildLines(loc: LocationTable, keep: (location: number, line: number) => boolean): LocationTable {
  const lineStart = new Uint32Array(loc.length + 1);
  const fn = new Growable(Int32Array, loc.lineFunction.length);
  const num = new Growable(Float64Array, loc.lineFunction.length);
  const col = new Growable(Float64Array, loc.lineFunction.length);
  for (let l = 0; l < loc.length; l++) {
    lineStart[l] = fn.length;
    for (let k = loc.lineStart[l]!; k < loc.lineStart[l + 1]!; k++) {
      if (!keep(l, k)) continue;
      fn.push(loc.lineFunction[k]!);
      num.push(loc.lineNumber[k]!);
      col.push(loc.lineColumn[k]!);
    }
  }
  lineStart[loc.length] = fn.length;
  return { ...loc, lineStart, lineFunction: fn.finish(), lineNumber: num.finish(), lineColumn: col.finish() };
}
