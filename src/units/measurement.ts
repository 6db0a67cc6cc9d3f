// Units and value formatting, as pprof's internal/measurement defines them: the same unit
// tables, the same auto-scaling, the same "%.2f" labels and percentages.

import { formatFixed, formatG, padLeft } from './go-format.js';

/** Unit is one unit of a family: its printed name, the spellings it is known by, its factor. */
interface Unit {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly factor: number;
}

/** UnitFamily is a set of convertible units and the unit used when a target is unknown. */
interface UnitFamily {
  readonly units: readonly Unit[];
  readonly defaultUnit: Unit;
}

const memoryUnits: Unit[] = [
  { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
  { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
  { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
  { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
  { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
];

const timeUnits: Unit[] = [
  { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
  { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
  { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
  { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
  { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
];

const gcuUnits: Unit[] = [
  { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
  { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
  { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
  { name: 'GCU', aliases: ['gcu'], factor: 1 },
  { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
  { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
  { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
  { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
  { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
];

/** unitFamilies are the unit families pprof knows, in the order it tries them. */
export const unitFamilies: readonly UnitFamily[] = [
  { units: memoryUnits, defaultUnit: memoryUnits[0]! },
  { units: timeUnits, defaultUnit: { name: 's', aliases: [], factor: 1e9 } },
  { units: gcuUnits, defaultUnit: { name: 'GCU', aliases: [], factor: 1 } },
];

function sniffUnit(family: UnitFamily, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  // Go measures the unit in bytes: "μs" is three, loses its "s" and matches nothing, so pprof
  // prints such values unscaled (725562μs); so does proflens.
  if (Buffer.byteLength(u) > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return family.units.find((x) => x.aliases.includes(u));
}

function autoScale(family: UnitFamily, value: number): [number, string] | undefined {
  let f = 0;
  let name = '';
  for (const u of family.units) {
    if (u.factor >= f && value / u.factor >= 1.0) {
      f = u.factor;
      name = u.name;
    }
  }
  return f === 0 ? undefined : [value / f, name];
}

function convertUnit(family: UnitFamily, value: number, from: string, to: string): [number, string] | undefined {
  const fromUnit = sniffUnit(family, from);
  if (!fromUnit) return undefined;
  const v = value * fromUnit.factor;
  if (to === 'minimum' || to === 'auto') {
    return autoScale(family, v) ?? [v / family.defaultUnit.factor, family.defaultUnit.name];
  }
  const toUnit = sniffUnit(family, to);
  if (!toUnit) return [v / family.defaultUnit.factor, family.defaultUnit.name];
  return [v / toUnit.factor, toUnit.name];
}

/**
 * scale converts a value from one unit to another (or to the best unit for "auto"/"minimum") and
 * returns the scaled value and the unit to print; the unit is empty for uninteresting units.
 */
export function scale(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scale(-value, fromUnit, toUnit);
    return [-v, u];
  }
  for (const family of unitFamilies) {
    const r = convertUnit(family, value, fromUnit, toUnit);
    if (r) return r;
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

/** scaledLabel prints a value in a unit the way pprof labels it: `98.13MB`, `1.50s`, `0`. */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scale(value, fromUnit, toUnit);
  let sv = formatFixed(v, 2);
  if (sv.endsWith('.00')) sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + u;
}

/** label prints a value auto-scaled from its unit (pprof's measurement.Label). */
export function label(value: number, unit: string): string {
  return scaledLabel(value, unit, 'auto');
}

/** percentage prints value/total as pprof does: `  100%`, `98.21%`, ` 0.89%`, `0.009%`. */
export function percentage(value: number, total: number): string {
  let ratio = 0;
  if (total !== 0) ratio = Math.abs(value / total) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1.0) return padLeft(formatFixed(ratio, 2), 5) + '%';
  return padLeft(formatG(ratio, 2), 5) + '%';
}

/** sameFamily tells whether two units convert into each other (bytes and MB, ns and s). */
export function sameFamily(a: string, b: string): boolean {
  return unitFamilies.some((f) => sniffUnit(f, a) !== undefined && sniffUnit(f, b) !== undefined);
}
