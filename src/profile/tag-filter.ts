// -tagfocus / -tagignore expressions, as pprof reads them: `key=value`, comma-separated regexes
// over `key:value`, or numeric ranges with units (`30kb:`, `1mb:2gb`, `:1kb`, `+400kb:`).

import { scale } from '../units/measurement.js';
import { UsageError } from './errors.js';
import type { SampleMatch } from './filter.js';
import { compileGoRegExp } from './go-regexp.js';
import { isNumericLabel } from './label-units.js';
import type { Profile } from './model.js';

const rangeRe = /([+-]?[0-9]+)([A-Za-z]+)?/g;

/** parseTagRange reads a numeric range (`1mb:2gb`); undefined when the text is not one. */
export function parseTagRange(filter: string): ((v: number, unit: string) => boolean) | undefined {
  const ranges = [...filter.matchAll(rangeRe)].slice(0, 2);
  if (ranges.length === 0) return undefined;
  const first = ranges[0]!;
  const [scaled, unit] = scale(Number(first[1]), first[2] ?? '', first[2] ?? '');
  const inUnit = (v: number, u: string): number | undefined => {
    const [sv, su] = scale(v, u, unit);
    return su === unit ? sv : undefined;
  };
  if (ranges.length === 1) {
    const match = first[0];
    if (filter === match) return (v, u) => inUnit(v, u) === scaled;
    if (filter === match + ':') return (v, u) => (inUnit(v, u) ?? -Infinity) >= scaled;
    if (filter === ':' + match) return (v, u) => (inUnit(v, u) ?? Infinity) <= scaled;
    return undefined;
  }
  const second = ranges[1]!;
  if (filter !== `${first[0]}:${second[0]}`) return undefined;
  const [scaled2, unit2] = scale(Number(second[1]), second[2] ?? '', unit);
  if (unit2 !== unit) return undefined;
  return (v, u) => {
    const sv = inUnit(v, u);
    return sv !== undefined && sv >= scaled && sv <= scaled2;
  };
}

/**
 * compileTagFilter compiles a -tagfocus/-tagignore value. `note` receives pprof's remark that a
 * value was read as a range.
 */
export function compileTagFilter(
  option: string,
  value: string,
  units: Map<string, string>,
  note: (msg: string) => void = () => {},
): SampleMatch | undefined {
  if (value === '') return undefined;
  let wantKey = '';
  const eq = value.indexOf('=');
  if (eq >= 0) {
    wantKey = value.slice(0, eq);
    value = value.slice(eq + 1);
  }
  const numFilter = parseTagRange(value);
  if (numFilter) {
    note(`${option}:Interpreted '${value}' as range, not regexp`);
    return (p, s) => {
      const t = p.samples.labels;
      if (!t) return false;
      for (let k = t.start[s]!; k < t.start[s + 1]!; k++) {
        if (!isNumericLabel(t, k)) continue;
        const key = p.strings[t.key[k]!]!;
        if (wantKey !== '' && key !== wantKey) continue;
        if (numFilter(t.num[k]!, units.get(key) ?? key)) return true;
      }
      return false;
    };
  }
  const res = value.split(',').map((src) => {
    try {
      return compileGoRegExp(src);
    } catch (e) {
      throw new UsageError(`parsing ${option} regexp: ${(e as Error).message}`, { cause: e });
    }
  });
  if (wantKey === '') {
    // Every regex must match some `key:value` of the sample.
    const matches = res.map((re) => memoByStrings((p, key, str) => re.test(`${p.strings[key]}:${p.strings[str]}`)));
    return (p, s) => {
      const t = p.samples.labels;
      return matches.every((match) => {
        if (!t) return false;
        for (let k = t.start[s]!; k < t.start[s + 1]!; k++) {
          if (t.str[k] === 0) continue;
          if (match(p, t.key[k]!, t.str[k]!)) return true;
        }
        return false;
      });
    };
  }
  const matchValue = memoByStrings((p, _, str) => res.some((re) => re.test(p.strings[str]!)));
  return (p, s) => {
    const t = p.samples.labels;
    if (!t) return false;
    for (let k = t.start[s]!; k < t.start[s + 1]!; k++) {
      if (t.str[k] === 0 || p.strings[t.key[k]!] !== wantKey) continue;
      if (matchValue(p, 0, t.str[k]!)) return true;
    }
    return false;
  };
}

type PairTest = (p: Profile, key: number, str: number) => boolean;

/**
 * memoByStrings remembers a label test's answer per (key, value) pair of string indexes: a label
 * repeats on many samples, and a regex test costs about a microsecond.
 */
function memoByStrings(test: PairTest): PairTest {
  let profile: Profile | undefined;
  let seen = new Map<number, boolean>();
  return (p, key, str) => {
    if (p !== profile) {
      profile = p;
      seen = new Map();
    }
    const k = key * p.strings.length + str;
    let r = seen.get(k);
    if (r === undefined) {
      r = test(p, key, str);
      seen.set(k, r);
    }
    return r;
  };
}
