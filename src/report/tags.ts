// The `tags` view (current pprof's -tags): for each label key, the total of the samples carrying
// it and the value of each label value, numeric labels printed with their unit.

import { numLabelUnits } from '../profile/label-units.js';
import { isNumericLabel } from '../profile/label-units.js';
import { percentage, scaledLabel } from '../units/measurement.js';
import type { Report } from './report.js';
import { valueFormatter } from './report.js';
import { alignRight } from './tabwriter.js';

/** TagValue is one value of a label key and the sample value carrying it. */
export interface TagValue {
  readonly name: string;
  readonly value: number;
  readonly valueText: string;
}

/** TagKey is one label key with its total and values, largest first. */
export interface TagKey {
  readonly key: string;
  readonly total: number;
  readonly totalText: string;
  readonly values: readonly TagValue[];
}

/** TagsView is what the tags view shows. */
export interface TagsView {
  readonly keys: readonly TagKey[];
  readonly profileTotal: number;
  readonly profileTotalText: string;
}

/** tagsView adds up the selected sample value per label key and value. */
export function tagsView(rpt: Report, numUnits: Map<string, string> = numLabelUnits(rpt.profile).units): TagsView {
  const p = rpt.profile;
  const o = rpt.options;
  const format = valueFormatter(o);
  const byKey = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const t = p.samples.labels;
  const nTypes = p.sampleTypes.length;
  if (t) {
    for (let s = 0; s < p.samples.length; s++) {
      const v = p.samples.values[s * nTypes + o.sampleIndex]!;
      for (let k = t.start[s]!; k < t.start[s + 1]!; k++) {
        const key = p.strings[t.key[k]!]!;
        let name: string;
        if (t.str[k] !== 0) name = p.strings[t.str[k]!]!;
        else if (isNumericLabel(t, k)) name = scaledLabel(t.num[k]!, numUnits.get(key) ?? key, o.outputUnit);
        else continue;
        const m = byKey.get(key) ?? byKey.set(key, new Map()).get(key)!;
        m.set(name, (m.get(name) ?? 0) + v);
        totals.set(key, (totals.get(key) ?? 0) + v);
      }
    }
  }
  const byFlatThenName = (a: TagValue, b: TagValue): number =>
    Math.abs(a.value) !== Math.abs(b.value) ? Math.abs(b.value) - Math.abs(a.value) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  const keys = [...byKey.keys()].sort().map((key): TagKey => {
    const values = [...byKey.get(key)!].map(([name, value]) => ({ name, value, valueText: format(value) })).sort(byFlatThenName);
    const total = totals.get(key)!;
    return { key, total, totalText: format(total), values };
  });
  return { keys, profileTotal: rpt.total, profileTotalText: format(rpt.total) };
}

/** renderTags lays the tags view out as pprof prints it. */
export function renderTags(view: TagsView): string {
  const lines: string[] = [];
  const T = view.profileTotal;
  for (const k of view.keys) {
    lines.push(T > 0 ? `${k.key}:\t Total ${k.totalText} of ${view.profileTotalText} (${percentage(k.total, T)})` : `${k.key}:\t Total ${k.totalText} of ${view.profileTotalText}`);
    for (const v of k.values) lines.push(T > 0 ? ` \t${v.valueText} (${percentage(v.value, T)}):\t ${v.name}` : ` \t${v.valueText}:\t ${v.name}`);
    lines.push('');
  }
  // No labels, no output at all (pprof prints each key's lines, then a blank line, and nothing else).
  if (lines.length === 0) return '';
  return alignRight(lines.join('\n') + '\n');
}
