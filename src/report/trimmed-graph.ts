// The graph a view shows, trimmed as pprof trims it: drop nodes whose cum is below the node
// fraction of the total, sort, keep the top nodecount, then drop edges below the edge fraction.
//
// pprof rebuilds its graph from the samples after each cut. A node's flat and cum do not depend
// on which other nodes are kept, so we add up node values once and rebuild only the edges, once,
// for the final node set.

import { type EdgeTable, type Graph, type NodeIndex, buildEdges, buildGraph, buildNodeIndex, meanValue } from '../graph/build.js';
import { compareStrings, infoSortString, printableName } from '../graph/node-info.js';
import { type LabelContext, type Report, type TrimInfo, type ValueFormatter, reportLabels, selectOutputUnit, valueFormatter } from './report.js';

/** TrimmedGraph is a graph together with the nodes a view shows, in display order. */
export interface TrimmedGraph {
  readonly graph: Graph;
  /** Node ids shown, sorted by flat (or cum with cumSort). */
  readonly shown: readonly number[];
  readonly trim: TrimInfo;
  /** Display name of node i (computed for shown nodes). */
  readonly name: (node: number) => string;
  flatValue(node: number): number;
  cumValue(node: number): number;
}

/** EdgeSelection marks the nodes whose incoming (into) or outgoing (from) edges a view needs. */
export interface EdgeSelection {
  readonly into?: Uint8Array;
  readonly from?: Uint8Array;
}

/**
 * trimmedGraph builds the graph of a report and trims it for a text view. With `withEdges`, the
 * edges among the shown nodes are built too, all of them or only those `edges` selects.
 */
export function trimmedGraph(
  rpt: Report,
  opts: { withEdges?: boolean; edges?: (index: NodeIndex, shown: readonly number[], name: (i: number) => string) => EdgeSelection } = {},
): TrimmedGraph {
  const o = rpt.options;
  const p = rpt.profile;
  const index = buildNodeIndex(p, o.aggregation);
  const values = { sampleIndex: o.sampleIndex, meanDivisorIndex: o.mean ? 0 : -1 };
  const full = buildGraph(p, index, values);
  const n = index.info.length;

  // Nodes with nothing in them are not in the graph at all (and negative ones on request).
  let inGraph: number[] = [];
  let totalValue = 0;
  for (let i = 0; i < n; i++) {
    if (full.cum[i] === 0 && full.flat[i] === 0) continue;
    if (o.dropNegative && (full.flat[i]! < 0 || (full.flat[i] === 0 && full.cum[i]! < 0))) continue;
    inGraph.push(i);
    totalValue += full.flat[i]!;
  }

  const nodeCutoff = Math.abs(Math.trunc(totalValue * o.nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * o.edgeFraction));
  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    const kept = inGraph.filter((i) => Math.abs(full.cum[i]!) >= nodeCutoff);
    droppedNodes = inGraph.length - kept.length;
    inGraph = kept;
  }
  const origCount = inGraph.length;

  const names = new Map<number, string>();
  const name = (i: number): string => {
    let s = names.get(i);
    if (s === undefined) {
      s = printableName(index.info[i]!);
      names.set(i, s);
    }
    return s;
  };
  sortNodes(inGraph, full, name, (i) => infoSortString(index.info[i]!), o.cumSort);
  // pprof rebuilds its graph from the kept nodes only when trimming dropped some; until then its
  // nodes keep their edges from nodes that are not in the graph (cum and flat zero, as in a diff
  // where a caller's values cancel out), and those edges still decide labels such as `(inline)`.
  let rebuilt = droppedNodes > 0;
  if (o.nodeCount > 0 && inGraph.length > o.nodeCount) {
    inGraph = inGraph.slice(0, o.nodeCount);
    rebuilt = true;
  }

  let graph: Graph = full;
  if (opts.withEdges) {
    let kept: Uint8Array | undefined;
    if (rebuilt) {
      kept = new Uint8Array(n);
      for (const i of inGraph) kept[i] = 1;
    }
    const sel = opts.edges?.(index, inGraph, name) ?? {};
    const edges = buildEdges(p, index, values, {
      ...(kept && { kept }),
      ...(sel.into && { edgesInto: sel.into }),
      ...(sel.from && { edgesFrom: sel.from }),
    });
    graph = { ...full, edges: trimEdges(edges, edgeCutoff) };
  }

  let flatSum = 0;
  for (const i of inGraph) flatSum += meanValue(full.flat[i]!, full.flatDiv[i]!);
  return {
    graph,
    shown: inGraph,
    // Text views never report dropped edges.
    trim: { origCount, droppedNodes, droppedEdges: 0, nodeCount: inGraph.length, flatSum },
    name,
    flatValue: (i) => meanValue(full.flat[i]!, full.flatDiv[i]!),
    cumValue: (i) => meanValue(full.cum[i]!, full.cumDiv[i]!),
  };
}

/** trimEdges drops edges lighter than the cutoff (pprof's TrimLowFrequencyEdges). */
function trimEdges(e: EdgeTable, cutoff: number): EdgeTable {
  if (cutoff <= 0) return e;
  const keep: number[] = [];
  for (let i = 0; i < e.length; i++) if (Math.abs(e.weight[i]!) >= cutoff) keep.push(i);
  const pick = <T extends Uint32Array | Float64Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as { new (n: number): T })(keep.length);
    keep.forEach((k, j) => (out[j] = a[k]!));
    return out;
  };
  return {
    length: keep.length,
    src: pick(e.src),
    dst: pick(e.dst),
    weight: pick(e.weight),
    weightDiv: pick(e.weightDiv),
    residual: pick(e.residual),
    inline: pick(e.inline),
  };
}

/**
 * sortNodes orders nodes as pprof's FlatNameOrder or CumNameOrder: by |flat| (or |cum|) descending,
 * then name, then the other value, then the full node identity.
 */
export function sortNodes(
  nodes: number[],
  g: Pick<Graph, 'flat' | 'cum'>,
  name: (i: number) => string,
  identity: (i: number) => string,
  cum: boolean,
): void {
  nodes.sort((l, r) => {
    const first = cum ? g.cum : g.flat;
    const second = cum ? g.flat : g.cum;
    const lv = Math.abs(first[l]!);
    const rv = Math.abs(first[r]!);
    if (lv !== rv) return rv - lv;
    const c = compareStrings(name(l), name(r));
    if (c !== 0) return c;
    const lw = Math.abs(second[l]!);
    const rw = Math.abs(second[r]!);
    if (lw !== rw) return rw - lw;
    return compareStrings(identity(l), identity(r));
  });
}

/** ViewHeader is what every graph view carries besides its rows. */
export interface ViewHeader {
  /** Header lines (File, Type, …, Showing nodes accounting for …). */
  readonly labels: readonly string[];
  /** The base of every percentage, in sample units. */
  readonly total: number;
  /** Sample type and unit of the raw values in rows. */
  readonly sampleType: string;
  readonly sampleUnit: string;
  /** Unit the printed values are in. */
  readonly unit: string;
}

/**
 * viewHeader picks the output unit for the nodes shown and builds the header, as pprof's text
 * views do (selectOutputUnit, then reportLabels; text views never report dropped edges).
 */
export function viewHeader(
  rpt: Report,
  t: TrimmedGraph,
  ctx: LabelContext,
): { header: ViewHeader; format: ValueFormatter; values: { flat: number; cum: number }[] } {
  const values = t.shown.map((i) => ({ flat: t.flatValue(i), cum: t.cumValue(i) }));
  const unit = selectOutputUnit(rpt, values);
  const format = valueFormatter(rpt.options, unit);
  const labels = reportLabels(rpt, format, t.trim, false, ctx);
  const o = rpt.options;
  return { header: { labels, total: rpt.total, sampleType: o.sampleType, sampleUnit: o.sampleUnit, unit }, format, values };
}
