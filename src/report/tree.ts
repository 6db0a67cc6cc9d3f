// The `tree` view (pprof's -tree) and `peek` (the tree restricted to nodes matching a regex,
// untrimmed): each node with its callers above and its callees below, with calls and calls%.

import type { EdgeTable } from '../graph/build.js';
import { padLeft } from '../units/go-format.js';
import { percentage } from '../units/measurement.js';
import type { GoRegexp } from '../profile/go-regexp.js';
import { noMatchesError } from './no-matches.js';
import type { LabelContext, Report } from './report.js';
import { type ViewHeader, trimmedGraph, viewHeader } from './trimmed-graph.js';

/** TreeEdge is one caller or callee line under a node. */
export interface TreeEdge {
  readonly name: string;
  readonly weight: number;
  readonly weightText: string;
  /** Percentage of the node's cum. */
  readonly percent: number;
  readonly inline: boolean;
}

/** TreeNode is one block of the tree view. */
export interface TreeNode {
  readonly name: string;
  readonly flat: number;
  readonly cum: number;
  readonly flatText: string;
  readonly cumText: string;
  readonly callers: readonly TreeEdge[];
  readonly callees: readonly TreeEdge[];
}

/** TreeView is what the tree and peek views show. */
export interface TreeView extends ViewHeader {
  readonly nodes: readonly TreeNode[];
}

/** treeView computes the rows of the tree view; with `symbol`, only matching nodes (peek). */
export function treeView(rpt: Report, symbol?: GoRegexp, ctx: LabelContext = {}): TreeView {
  let matched: Uint8Array | undefined;
  const t = trimmedGraph(rpt, {
    withEdges: true,
    // peek needs only the edges of the nodes it prints.
    edges: (index, shown, name) => {
      if (!symbol) return {};
      matched = new Uint8Array(index.info.length);
      for (const i of shown) if (symbol.test(name(i))) matched[i] = 1;
      return { into: matched, from: matched };
    },
  });
  const { header, format, values: shownValues } = viewHeader(rpt, t, ctx);
  const edges = t.graph.edges!;
  const { incoming, outgoing } = groupEdges(edges);
  const edgeOrder = edgeComparator(edges, t.name);

  const nodes: TreeNode[] = [];
  t.shown.forEach((i, j) => {
    if (matched && !matched[i]) return;
    const { flat, cum } = shownValues[j]!;
    const toEdge = (e: number, other: number): TreeEdge => ({
      name: t.name(other),
      weight: edges.weight[e]!,
      weightText: format(edges.weight[e]!),
      percent: cum === 0 ? 0 : Math.abs(edges.weight[e]! / cum) * 100,
      inline: edges.inline[e] === 1,
    });
    nodes.push({
      name: t.name(i),
      flat,
      cum,
      flatText: format(flat),
      cumText: format(cum),
      callers: (incoming.get(i) ?? []).sort(edgeOrder).map((e) => toEdge(e, edges.src[e]!)),
      callees: (outgoing.get(i) ?? []).sort(edgeOrder).map((e) => toEdge(e, edges.dst[e]!)),
    });
  });
  if (symbol && nodes.length === 0) throw noMatchesError(symbol);
  return { ...header, nodes };
}

/** groupEdges indexes edges by their destination and by their source. */
function groupEdges(e: EdgeTable): { incoming: Map<number, number[]>; outgoing: Map<number, number[]> } {
  const incoming = new Map<number, number[]>();
  const outgoing = new Map<number, number[]>();
  for (let k = 0; k < e.length; k++) {
    (incoming.get(e.dst[k]!) ?? incoming.set(e.dst[k]!, []).get(e.dst[k]!)!).push(k);
    (outgoing.get(e.src[k]!) ?? outgoing.set(e.src[k]!, []).get(e.src[k]!)!).push(k);
  }
  return { incoming, outgoing };
}

/** edgeComparator orders edges as pprof's edgeList: by |weight|, then caller name, then callee name. */
export function edgeComparator(e: EdgeTable, name: (node: number) => string): (a: number, b: number) => number {
  return (a, b) => {
    const wa = e.weight[a]!;
    const wb = e.weight[b]!;
    if (wa !== wb && Math.abs(wa) !== Math.abs(wb)) return Math.abs(wb) - Math.abs(wa);
    const sa = name(e.src[a]!);
    const sb = name(e.src[b]!);
    if (sa !== sb) return sa < sb ? -1 : 1;
    const da = name(e.dst[a]!);
    const db = name(e.dst[b]!);
    return da < db ? -1 : da > db ? 1 : 0;
  };
}

const separator = '----------------------------------------------------------+-------------';
const legend = '      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ';

/** renderTree lays the tree (or peek) view out as pprof prints it. */
export function renderTree(view: TreeView): string {
  const out = [...view.labels, separator, legend];
  let flatSum = 0;
  const edgeLine = (e: TreeEdge, cum: number): string =>
    `${padLeft(e.weightText, 50)} ${percentage(e.weight, cum)} |   ${e.name}${e.inline ? ' (inline)' : ''}`;
  for (const n of view.nodes) {
    out.push(separator);
    for (const e of n.callers) out.push(edgeLine(e, n.cum));
    flatSum += n.flat;
    out.push(
      `${padLeft(n.flatText, 10)} ${percentage(n.flat, view.total)} ${percentage(flatSum, view.total)} ` +
        `${padLeft(n.cumText, 10)} ${percentage(n.cum, view.total)}                | ${n.name}`,
    );
    for (const e of n.callees) out.push(edgeLine(e, n.cum));
  }
  if (view.nodes.length > 0) out.push(separator);
  return out.join('\n') + '\n';
}
