// The `top` view (pprof's -top / -text): one row per node with flat, flat%, sum%, cum, cum%.

import type { LabelContext, Report } from './report.js';
import { type ViewHeader, trimmedGraph, viewHeader } from './trimmed-graph.js';
import { inlinedSomewhere } from '../graph/build.js';
import { padLeft } from '../units/go-format.js';
import { percentage } from '../units/measurement.js';

/** TopRow is one row of the top view. */
export interface TopRow {
  readonly name: string;
  /** `(inline)` when every call into the node was inlined, `(partial-inline)` when some were. */
  readonly inlineLabel: '' | '(inline)' | '(partial-inline)';
  readonly flat: number;
  readonly cum: number;
  readonly flatPercent: number;
  readonly sumPercent: number;
  readonly cumPercent: number;
  /** The values as printed, in the unit chosen for this view. */
  readonly flatText: string;
  readonly cumText: string;
}

/** TopView is what the top view shows: header lines and rows. */
export interface TopView extends ViewHeader {
  readonly rows: readonly TopRow[];
}

/** topView computes the rows of the top view (pprof's TextItems). */
export function topView(rpt: Report, ctx: LabelContext = {}): TopView {
  // Only the edges into shown nodes that are inlined somewhere decide an `(inline)` label.
  const t = trimmedGraph(rpt, {
    withEdges: true,
    edges: (index, shown) => {
      const inl = inlinedSomewhere(index);
      const into = new Uint8Array(index.info.length);
      for (const i of shown) into[i] = inl[i]!;
      return { into };
    },
  });
  const { header, format, values: shownValues } = viewHeader(rpt, t, ctx);

  // Whether the calls into each shown node were inlined, from its incoming edges.
  const inlineIn = new Map<number, number>(); // bit 1: some inlined edge, bit 2: some regular edge
  const e = t.graph.edges!;
  for (let k = 0; k < e.length; k++) {
    const d = e.dst[k]!;
    inlineIn.set(d, (inlineIn.get(d) ?? 0) | (e.inline[k] ? 1 : 2));
  }

  const total = rpt.total;
  let flatSum = 0;
  const rows = t.shown.map((i, j): TopRow => {
    const { flat, cum } = shownValues[j]!;
    flatSum += flat;
    const bits = inlineIn.get(i) ?? 0;
    return {
      name: t.name(i),
      inlineLabel: bits & 1 ? (bits & 2 ? '(partial-inline)' : '(inline)') : '',
      flat,
      cum,
      flatPercent: pct(flat, total),
      sumPercent: pct(flatSum, total),
      cumPercent: pct(cum, total),
      flatText: format(flat),
      cumText: format(cum),
    };
  });
  return { ...header, rows };
}

function pct(v: number, total: number): number {
  return total === 0 ? 0 : Math.abs(v / total) * 100;
}

/** renderTop lays the top view out as pprof prints it. */
export function renderTop(view: TopView): string {
  const lines = [...view.labels];
  lines.push(`${padLeft('flat', 10)} ${padLeft('flat', 5)}% ${padLeft('sum', 5)}% ${padLeft('cum', 10)} ${padLeft('cum', 5)}%`);
  let flatSum = 0;
  for (const r of view.rows) {
    flatSum += r.flat;
    const inl = r.inlineLabel ? ` ${r.inlineLabel}` : '';
    lines.push(
      `${padLeft(r.flatText, 10)} ${percentage(r.flat, view.total)} ${percentage(flatSum, view.total)} ` +
        `${padLeft(r.cumText, 10)} ${percentage(r.cum, view.total)}  ${r.name}${inl}`,
    );
  }
  return lines.join('\n') + '\n';
}
