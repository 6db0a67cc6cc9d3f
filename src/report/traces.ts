// The `traces` view (pprof's -traces): every sample's stack, leaf first, with its labels and value.

import { buildNodeIndex, meanValue } from '../graph/build.js';
import { compareStrings, printableName } from '../graph/node-info.js';
import { numLabelUnits } from '../profile/label-units.js';
import { isNumericLabel } from '../profile/label-units.js';
import { padLeft } from '../units/go-format.js';
import { label } from '../units/measurement.js';
import { type LabelContext, type Report, profileLabels, valueFormatter } from './report.js';

/** TraceFrame is one frame of a trace. */
export interface TraceFrame {
  readonly name: string;
  /** The frame was inlined into the next one. */
  readonly inline: boolean;
}

/** Trace is one sample: its labels, value and stack. */
export interface Trace {
  /** String labels, `key: v1 v2`, by key. */
  readonly labels: Readonly<Record<string, readonly string[]>>;
  /** Numeric labels, printed with their unit, by key. */
  readonly numLabels: Readonly<Record<string, readonly string[]>>;
  readonly value: number;
  readonly valueText: string;
  readonly frames: readonly TraceFrame[];
}

/** TracesView is what the traces view shows. */
export interface TracesView {
  readonly labels: readonly string[];
  readonly traces: readonly Trace[];
}

/**
 * tracesView lists the samples of a report. `numUnits` are the units of numeric labels as found
 * in the profile before filtering (pprof identifies them once, on load).
 */
export function tracesView(rpt: Report, numUnits: Map<string, string> = numLabelUnits(rpt.profile).units, ctx: LabelContext = {}): TracesView {
  const p = rpt.profile;
  const o = rpt.options;
  const format = valueFormatter(o);
  const index = buildNodeIndex(p, o.aggregation);
  const names = index.info.map(printableName);
  const { stackStart, locations, values } = p.samples;
  const nTypes = p.sampleTypes.length;
  const lt = p.samples.labels;
  const traces: Trace[] = [];
  for (let s = 0; s < p.samples.length; s++) {
    const frames: TraceFrame[] = [];
    for (let i = stackStart[s]!; i < stackStart[s + 1]!; i++) {
      const l = locations[i]!;
      const a = index.locNodeStart[l]!;
      const b = index.locNodeStart[l + 1]!;
      for (let k = a; k < b; k++) frames.push({ name: names[index.locNodes[k]!]!, inline: k !== b - 1 });
    }
    if (frames.length === 0) continue;
    const str: Record<string, string[]> = {};
    const num: Record<string, string[]> = {};
    if (lt) {
      for (let k = lt.start[s]!; k < lt.start[s + 1]!; k++) {
        const key = p.strings[lt.key[k]!]!;
        if (lt.str[k] !== 0) (str[key] ??= []).push(p.strings[lt.str[k]!]!);
        else if (isNumericLabel(lt, k)) (num[key] ??= []).push(label(lt.num[k]!, numUnits.get(key) ?? key));
      }
    }
    const v = values[s * nTypes + o.sampleIndex]!;
    const value = o.mean ? meanValue(v, values[s * nTypes]!) : v;
    traces.push({ labels: str, numLabels: num, value, valueText: format(value), frames });
  }
  return { labels: profileLabels(rpt, format, ctx), traces };
}

const separator = '-----------+-------------------------------------------------------';

/** renderTraces lays the traces view out as pprof prints it. */
export function renderTraces(view: TracesView): string {
  // pprof prints the header labels joined as one line: an empty line when there are none.
  const out = [view.labels.join('\n')];
  const labelLines = (m: Readonly<Record<string, readonly string[]>>): string[] =>
    Object.entries(m)
      .map(([k, vs]) => `${padLeft(k, 10)}:  ${vs.join(' ')}`)
      .sort(compareStrings);
  for (const t of view.traces) {
    out.push(separator);
    out.push(...labelLines(t.labels), ...labelLines(t.numLabels));
    t.frames.forEach((f, i) => {
      out.push(`${padLeft(i === 0 ? t.valueText : '', 10)}   ${f.name}${f.inline ? ' (inline)' : ''}`);
    });
  }
  out.push(separator);
  return out.join('\n') + '\n';
}
