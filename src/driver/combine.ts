// Combining profiles as pprof's driver does: bring units to the finest one present (pprof's
// measurement.ScaleProfiles), merge sources, and fold a base in (negated, and marked when it is a
// --diff_base, so that percentages stay relative to it).

import { ProfileError } from '../profile/errors.js';
import { mergeProfiles } from '../profile/merge.js';
import type { Profile, ValueType } from '../profile/model.js';
import { diffBaseLabel, normalizeTo, scaleSamples, setLabel } from '../profile/transform.js';
import { sameFamily, scale } from '../units/measurement.js';

/** compatibleTypes: same type (a trailing "s" aside) and units of one family. */
function compatibleTypes(a: ValueType, b: ValueType): boolean {
  if (a.type.replace(/s$/, '') !== b.type.replace(/s$/, '')) return false;
  return a.unit === b.unit || sameFamily(a.unit, b.unit);
}

const show = (t: ValueType): string => `{${t.type} ${t.unit}}`;

/** finestType returns the type with the smallest unit, or undefined for fewer than two profiles. */
function finestType(ts: readonly ValueType[]): ValueType | undefined {
  if (ts.length <= 1) return undefined;
  let min = ts[0]!;
  for (const t of ts.slice(1)) {
    if (!compatibleTypes(min, t)) throw new ProfileError(`incompatible types: ${show(min)} ${show(t)}`);
    if (scale(1, t.unit, min.unit)[0] < 1) min = t;
  }
  return min;
}

/** scaleProfiles converts the profiles' values and periods to the finest unit each type has among them. */
export function scaleProfiles(ps: readonly Profile[]): Profile[] {
  if (ps.length <= 1) return [...ps];
  let periodType: ValueType | undefined;
  try {
    periodType = finestType(ps.flatMap((p) => (p.periodType ? [p.periodType] : [])));
  } catch (e) {
    throw new ProfileError(`period type: ${(e as Error).message}`, { cause: e });
  }
  const n = ps[0]!.sampleTypes.length;
  for (const p of ps.slice(1)) {
    if (p.sampleTypes.length !== n) throw new ProfileError(`inconsistent samples type count: ${n} != ${p.sampleTypes.length}`);
  }
  const types: (ValueType | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    try {
      types.push(finestType(ps.map((p) => p.sampleTypes[i]!)));
    } catch (e) {
      throw new ProfileError(`sample types: ${(e as Error).message}`, { cause: e });
    }
  }
  return ps.map((p) => {
    const period =
      p.periodType && periodType ? { value: Math.trunc(scale(p.period, p.periodType.unit, periodType.unit)[0]), unit: periodType.unit } : undefined;
    const ratios = p.sampleTypes.map((st, i) => (types[i] ? scale(1, st.unit, types[i]!.unit)[0] : 1));
    const units = p.sampleTypes.map((st, i) => types[i]?.unit ?? st.unit);
    return scaleSamples(p, ratios, units, period);
  });
}

/** combineProfiles scales and merges several profiles into one (one is returned as it is). */
export function combineProfiles(ps: readonly Profile[]): Profile {
  if (ps.length === 1) return ps[0]!;
  return mergeProfiles(scaleProfiles(ps));
}

/** BaseOptions say how a base profile is folded in. */
export interface BaseOptions {
  /** Keep the base's samples apart (pprof's -diff_base) rather than only subtracting them. */
  readonly diffBase: boolean;
  /** Scale the profile to the base's totals first (pprof's -normalize). */
  readonly normalize: boolean;
}

/** subtractBase folds a base into p: identical stacks cancel, the rest stays negative. */
export function subtractBase(p: Profile, base: Profile, o: BaseOptions): Profile {
  if (o.diffBase) base = setLabel(base, diffBaseLabel.key, diffBaseLabel.value);
  if (o.normalize) p = normalizeTo(p, base);
  // Units aligned first, then merged with the base's values negated on the way in (pprof negates
  // a copy of the base first; the sums are the same).
  return mergeProfiles(scaleProfiles([p, base]), [1, -1]);
}
