// The shell's options, named and set as pprof's interactive mode names and sets them
// (internal/driver/config.go): `nodecount=20`, `sort=cum` or just `cum`, `granularity=lines` or
// just `lines`, `focus=regex`. Each option reads and writes one field of the shell's settings.

import type { Config } from '../driver/config.js';
import { granularities } from '../graph/node-info.js';

/** Settings are the driver's Config plus the shell's own `output` (a file every report goes to). */
export interface Settings extends Config {
  output: string;
}

/** OptionKind is how an option's value is parsed and printed. */
export type OptionKind = 'bool' | 'int' | 'float' | 'string' | 'choice';

/** ShellOption is one option of the shell. */
export interface ShellOption {
  readonly name: string;
  readonly kind: OptionKind;
  /** The values of a choice option; each is also accepted as a name of its own (`cum`, `lines`). */
  readonly choices?: readonly string[];
  /** Left out of the `options` listing (pprof leaves out source_path). */
  readonly unlisted?: boolean;
  readonly get: (s: Settings) => string;
  /** Stores an already-parsed value. */
  readonly set: (s: Settings, v: string | number | boolean) => void;
}

const bool = (name: string, field: BoolField): ShellOption => ({
  name,
  kind: 'bool',
  get: (s) => String(s[field]),
  set: (s, v) => (s[field] = v as boolean),
});
const str = (name: string, field: StringField, unlisted = false): ShellOption => ({
  name,
  kind: 'string',
  ...(unlisted && { unlisted }),
  get: (s) => s[field],
  set: (s, v) => (s[field] = v as string),
});
const float = (name: string, field: 'nodeFraction' | 'edgeFraction' | 'divideBy'): ShellOption => ({
  name,
  kind: 'float',
  get: (s) => goFloat(s[field]),
  set: (s, v) => (s[field] = v as number),
});

type BoolField = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings];
type StringField = { [K in keyof Settings]: string extends Settings[K] ? K : never }[keyof Settings];

/** shellOptions are the options of the shell, in pprof's order. */
export const shellOptions: readonly ShellOption[] = [
  str('output', 'output'),
  bool('relative_percentages', 'relativePercentages'),
  str('unit', 'unit'),
  bool('compact_labels', 'compactLabels'),
  str('source_path', 'sourcePath', true),
  str('trim_path', 'trimPath'),
  bool('mean', 'mean'),
  str('sample_index', 'sampleIndex'),
  float('divide_by', 'divideBy'),
  { name: 'sort', kind: 'choice', choices: ['cum', 'flat'], get: (s) => (s.cum ? 'cum' : 'flat'), set: (s, v) => (s.cum = v === 'cum') },
  // Label keys whose values become frames at the root / leaf of every stack (pprof's tagroot, tagleaf).
  str('tagroot', 'tagRoot'),
  str('tagleaf', 'tagLeaf'),
  bool('drop_negative', 'dropNegative'),
  { name: 'nodecount', kind: 'int', get: (s) => String(s.nodeCount), set: (s, v) => (s.nodeCount = v as number) },
  float('nodefraction', 'nodeFraction'),
  float('edgefraction', 'edgeFraction'),
  bool('trim', 'trim'),
  str('focus', 'focus'),
  str('ignore', 'ignore'),
  str('prune_from', 'pruneFrom'),
  str('hide', 'hide'),
  str('show', 'show'),
  str('show_from', 'showFrom'),
  str('tagfocus', 'tagFocus'),
  str('tagignore', 'tagIgnore'),
  str('tagshow', 'tagShow'),
  str('taghide', 'tagHide'),
  bool('noinlines', 'noInlines'),
  {
    name: 'granularity',
    kind: 'choice',
    choices: granularities,
    get: (s) => s.granularity,
    set: (s, v) => (s.granularity = v as Settings['granularity']),
  },
];

/** optionByName finds an option by its name or by one of its choices (`cum` → sort). */
export function optionByName(name: string): ShellOption | undefined {
  return shellOptions.find((o) => o.name === name || o.choices?.includes(name));
}

/** optionNames lists every name an assignment accepts: options and choices. */
export function optionNames(): string[] {
  return shellOptions.flatMap((o) => [o.name, ...(o.choices ?? [])]);
}

/** isBoolOption tells whether a name may stand alone: a bool option or a choice. */
export function isBoolOption(name: string): boolean {
  const o = optionByName(name);
  return !!o && (o.kind === 'bool' || o.name !== name);
}

/**
 * parseBool reads a boolean as pprof does (stringToBool): an empty value is true, so that a bare
 * `mean` sets it.
 */
export function parseBool(v: string): boolean {
  switch (v.toLowerCase()) {
    case 'true': case 't': case 'yes': case 'y': case '1': case '':
      return true;
    case 'false': case 'f': case 'no': case 'n': case '0':
      return false;
  }
  throw new Error(`illegal value "${v}" for bool variable`);
}

/**
 * configure sets option `name` to `value` in the settings, with pprof's errors. A choice given by
 * its own name (`cum`, `lines`) is selected when the value is true (empty counts as true), and
 * when false, the option goes back to its default if that choice was the one selected.
 */
export function configure(s: Settings, name: string, value: string, defaults: Settings): void {
  const o = optionByName(name);
  if (!o) throw new Error(`unknown config field "${name}"`);
  if (o.name !== name) {
    if (parseBool(value)) o.set(s, name);
    else if (o.get(s) === name) o.set(s, o.get(defaults));
    return;
  }
  switch (o.kind) {
    case 'bool':
      o.set(s, parseBool(value));
      return;
    case 'int':
      o.set(s, parseGoInt(value));
      return;
    case 'float':
      o.set(s, parseGoFloat(value));
      return;
    case 'choice':
      if (!o.choices!.includes(value)) throw new Error(`invalid "${o.name}" value "${value}"`);
      o.set(s, value);
      return;
    case 'string':
      o.set(s, value);
  }
}

/** parseGoInt is Go's strconv.Atoi, with its error text. */
export function parseGoInt(v: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}

/** parseGoFloat is Go's strconv.ParseFloat for the decimal spellings users type, with its error text. */
export function parseGoFloat(v: string): number {
  const t = v.replace(/_/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** goFloat prints a number as Go's fmt.Sprint prints a float64: %g with the shortest digits. */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential())!;
  const [, sign, first, rest = '', e] = m;
  const digits = first! + rest;
  const exp = Number(e);
  if (exp < -4 || exp >= 6) {
    const ae = Math.abs(exp);
    return `${sign}${first}${rest ? '.' + rest : ''}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : ae}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${int}${frac ? '.' + frac : ''}`;
}
