// Numeric labels and their units, as pprof reads them. Views (tags, traces, the graph's tag boxes)
// need these without the tag filters' regex engine, so they live apart from tag-filter.ts.

import type { LabelTable, Profile } from './model.js';

/** isNumericLabel: pprof reads a label without a string as numeric, unless it is all zero. */
export function isNumericLabel(t: LabelTable, k: number): boolean {
  return t.str[k] === 0 && (t.num[k] !== 0 || t.numUnit[k] !== 0);
}

/**
 * numLabelUnits gives the unit of each numeric label key: the first unit seen with it, else
 * bytes for `alignment`/`request`, else the key itself. Keys seen with several units are listed.
 */
export function numLabelUnits(p: Profile): { units: Map<string, string>; conflicts: Map<string, string[]> } {
  const units = new Map<string, string>();
  const conflicts = new Map<string, Set<string>>();
  const keys = new Set<string>();
  const t = p.samples.labels;
  if (t) {
    for (let k = 0; k < t.key.length; k++) {
      if (!isNumericLabel(t, k)) continue;
      const key = p.strings[t.key[k]!]!;
      keys.add(key);
      const unit = p.strings[t.numUnit[k]!]!;
      if (unit === '') continue;
      const want = units.get(key);
      if (want === undefined) units.set(key, unit);
      else if (want !== unit) (conflicts.get(key) ?? conflicts.set(key, new Set()).get(key)!).add(unit);
    }
  }
  for (const key of keys) {
    if (!units.get(key)) units.set(key, key === 'alignment' || key === 'request' ? 'bytes' : key);
  }
  return { units, conflicts: new Map([...conflicts].map(([k, v]) => [k, [...v].sort()])) };
}
