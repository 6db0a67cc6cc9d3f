// The rules of `diff --fail-on`, the regression gate: which growth of which node fails a build.
//
//   rules      := rule ( "," rule )*            (and --fail-on may be repeated)
//   rule       := [ NODE-REGEX ":" ] condition ( "&" condition )*
//   condition  := ( "flat" | "cum" ) ">" [ "+" ] NUMBER ( "%" | UNIT )?
//
// `flat>+10%` fires for a node whose flat value grew by more than 10% of its value in the base;
// `cum>+50ms`, `flat>+2MB` for growth by more than that amount; a bare number is in the profile's
// sample unit (goroutines, contentions). A node absent from the base has grown by an infinite
// percentage: every percentage condition fires for it, and `&` with an absolute condition gives
// the noise floor (`flat>+10%&flat>+1MB`). NODE-REGEX (Go's syntax, linear time) limits a rule to
// the nodes whose name it matches; it may itself hold `:` and `,` — the rule's conditions start at
// the first `:` followed by `flat>` or `cum>`.

import { compileGoRegExp, type GoRegexp } from '../profile/go-regexp.js';
import { UsageError } from '../profile/errors.js';
import { sameFamily, scale } from '../units/measurement.js';

/** GateCondition is one `flat>+N%` or `cum>+N<unit>`. */
export interface GateCondition {
  readonly value: 'flat' | 'cum';
  /** The threshold: a percentage of the base value, or an amount in `unit` ('' for the sample unit). */
  readonly amount: number;
  readonly percent: boolean;
  readonly unit: string;
}

/** GateRule is one rule: the nodes it looks at and the conditions that must all hold. */
export interface GateRule {
  /** The rule as written, to name it in the report. */
  readonly text: string;
  readonly node?: GoRegexp;
  readonly conditions: readonly GateCondition[];
}

const conditionAt = /^(flat|cum)>(\+?)([0-9]+(?:\.[0-9]+)?)(%|[A-Za-zμ]+)?/;
const conditionStart = /^(?:flat|cum)>/;

/** parseGateRules reads the --fail-on values; a bad rule is a UsageError of one line. */
export function parseGateRules(values: readonly string[]): GateRule[] {
  const rules: GateRule[] = [];
  for (const value of values) {
    let at = 0;
    for (;;) {
      const start = at;
      let node: GoRegexp | undefined;
      if (at === value.length) throw badRule(value, at === 0 ? 'empty rule' : 'empty rule after the last comma');
      if (!conditionStart.test(value.slice(at))) {
        let colon = value.indexOf(':', at);
        while (colon !== -1 && !conditionStart.test(value.slice(colon + 1))) colon = value.indexOf(':', colon + 1);
        if (colon === -1) throw badRule(value, 'no condition such as flat>+10% or main\\.handler:cum>+5ms');
        const source = value.slice(at, colon);
        try {
          node = compileGoRegExp(source);
        } catch (e) {
          throw new UsageError(`--fail-on ${value}: ${(e as Error).message}`, { cause: e });
        }
        at = colon + 1;
      }
      const conditions: GateCondition[] = [];
      for (;;) {
        const m = conditionAt.exec(value.slice(at));
        if (!m) throw badRule(value, `expected (flat|cum)>+N% or (flat|cum)>+N<unit> at ${JSON.stringify(value.slice(at))}`);
        const unit = m[4] ?? '';
        if (unit !== '' && unit !== '%' && !knownUnit(unit)) throw badRule(value, `unknown unit ${unit} (use %, a size such as MB or a time such as ms)`);
        conditions.push({ value: m[1] as 'flat' | 'cum', amount: Number(m[3]), percent: unit === '%', unit: unit === '%' ? '' : unit });
        at += m[0].length;
        if (value[at] !== '&') break;
        at++;
      }
      rules.push({ text: value.slice(start, at), ...(node && { node }), conditions });
      if (at === value.length) break;
      if (value[at] !== ',') throw badRule(value, `unexpected ${JSON.stringify(value.slice(at))} after a condition (rules are separated by commas)`);
      at++;
    }
  }
  return rules;
}

function badRule(value: string, why: string): UsageError {
  return new UsageError(`--fail-on ${value}: ${why}`);
}

/** knownUnit tells whether a unit belongs to one of pprof's families (bytes, time, GCU). */
function knownUnit(unit: string): boolean {
  return sameFamily(unit, unit);
}

/**
 * thresholdIn converts an absolute condition's amount into the profile's sample unit; a unit of
 * another family (MB on a CPU profile) is a UsageError.
 */
export function thresholdIn(c: GateCondition, sampleUnit: string, rule: GateRule): number {
  if (c.percent || c.unit === '') return c.amount;
  if (!sameFamily(c.unit, sampleUnit)) {
    throw new UsageError(`--fail-on ${rule.text}: ${c.unit} cannot measure this profile's values, which are in ${sampleUnit || 'plain numbers'}`);
  }
  return scale(c.amount, c.unit, sampleUnit)[0];
}
