// A report: one profile, the options that shape every view of it, its total, and the header lines
// pprof prints above a view. Views (top, tree, …) compute rows from a Report and render them.

import type { AggregationOptions } from '../graph/node-info.js';
import type { Profile } from '../profile/model.js';
import { diffBaseSamples } from '../profile/transform.js';
import { label, percentage, scale, scaledLabel } from '../units/measurement.js';
import { formatProfileTime } from './profile-time.js';

/** ReportOptions shape every view: what to count, how to trim, how to print. */
export interface ReportOptions {
  /** Index of the sample value reported. */
  readonly sampleIndex: number;
  /** Report value/count means: divide by sample value 0 (pprof's -mean). */
  readonly mean: boolean;
  /** Type printed in the header, e.g. `inuse_space` or `mean_delay`. */
  readonly sampleType: string;
  /** Unit of the sample value, e.g. `bytes`. */
  readonly sampleUnit: string;
  /** Unit to print values in: `minimum` (best for the values shown), `auto`, or a unit name. */
  readonly outputUnit: string;
  /** Values are multiplied by this before printing (1 / -divide_by). */
  readonly ratio: number;
  readonly aggregation: AggregationOptions;
  readonly cumSort: boolean;
  /** Show at most this many nodes; 0 for all. */
  readonly nodeCount: number;
  readonly nodeFraction: number;
  readonly edgeFraction: number;
  readonly dropNegative: boolean;
  /** Leave out the profile's own header lines (File, Type, Time, Duration). */
  readonly compactLabels: boolean;
  /** Filters in effect, printed under "Active filters:" (`focus=…`). */
  readonly activeFilters: readonly string[];
}

/** Report is a profile ready to be viewed. */
export interface Report {
  readonly profile: Profile;
  readonly options: ReportOptions;
  /** Sum of |value| over all samples (divided for means), the base of every percentage. */
  readonly total: number;
}

/**
 * computeTotal adds up |value| over every sample, as pprof's computeTotal does. When the profile
 * holds the samples of a --diff_base profile, the total is the base's, so that percentages say how
 * much each node grew relative to the base.
 */
export function computeTotal(p: Profile, o: Pick<ReportOptions, 'sampleIndex' | 'mean'>): number {
  const nTypes = p.sampleTypes.length;
  const values = p.samples.values;
  const base = diffBaseSamples(p);
  let total = 0;
  let div = 0;
  let baseTotal = 0;
  let baseDiv = 0;
  for (let s = 0; s < p.samples.length; s++) {
    const v = Math.abs(values[s * nTypes + o.sampleIndex]!);
    const d = o.mean ? values[s * nTypes]! : 0;
    total += v;
    div += d;
    if (base?.[s]) {
      baseTotal += v;
      baseDiv += d;
    }
  }
  if (baseTotal > 0) {
    total = baseTotal;
    div = baseDiv;
  }
  return div !== 0 ? Math.trunc(total / div) : total;
}

/** ValueFormatter prints sample values in the unit chosen for a view. */
export type ValueFormatter = (v: number) => string;

/** valueFormatter prints values scaled by the ratio, in outputUnit. */
export function valueFormatter(o: ReportOptions, outputUnit: string = o.outputUnit): ValueFormatter {
  const r = o.ratio;
  return (v) => scaledLabel(r > 0 && r !== 1 ? Math.trunc(v * r) : v, o.sampleUnit, outputUnit);
}

/**
 * selectOutputUnit picks the unit for `minimum`: the unit of the smallest non-zero value shown,
 * moved up one unit when that keeps the smallest value at 0.01 or more (pprof's rule).
 */
export function selectOutputUnit(rpt: Report, shown: Iterable<{ flat: number; cum: number }>, forCallgrind = false): string {
  const o = rpt.options;
  if (o.outputUnit !== 'minimum') return o.outputUnit;
  let minValue = 0;
  let any = false;
  for (const n of shown) {
    any = true;
    let nodeMin = Math.abs(n.flat);
    if (nodeMin === 0) nodeMin = Math.abs(n.cum);
    if (nodeMin > 0 && (minValue === 0 || nodeMin < minValue)) minValue = nodeMin;
  }
  if (!any) return o.outputUnit;
  let maxValue = rpt.total;
  if (minValue === 0) minValue = maxValue;
  const r = o.ratio;
  if (r > 0 && r !== 1) {
    minValue = Math.trunc(minValue * r);
    maxValue = Math.trunc(maxValue * r);
  }
  const [, minUnit] = scale(minValue, o.sampleUnit, 'minimum');
  const [, maxUnit] = scale(maxValue, o.sampleUnit, 'minimum');
  let unit = minUnit;
  if (minUnit !== maxUnit && minValue * 100 < maxValue && !forCallgrind) {
    [, unit] = scale(100 * minValue, o.sampleUnit, 'minimum');
  }
  return unit !== '' ? unit : o.sampleUnit;
}

/** Clock formatting is injectable so tests and the web UI print the same times. */
export interface LabelContext {
  /** Formats the profile's time (nanoseconds since the epoch) for the `Time:` line. */
  readonly formatTime?: (nanos: number) => string;
}

/** profileLabels are the lines describing the profile: File, Build ID, comments, Type, Time, Duration. */
export function profileLabels(rpt: Report, format: ValueFormatter, ctx: LabelContext = {}): string[] {
  const p = rpt.profile;
  const o = rpt.options;
  const out: string[] = [];
  const m = p.mappings[0];
  if (m) {
    if (m.file !== '') out.push(`File: ${baseName(m.file)}`);
    if (m.buildId !== '') out.push(`Build ID: ${m.buildId}`);
  }
  for (const c of p.comments) if (!c.startsWith('#')) out.push(c);
  if (o.sampleType !== '') out.push(`Type: ${o.sampleType}`);
  if (p.timeNanos !== 0) out.push(`Time: ${(ctx.formatTime ?? formatProfileTime)(p.timeNanos)}`);
  if (p.durationNanos !== 0) {
    const duration = label(p.durationNanos, 'nanoseconds');
    const [totalNanos, totalUnit] = scale(rpt.total, o.sampleUnit, 'nanoseconds');
    let ratio = '';
    if (totalUnit === 'ns' && totalNanos !== 0) ratio = `(${percentage(Math.trunc(totalNanos), p.durationNanos)})`;
    out.push(`Duration: ${duration}, Total samples = ${format(rpt.total)} ${ratio}`);
  }
  return out;
}

/** TrimInfo says what trimming a view did, for its header. */
export interface TrimInfo {
  /** Nodes left after dropping those below the node fraction. */
  readonly origCount: number;
  readonly droppedNodes: number;
  readonly droppedEdges: number;
  /** Nodes shown. */
  readonly nodeCount: number;
  /** Sum of the flat values of the nodes shown. */
  readonly flatSum: number;
}

/** reportLabels are the header lines of a view: profile labels, filters, what is shown and dropped. */
export function reportLabels(rpt: Report, format: ValueFormatter, t: TrimInfo, fullHeaders = false, ctx: LabelContext = {}): string[] {
  const o = rpt.options;
  const out = fullHeaders || !o.compactLabels ? profileLabels(rpt, format, ctx) : [];
  if (o.activeFilters.length > 0) {
    out.push('Active filters:');
    for (const f of o.activeFilters) out.push(`   ${[...f].length > 80 ? [...f].slice(0, 80).join('') + '…' : f}`);
  }
  out.push(`Showing nodes accounting for ${format(t.flatSum)}, ${percentage(t.flatSum, rpt.total).trim()} of ${format(rpt.total)} total`);
  if (rpt.total !== 0) {
    if (t.droppedNodes > 0) {
      out.push(dropped(t.droppedNodes, 'node', 'cum', format(Math.abs(Math.trunc(rpt.total * o.nodeFraction)))));
    }
    if (t.droppedEdges > 0) {
      out.push(dropped(t.droppedEdges, 'edge', 'freq', format(Math.abs(Math.trunc(rpt.total * o.edgeFraction)))));
    }
    if (t.nodeCount > 0 && t.nodeCount < t.origCount) out.push(`Showing top ${t.nodeCount} nodes out of ${t.origCount}`);
  }
  return out;
}

function dropped(d: number, noun: string, what: string, limit: string): string {
  return `Dropped ${d} ${d > 1 ? noun + 's' : noun} (${what} <= ${limit})`;
}

function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 && i < path.length - 1 ? path.slice(i + 1) : path;
}

export { formatProfileTime } from './profile-time.js';
