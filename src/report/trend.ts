// The `trend` view: follow a series of snapshots (heap or goroutine profiles taken minutes or
// hours apart) and name the functions and stacks whose value grows in every step — how a slow
// leak shows itself. Most suspicious first: the user's own code before the runtime's, then the
// largest growth, then the frame where the value is held (flat) before its callers.

import { formatProfileTime } from './profile-time.js';
import { comparisonFormat, comparisonLabels, isOwnCode, nodeValues } from './node-values.js';
import type { LabelContext, Report } from './report.js';
import { padLeft } from '../units/go-format.js';
import { label } from '../units/measurement.js';

/** TrendRow is a function (or stack) that grew in every step. */
export interface TrendRow {
  /** The node's name, or for a stack its frames, leaf first. */
  readonly name: string;
  readonly frames?: readonly string[];
  /** Its value in each snapshot, oldest first. */
  readonly values: readonly number[];
  readonly growth: number;
  /** Growth per hour, from the snapshots' times; null when they carry no times. */
  readonly growthPerHour: number | null;
  readonly ownCode: boolean;
  readonly valuesText: readonly string[];
  readonly growthText: string;
  readonly growthPerHourText: string;
}

/** TrendView is what the trend view shows. */
export interface TrendView {
  readonly labels: readonly string[];
  readonly snapshots: number;
  /** Seconds from the first snapshot to the last (0 when unknown). */
  readonly spanSeconds: number;
  readonly sampleType: string;
  readonly unit: string;
  readonly functions: readonly TrendRow[];
  readonly stacks: readonly TrendRow[];
}

/**
 * trendView compares reports of the same kind, given oldest first. A function or stack is listed
 * when its value rises at every step; nodeCount > 0 limits each list.
 */
export function trendView(reports: readonly Report[], o: { nodeCount: number; stackCount: number }, ctx: LabelContext = {}): TrendView {
  const last = reports[reports.length - 1]!;
  const first = reports[0]!;
  const spanNanos = last.profile.timeNanos !== 0 && first.profile.timeNanos !== 0 ? last.profile.timeNanos - first.profile.timeNanos : 0;
  const hours = spanNanos / 3.6e12;

  const perNode = reports.map(nodeValues);
  const functions = growing(perNode.map((m) => new Map([...m].map(([k, v]) => [k, v.cum]))));
  const flatGrowth = (name: string): number => (perNode[perNode.length - 1]!.get(name)?.flat ?? 0) - (perNode[0]!.get(name)?.flat ?? 0);
  // Most suspicious first: the user's own code (what they can fix), then growth, then where the
  // value sits (flat) before its callers, then name.
  functions.sort(
    (a, b) =>
      Number(isOwnCode(b.name)) - Number(isOwnCode(a.name)) ||
      b.growth - a.growth ||
      flatGrowth(b.name) - flatGrowth(a.name) ||
      (a.name < b.name ? -1 : 1),
  );
  const stacks = growing(reports.map(stackValues));
  stacks.sort((a, b) => b.growth - a.growth || (a.name < b.name ? -1 : 1));

  const fnShown = o.nodeCount > 0 ? functions.slice(0, o.nodeCount) : functions;
  const stShown = o.stackCount > 0 ? stacks.slice(0, o.stackCount) : stacks;
  const { unit, format, signed } = comparisonFormat(last);
  const finish = (r: Growing): TrendRow => {
    const perHour = hours > 0 ? r.growth / hours : null;
    return {
      name: r.name,
      ...(r.name.includes('\n') && { frames: r.name.split('\n') }),
      values: r.values,
      growth: r.growth,
      growthPerHour: perHour,
      ownCode: isOwnCode(r.name.split('\n')[0]!),
      valuesText: r.values.map(format),
      growthText: signed(r.growth),
      growthPerHourText: perHour === null ? '-' : signed(Math.round(perHour)),
    };
  };
  const time = (r: Report): string => (ctx.formatTime ?? formatProfileTime)(r.profile.timeNanos);
  const labels = comparisonLabels(last);
  labels.push(
    `Snapshots: ${reports.length}` +
      (spanNanos > 0 ? `, ${time(first)} to ${time(last)} (${label(spanNanos, 'nanoseconds')})` : ''),
  );
  return {
    labels,
    snapshots: reports.length,
    spanSeconds: spanNanos / 1e9,
    sampleType: last.options.sampleType,
    unit,
    functions: fnShown.map(finish),
    stacks: stShown.map(finish),
  };
}

/** Growing is a key whose value rose at every step, with its values oldest first. */
export interface Growing {
  name: string;
  values: number[];
  growth: number;
}

/** growing keeps the keys whose value rises at every step of the series. */
export function growing(series: readonly Map<string, number>[]): Growing[] {
  const out: Growing[] = [];
  const names = new Set(series.flatMap((m) => [...m.keys()]));
  for (const name of names) {
    const values = series.map((m) => m.get(name) ?? 0);
    let rising = true;
    for (let i = 1; i < values.length && rising; i++) rising = values[i]! > values[i - 1]!;
    if (!rising) continue;
    out.push({ name, values, growth: values[values.length - 1]! - values[0]! });
  }
  return out;
}

/** stackValues sums the report's sample values by stack of function names (leaf first). */
function stackValues(rpt: Report): Map<string, number> {
  const p = rpt.profile;
  const s = p.samples;
  const nTypes = p.sampleTypes.length;
  const loc = p.locations;
  const fnName = (f: number): string => (f < 0 ? '?' : p.strings[p.functions.name[f]!]!);
  const out = new Map<string, number>();
  const frames: string[] = [];
  for (let i = 0; i < s.length; i++) {
    frames.length = 0;
    for (let k = s.stackStart[i]!; k < s.stackStart[i + 1]!; k++) {
      const l = s.locations[k]!;
      for (let j = loc.lineStart[l]!; j < loc.lineStart[l + 1]!; j++) frames.push(fnName(loc.lineFunction[j]!));
    }
    const key = frames.join('\n');
    out.set(key, (out.get(key) ?? 0) + s.values[i * nTypes + rpt.options.sampleIndex]!);
  }
  return out;
}

/** renderTrend lays the trend view out: a table of functions, then the growing stacks. */
export function renderTrend(v: TrendView): string {
  const lines = [...v.labels];
  if (v.functions.length === 0) {
    lines.push('No function grows in every step.');
    return lines.join('\n') + '\n';
  }
  lines.push('Functions whose cum grows in every step, most suspicious first:');
  lines.push(`${padLeft('first', 10)} ${padLeft('last', 10)} ${padLeft('growth', 10)} ${padLeft('growth/h', 10)}`);
  for (const r of v.functions) {
    lines.push(`${padLeft(r.valuesText[0]!, 10)} ${padLeft(r.valuesText[r.valuesText.length - 1]!, 10)} ${padLeft(r.growthText, 10)} ${padLeft(r.growthPerHourText, 10)}  ${r.name}`);
  }
  if (v.stacks.length > 0) {
    lines.push('');
    lines.push('Stacks that grow in every step:');
    const separator = '-----------+-------------------------------------------------------';
    for (const r of v.stacks) {
      lines.push(separator);
      lines.push(`${padLeft(r.growthText, 10)} | ${r.valuesText.join(' → ')}${r.growthPerHourText !== '-' ? ` (${r.growthPerHourText}/h)` : ''}`);
      for (const f of r.frames ?? [r.name]) lines.push(`${padLeft('', 10)} | ${f}`);
    }
    lines.push(separator);
  }
  return lines.join('\n') + '\n';
}
