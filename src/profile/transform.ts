// Whole-profile transformations used when profiles are combined: scaling values (pprof's ScaleN,
// for unit alignment, --normalize and negating a --base), and setting or removing a label on
// every sample (the `pprof::base` mark of --diff_base). Each returns a new Profile.

import { Growable } from './growable.js';
import type { LabelTable, Profile, SampleTable, ValueType } from './model.js';
import { rebuildSamples } from './rebuild.js';

/** The label pprof puts on the samples of a --diff_base profile. */
export const diffBaseLabel = { key: 'pprof::base', value: 'true' } as const;

/** Go's math.Round: halves away from zero (Math.round takes -2.5 to -2). */
const roundHalfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

/**
 * scaleSamples multiplies each value by the ratio of its sample type and keeps only samples with a
 * non-zero scaled value, as pprof's ScaleN does (values whose ratio is 1 are left alone and do not
 * keep a sample). `units` renames the sample types' units; `period` replaces period and its unit.
 */
export function scaleSamples(p: Profile, ratios: readonly number[], units?: readonly string[], period?: { value: number; unit: string }): Profile {
  const nTypes = p.sampleTypes.length;
  const sampleTypes: ValueType[] = p.sampleTypes.map((t, i) => (units?.[i] !== undefined ? { type: t.type, unit: units[i]! } : t));
  const header = {
    ...p,
    sampleTypes,
    ...(period && p.periodType && { period: period.value, periodType: { type: p.periodType.type, unit: period.unit } }),
  };
  if (ratios.every((r) => r === 1)) return header;
  const s = p.samples;
  const kept = new Growable(Uint32Array, s.length);
  const values = new Growable(Float64Array, s.values.length);
  const row = new Float64Array(nTypes);
  for (let i = 0; i < s.length; i++) {
    let keep = false;
    for (let t = 0; t < nTypes; t++) {
      let v = s.values[i * nTypes + t]!;
      if (ratios[t] !== 1) {
        v = roundHalfAway(v * ratios[t]!);
        if (v === 0) v = 0; // no -0
        keep ||= v !== 0;
      }
      row[t] = v;
    }
    if (!keep) continue;
    kept.push(i);
    for (let t = 0; t < nTypes; t++) values.push(row[t]!);
  }
  return { ...header, samples: keepSamples(p, kept.finish(), values.finish()) };
}

/** keepSamples builds a sample table of the given samples (ascending) of p with new values. */
function keepSamples(p: Profile, keep: Uint32Array, values: Float64Array): SampleTable {
  const s = p.samples;
  if (keep.length === s.length) return { length: s.length, stackStart: s.stackStart, locations: s.locations, values, ...(s.labels && { labels: s.labels }) };
  let next = 0;
  const { exactValues: _, ...rebuilt } = rebuildSamples(p, (i, a, b) => (keep[next] === i ? (next++, [a, b]) : undefined));
  return { ...rebuilt, values };
}

/** sampleTotals sums each sample type's values over all samples. */
export function sampleTotals(p: Profile): number[] {
  const n = p.sampleTypes.length;
  const totals = new Array<number>(n).fill(0);
  const v = p.samples.values;
  for (let i = 0; i < p.samples.length; i++) for (let t = 0; t < n; t++) totals[t]! += v[i * n + t]!;
  return totals;
}

/**
 * normalizeTo scales p so that each sample type sums to what it sums to in base (pprof's
 * Normalize, used by --normalize to compare profiles of different lengths).
 */
export function normalizeTo(p: Profile, base: Profile): Profile {
  const b = sampleTotals(base);
  const s = sampleTotals(p);
  return scaleSamples(
    p,
    s.map((v, i) => (v === 0 ? 0 : b[i]! / v)),
  );
}

/** internString returns p's strings with s in them, and s's index. */
function internString(strings: string[], s: string): number {
  const i = strings.indexOf(s);
  if (i >= 0) return i;
  strings.push(s);
  return strings.length - 1;
}

/** setLabel gives every sample the string label key=value, replacing any value it had for key. */
export function setLabel(p: Profile, key: string, value: string): Profile {
  const strings = [...p.strings];
  const k = internString(strings, key);
  const v = internString(strings, value);
  const n = p.samples.length;
  const old = p.samples.labels;
  const start = new Uint32Array(n + 1);
  const keys = new Growable(Uint32Array, n);
  const strs = new Growable(Uint32Array, n);
  const nums = new Growable(Float64Array, n);
  const units = new Growable(Uint32Array, n);
  for (let i = 0; i < n; i++) {
    start[i] = keys.length;
    if (old) {
      for (let e = old.start[i]!; e < old.start[i + 1]!; e++) {
        if (old.key[e] === k && old.str[e] !== 0) continue;
        keys.push(old.key[e]!);
        strs.push(old.str[e]!);
        nums.push(old.num[e]!);
        units.push(old.numUnit[e]!);
      }
    }
    keys.push(k);
    strs.push(v);
    nums.push(0);
    units.push(0);
  }
  start[n] = keys.length;
  const labels: LabelTable = { start, key: keys.finish(), str: strs.finish(), num: nums.finish(), numUnit: units.finish() };
  return { ...p, strings, samples: { ...p.samples, labels } };
}

/**
 * diffBaseSamples marks the samples that came from a --diff_base profile, or returns undefined
 * when there are none.
 */
export function diffBaseSamples(p: Profile): Uint8Array | undefined {
  const t = p.samples.labels;
  if (!t) return undefined;
  const k = p.strings.indexOf(diffBaseLabel.key);
  const v = p.strings.indexOf(diffBaseLabel.value);
  if (k < 0 || v < 0) return undefined;
  const marks = new Uint8Array(p.samples.length);
  let any = false;
  for (let i = 0; i < p.samples.length; i++) {
    for (let e = t.start[i]!; e < t.start[i + 1]!; e++) {
      if (t.key[e] === k && t.str[e] === v) {
        marks[i] = 1;
        any = true;
        break;
      }
    }
  }
  return any ? marks : undefined;
}
