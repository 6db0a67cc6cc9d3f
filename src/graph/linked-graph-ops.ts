// Sorting and trimming a linked graph as pprof's graph package does: node orders (flat, cum,
// entropy for pictures), top-node selection that counts tags as nodes, low-frequency tag and
// edge trimming, tree trimming and redundant edge removal.

import { compareStrings, infoSortString } from './node-info.js';
import { type GraphEdge, type GraphNode, type LinkedGraph, type Tag } from './linked-graph.js';

/** maxNodelets is how many tag boxes a picture shows per node (labels and numeric alike). */
export const maxNodelets = 4;

/** sortLinkedNodes orders the nodes by flat, by cum, or (visualMode) by entropy score. */
export function sortLinkedNodes(g: LinkedGraph, cum: boolean, visualMode: boolean): void {
  const ids = new Map<GraphNode, string>();
  const identity = (n: GraphNode): string => {
    let s = ids.get(n);
    if (s === undefined) ids.set(n, (s = infoSortString(n.info)));
    return s;
  };
  if (!visualMode && !cum) {
    g.nodes.sort((l, r) => {
      if (Math.abs(l.flat) !== Math.abs(r.flat)) return Math.abs(r.flat) - Math.abs(l.flat);
      const c = compareStrings(l.name, r.name);
      if (c !== 0) return c;
      if (Math.abs(l.cum) !== Math.abs(r.cum)) return Math.abs(r.cum) - Math.abs(l.cum);
      return compareStrings(identity(l), identity(r));
    });
    return;
  }
  const score = new Map<GraphNode, number>();
  for (const n of g.nodes) score.set(n, visualMode ? entropyScore(n) : n.cum);
  g.nodes.sort((l, r) => {
    const ls = Math.abs(score.get(l)!);
    const rs = Math.abs(score.get(r)!);
    if (ls !== rs) return rs - ls;
    const c = compareStrings(l.name, r.name);
    if (c !== 0) return c;
    if (Math.abs(l.flat) !== Math.abs(r.flat)) return Math.abs(r.flat) - Math.abs(l.flat);
    return compareStrings(identity(l), identity(r));
  });
}

/**
 * entropyScore rates how much a node adds to a picture: entry and leaf nodes are favoured, and a
 * node whose weight simply falls through from one caller to one callee scores low.
 */
function entropyScore(n: GraphNode): number {
  let score = 0;
  score += n.in.size === 0 ? 1 : edgeEntropyScore(n.in, 0);
  score += n.out.size === 0 ? 1 : edgeEntropyScore(n.out, n.flat);
  return Math.trunc(score * n.cum) + n.flat;
}

function edgeEntropyScore(edges: Map<GraphNode, GraphEdge>, self: number): number {
  let score = 0;
  let total = self;
  for (const e of edges.values()) if (e.weight > 0) total += Math.abs(e.weight);
  if (total !== 0) {
    for (const e of edges.values()) {
      const frac = Math.abs(e.weight) / total;
      score += -frac * Math.log2(frac);
    }
    if (self > 0) {
      const frac = Math.abs(self) / total;
      score += -frac * Math.log2(frac);
    }
  }
  return score;
}

/** nodesAboveCutoff are the nodes whose |cum| reaches the cutoff. */
export function nodesAboveCutoff(g: LinkedGraph, cutoff: number): GraphNode[] {
  return g.nodes.filter((n) => Math.abs(n.cum) >= cutoff);
}

/**
 * selectTopNodes picks the first maxNodes nodes; for pictures, a node's tags (up to maxNodelets)
 * count as nodes too.
 */
export function selectTopNodes(g: LinkedGraph, maxNodes: number, visualMode: boolean): GraphNode[] {
  if (maxNodes > 0 && visualMode) {
    let count = 0;
    for (let i = 0; i < g.nodes.length; i++) {
      const tags = Math.min(countTags(g.nodes[i]!), maxNodelets);
      count += tags + 1;
      if (count >= maxNodes) {
        maxNodes = i + 1;
        break;
      }
    }
  }
  return g.nodes.slice(0, Math.min(maxNodes, g.nodes.length));
}

function countTags(n: GraphNode): number {
  let count = 0;
  for (const t of n.labelTags.values()) if (t.flat !== 0) count++;
  for (const m of n.numericTags.values()) for (const t of m.values()) if (t.flat !== 0) count++;
  return count;
}

/** trimLowFrequencyTags drops tags whose flat and cum are both below the cutoff. */
export function trimLowFrequencyTags(g: LinkedGraph, cutoff: number): void {
  const trim = (m: Map<string, Tag>): Map<string, Tag> => {
    const kept = new Map<string, Tag>();
    for (const [k, t] of m) if (Math.abs(t.flat) >= cutoff || Math.abs(t.cum) >= cutoff) kept.set(k, t);
    return kept;
  };
  for (const n of g.nodes) {
    n.labelTags = trim(n.labelTags);
    for (const [k, m] of n.numericTags) n.numericTags.set(k, trim(m));
  }
}

/** trimLowFrequencyEdges drops edges lighter than the cutoff and returns how many it dropped. */
export function trimLowFrequencyEdges(g: LinkedGraph, cutoff: number): number {
  let dropped = 0;
  for (const n of g.nodes) {
    for (const [src, e] of n.in) {
      if (Math.abs(e.weight) < cutoff) {
        n.in.delete(src);
        src.out.delete(n);
        dropped++;
      }
    }
  }
  return dropped;
}

/** sortEdges orders edges as pprof's edgeList: by |weight|, then caller name, then callee name. */
export function sortEdges(edges: Iterable<GraphEdge>): GraphEdge[] {
  return [...edges].sort((a, b) => {
    if (a.weight !== b.weight && Math.abs(a.weight) !== Math.abs(b.weight)) return Math.abs(b.weight) - Math.abs(a.weight);
    const c = compareStrings(a.src.name, b.src.name);
    if (c !== 0) return c;
    return compareStrings(a.dest.name, b.dest.name);
  });
}

/**
 * removeRedundantEdges drops residual edges whose destination is reachable another way, lightest
 * first, to declutter a picture without losing connectivity.
 */
export function removeRedundantEdges(g: LinkedGraph): void {
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const inEdges = sortEdges(g.nodes[i]!.in.values());
    for (let j = inEdges.length - 1; j >= 0; j--) {
      const e = inEdges[j]!;
      if (!e.residual) break; // never remove an edge heavier than a direct one
      if (isRedundantEdge(e)) {
        e.src.out.delete(e.dest);
        e.dest.in.delete(e.src);
      }
    }
  }
}

function isRedundantEdge(e: GraphEdge): boolean {
  const src = e.src;
  const seen = new Set<GraphNode>([e.dest]);
  const queue: GraphNode[] = [e.dest];
  for (let q = 0; q < queue.length; q++) {
    for (const ie of queue[q]!.in.values()) {
      if (ie === e || seen.has(ie.src)) continue;
      if (ie.src === src) return true;
      seen.add(ie.src);
      queue.push(ie.src);
    }
  }
  return false;
}

/**
 * trimTree keeps only the nodes in `kept` of a call tree, linking each kept node to its nearest
 * kept ancestor with a residual edge (pprof's TrimTree).
 */
export function trimTree(g: LinkedGraph, kept: ReadonlySet<GraphNode>): void {
  const old = g.nodes;
  g.nodes = [];
  for (const cur of old) {
    if (kept.has(cur)) {
      g.nodes.push(cur);
      continue;
    }
    if (cur.in.size === 0) {
      for (const e of cur.out.values()) e.dest.in.delete(cur);
      continue;
    }
    const parent = cur.in.values().next().value!.src;
    const parentEdgeInline = parent.out.get(cur)!.inline;
    parent.out.delete(cur);
    for (const e of cur.out.values()) {
      const c = e.dest;
      c.in.delete(cur);
      c.in.set(parent, e);
      parent.out.set(c, e);
      e.src = parent;
      e.residual = true;
      e.inline = parentEdgeInline && e.inline;
    }
  }
  removeRedundantEdges(g);
}
