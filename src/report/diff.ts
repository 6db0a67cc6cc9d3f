// The `diff` view, the leak view pprof lacks: each node's value in a base profile and in a new
// one, with the change and the change relative to the base, growth first.

import { formatProfileTime } from './profile-time.js';
import { comparisonFormat, comparisonLabels, nodeValues } from './node-values.js';
import type { LabelContext, Report } from './report.js';
import { padLeft } from '../units/go-format.js';
import { percentage } from '../units/measurement.js';

/** DiffRow is one node in both profiles. */
export interface DiffRow {
  readonly name: string;
  readonly base: number;
  readonly new: number;
  readonly delta: number;
  /** delta as a percentage of base; null when the node is not in the base. */
  readonly deltaPercent: number | null;
  readonly baseText: string;
  readonly newText: string;
  readonly deltaText: string;
}

/** DiffView is the header and rows of the diff view. */
export interface DiffView {
  readonly labels: readonly string[];
  /** flat or cum: which value is compared. */
  readonly value: 'flat' | 'cum';
  readonly sampleType: string;
  readonly sampleUnit: string;
  readonly unit: string;
  readonly baseTotal: number;
  readonly newTotal: number;
  readonly rows: readonly DiffRow[];
}

/**
 * diffView lines up the nodes of two reports. Rows are sorted by delta, largest growth first
 * (then by largest new value, then by name); nodes equal in both are left out; nodeCount > 0
 * keeps that many rows.
 */
export function diffView(base: Report, next: Report, o: { cum: boolean; nodeCount: number }, ctx: LabelContext = {}): DiffView {
  const value = o.cum ? 'cum' : 'flat';
  const b = nodeValues(base);
  const n = nodeValues(next);
  const names = new Set([...b.keys(), ...n.keys()]);
  let rows = [...names].flatMap((name) => {
    const bv = b.get(name)?.[value] ?? 0;
    const nv = n.get(name)?.[value] ?? 0;
    return bv === nv ? [] : [{ name, base: bv, new: nv, delta: nv - bv }];
  });
  rows.sort((x, y) => y.delta - x.delta || Math.abs(y.new) - Math.abs(x.new) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  if (o.nodeCount > 0) rows = rows.slice(0, o.nodeCount);

  const { unit, format, signed } = comparisonFormat(next);
  const time = (r: Report): string => (r.profile.timeNanos !== 0 ? `${(ctx.formatTime ?? formatProfileTime)(r.profile.timeNanos)}, ` : '');
  const grown = next.total - base.total;
  const labels = comparisonLabels(next);
  labels.push(`Base: ${time(base)}${format(base.total)} total`);
  labels.push(`New:  ${time(next)}${format(next.total)} total (${signed(grown)}${base.total !== 0 ? `, ${signedPercent(grown, base.total)}` : ''})`);
  labels.push(`Showing ${rows.length} ${value === 'flat' ? 'flat' : 'cum'} values that changed, largest growth first`);
  return {
    labels,
    value,
    sampleType: next.options.sampleType,
    sampleUnit: next.options.sampleUnit,
    unit,
    baseTotal: base.total,
    newTotal: next.total,
    rows: rows.map((r) => ({
      ...r,
      deltaPercent: r.base === 0 ? null : (r.delta / Math.abs(r.base)) * 100,
      baseText: format(r.base),
      newText: format(r.new),
      deltaText: signed(r.delta),
    })),
  };
}

/** signedPercent is a change relative to `of` as the diff view prints it: +12.50%, -0.5%. */
export function signedPercent(v: number, of: number): string {
  return (v < 0 ? '-' : '+') + percentage(Math.abs(v), Math.abs(of)).trim();
}

/** renderDiff lays the diff view out in columns like top's. */
export function renderDiff(v: DiffView): string {
  const lines = [...v.labels];
  lines.push(`${padLeft('base', 10)} ${padLeft('new', 10)} ${padLeft('delta', 10)} ${padLeft('delta%', 8)}`);
  for (const r of v.rows) {
    const pct = r.deltaPercent === null ? 'new' : signedPercent(r.delta, r.base);
    lines.push(`${padLeft(r.baseText, 10)} ${padLeft(r.newText, 10)} ${padLeft(r.deltaText, 10)} ${padLeft(pct, 8)}  ${r.name}`);
  }
  return lines.join('\n') + '\n';
}
