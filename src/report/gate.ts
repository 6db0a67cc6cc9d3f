// The regression gate of `diff --fail-on`: the nodes of a new profile that grew past a rule
// against a base profile (google/pprof#483: pprof can show a diff, but nothing fails a build).
// The grammar of the rules is in gate-rules.ts.

import type { DiffRow } from './diff.js';
import { type GateRule, thresholdIn } from './gate-rules.js';
import { comparisonFormat, comparisonLabels, nodeValues } from './node-values.js';
import type { Report } from './report.js';
import { padLeft } from '../units/go-format.js';
import { percentage } from '../units/measurement.js';

/** GateOffender is one node that broke a rule: its diff row for the value (flat or cum) the rule compared. */
export interface GateOffender extends DiffRow {
  readonly rule: string;
  readonly value: 'flat' | 'cum';
}

/** GateView is the verdict: passed when no node broke any rule. */
export interface GateView {
  readonly labels: readonly string[];
  readonly rules: readonly string[];
  readonly sampleType: string;
  readonly sampleUnit: string;
  readonly passed: boolean;
  /** Largest growth first; a node appears once per rule it broke. */
  readonly offenders: readonly GateOffender[];
}

/** gateView checks every node of the two reports (untrimmed) against the rules. */
export function gateView(base: Report, next: Report, rules: readonly GateRule[]): GateView {
  const o = next.options;
  // Thresholds are compared with values as the views print them (after --divide-by).
  const ratio = o.ratio > 0 ? o.ratio : 1;
  const checks = rules.map((r) => ({ rule: r, limits: r.conditions.map((c) => ({ c, limit: thresholdIn(c, o.sampleUnit, r) })) }));
  const b = nodeValues(base);
  const n = nodeValues(next);
  const { format, signed } = comparisonFormat(next);
  const offenders: GateOffender[] = [];
  for (const name of new Set([...b.keys(), ...n.keys()])) {
    for (const { rule, limits } of checks) {
      if (rule.node && !rule.node.test(name)) continue;
      const broke = limits.every(({ c, limit }) => {
        const bv = (b.get(name)?.[c.value] ?? 0) * ratio;
        const delta = (n.get(name)?.[c.value] ?? 0) * ratio - bv;
        if (delta <= 0) return false;
        // Growth from nothing is infinite growth: past every percentage.
        return c.percent ? bv === 0 || (delta / Math.abs(bv)) * 100 > limit : delta > limit;
      });
      if (!broke) continue;
      // The report shows the value of the rule's first condition.
      const value = rule.conditions[0]!.value;
      const bv = b.get(name)?.[value] ?? 0;
      const nv = n.get(name)?.[value] ?? 0;
      offenders.push({
        name,
        rule: rule.text,
        value,
        base: bv,
        new: nv,
        delta: nv - bv,
        deltaPercent: bv === 0 ? null : ((nv - bv) / Math.abs(bv)) * 100,
        baseText: format(bv),
        newText: format(nv),
        deltaText: signed(nv - bv),
      });
    }
  }
  offenders.sort((x, y) => y.delta - x.delta || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0) || (x.rule < y.rule ? -1 : 1));
  return {
    labels: comparisonLabels(next),
    rules: rules.map((r) => r.text),
    sampleType: o.sampleType,
    sampleUnit: o.sampleUnit,
    passed: offenders.length === 0,
    offenders,
  };
}

/** renderGate prints the verdict and the offenders in the diff view's columns, with the rule each broke. */
export function renderGate(v: GateView): string {
  const lines = [...v.labels, `Fail on: ${v.rules.join(', ')}`];
  if (v.passed) {
    lines.push('Passed: no node grew past the rules');
    return lines.join('\n') + '\n';
  }
  const nodes = new Set(v.offenders.map((x) => x.name)).size;
  lines.push(`Failed: ${nodes} node${nodes === 1 ? '' : 's'} grew past the rules, largest growth first`);
  const ruleWidth = Math.max(4, ...v.offenders.map((x) => x.rule.length));
  lines.push(`${padLeft('base', 10)} ${padLeft('new', 10)} ${padLeft('delta', 10)} ${padLeft('delta%', 8)}  ${'rule'.padEnd(ruleWidth)}  name`);
  for (const r of v.offenders) {
    const pct = r.deltaPercent === null ? 'new' : `+${percentage(r.delta, r.base).trim()}`;
    lines.push(`${padLeft(r.baseText, 10)} ${padLeft(r.newText, 10)} ${padLeft(r.deltaText, 10)} ${padLeft(pct, 8)}  ${r.rule.padEnd(ruleWidth)}  ${r.name}`);
  }
  return lines.join('\n') + '\n';
}
