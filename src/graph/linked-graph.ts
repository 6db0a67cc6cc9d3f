// The call graph as linked node objects with label and numeric tags, as pprof's graph package
// holds it for its visual reports (dot, callgrind). The columnar graph in build.ts is faster and
// serves the text views; these reports need what it leaves out: per-node tags, a call tree (one
// node per call path), and graph surgery (tree trimming, redundant edge removal).

import type { Profile } from '../profile/model.js';
import { isNumericLabel } from '../profile/label-units.js';
import { type NodeIndex, type ValueOptions, buildGraph } from './build.js';
import { type NodeInfo, nodeKey, printableName } from './node-info.js';

/** Tag is a label (or numeric label value) seen on a node's samples, with their weight. */
export interface Tag {
  readonly name: string;
  /** Unit of a numeric tag; empty for label tags. */
  readonly unit: string;
  readonly value: number;
  flat: number;
  flatDiv: number;
  cum: number;
  cumDiv: number;
}

/** GraphEdge is a caller → callee edge. */
export interface GraphEdge {
  src: GraphNode;
  readonly dest: GraphNode;
  weight: number;
  weightDiv: number;
  /** The edge jumps over nodes left out of the graph. */
  residual: boolean;
  /** Every call along the edge was inlined. */
  inline: boolean;
  /** Last sample that added to the edge, so recursion counts once per sample. */
  stamp: number;
}

/** GraphNode is one node with its values, edges and tags. */
export interface GraphNode {
  readonly info: NodeInfo;
  /** The node's printable name, computed once. */
  readonly name: string;
  /**
   * Identity of the function this node belongs to: equal for nodes of the same function in the
   * same node map (pprof's Node.Function); call trees have one node map per parent.
   */
  readonly functionKey: string;
  flat: number;
  flatDiv: number;
  cum: number;
  cumDiv: number;
  readonly in: Map<GraphNode, GraphEdge>;
  readonly out: Map<GraphNode, GraphEdge>;
  labelTags: Map<string, Tag>;
  /** Numeric tags, grouped by the joined labels of their samples ("" for none). */
  numericTags: Map<string, Map<string, Tag>>;
}

/** LinkedGraph is a list of nodes; order is set by the sort functions. */
export interface LinkedGraph {
  nodes: GraphNode[];
}

/** TagOptions say which numeric labels become tags and how their names are printed. */
export interface TagOptions {
  /** Numeric label keys kept as tags, with their units (pprof keeps only `bytes`). */
  readonly numericKeys: ReadonlyMap<string, string>;
  /** Prints a numeric tag value in its unit. */
  readonly format: (value: number, unit: string) => string;
}

/** GraphOptions choose the sample value, node set and tags of a linked graph. */
export interface LinkedGraphOptions extends ValueOptions {
  /** When set, only nodes marked here are built; edges jump over the others, marked residual. */
  readonly kept?: Uint8Array;
  readonly dropNegative: boolean;
  readonly tags?: TagOptions;
}


function newNode(info: NodeInfo, functionKey: string): GraphNode {
  return {
    info,
    name: printableName(info),
    functionKey,
    flat: 0,
    flatDiv: 0,
    cum: 0,
    cumDiv: 0,
    in: new Map(),
    out: new Map(),
    labelTags: new Map(),
    numericTags: new Map(),
  };
}

/** functionInfoKey identifies the whole-function node of a node info (address and line cleared). */
function functionInfoKey(info: NodeInfo): string {
  if (info.address === 0n && info.lineno === 0) return nodeKey(info);
  return nodeKey({ ...info, address: 0n, lineno: 0 });
}

/** SampleTags are the labels of each sample, joined as pprof joins them, and its numeric tags. */
interface SampleTags {
  labels(s: number): string;
  numeric(s: number, visit: (name: string, unit: string, value: number) => void): void;
}

function sampleTags(p: Profile, o: TagOptions | undefined): SampleTags | undefined {
  const t = p.samples.labels;
  if (!o || !t) return undefined;
  const names = new Map<number, string>();
  return {
    labels(s) {
      const parts: string[] = [];
      for (let k = t.start[s]!; k < t.start[s + 1]!; k++) {
        if (t.str[k] !== 0) parts.push(`${p.strings[t.key[k]!]}:${p.strings[t.str[k]!]}`);
      }
      if (parts.length === 0) return '';
      parts.sort();
      return parts.join('\\n');
    },
    numeric(s, visit) {
      for (let k = t.start[s]!; k < t.start[s + 1]!; k++) {
        if (!isNumericLabel(t, k)) continue;
        const unit = o.numericKeys.get(p.strings[t.key[k]!]!);
        if (unit === undefined) continue;
        const v = t.num[k]!;
        let name = names.get(v);
        if (name === undefined) names.set(v, (name = o.format(v, unit)));
        visit(name, unit, v);
      }
    },
  };
}

function addSample(n: GraphNode, s: number, dw: number, w: number, labels: string, tags: SampleTags | undefined, flat: boolean): void {
  if (flat) {
    n.flatDiv += dw;
    n.flat += w;
  } else {
    n.cumDiv += dw;
    n.cum += w;
  }
  if (!tags) return;
  const add = (t: Tag): void => {
    if (flat) {
      t.flatDiv += dw;
      t.flat += w;
    } else {
      t.cumDiv += dw;
      t.cum += w;
    }
  };
  if (labels !== '') add(findOrAddTag(n.labelTags, labels, '', 0));
  let numeric = n.numericTags.get(labels);
  if (!numeric) n.numericTags.set(labels, (numeric = new Map()));
  const m = numeric;
  tags.numeric(s, (name, unit, value) => add(findOrAddTag(m, name, unit, value)));
}

function findOrAddTag(m: Map<string, Tag>, name: string, unit: string, value: number): Tag {
  let t = m.get(name);
  if (!t) m.set(name, (t = { name, unit, value, flat: 0, flatDiv: 0, cum: 0, cumDiv: 0 }));
  return t;
}

/** addToEdge adds weight to the edge from → to, creating it (pprof's AddToEdgeDiv). */
export function addToEdge(from: GraphNode, to: GraphNode, dw: number, w: number, residual: boolean, inline: boolean, stamp = -1): GraphEdge {
  let e = from.out.get(to);
  if (e) {
    e.weightDiv += dw;
    e.weight += w;
    if (residual) e.residual = true;
    if (!inline) e.inline = false;
  } else {
    e = { src: from, dest: to, weight: w, weightDiv: dw, residual, inline, stamp };
    from.out.set(to, e);
    to.in.set(from, e);
  }
  e.stamp = stamp;
  return e;
}

function isNegative(n: GraphNode): boolean {
  return n.flat < 0 || (n.flat === 0 && n.cum < 0);
}

function selectNodes(nodes: Iterable<GraphNode>, dropNegative: boolean): LinkedGraph {
  const out: GraphNode[] = [];
  for (const n of nodes) {
    if (n.cum === 0 && n.flat === 0) continue;
    if (dropNegative && isNegative(n)) continue;
    out.push(n);
  }
  return { nodes: out };
}

/** linkedGraph adds up every sample into nodes, edges and tags (pprof's graph.New). */
export function linkedGraph(p: Profile, index: NodeIndex, o: LinkedGraphOptions): LinkedGraph {
  return o.tags && p.samples.labels ? linkedGraphWithTags(p, index, o) : linkedFromColumnar(p, index, o);
}

/**
 * linkedFromColumnar builds a graph without tags: the columnar builder adds up the samples (several
 * times faster than objects per edge), then its nodes and edges are linked.
 */
function linkedFromColumnar(p: Profile, index: NodeIndex, o: LinkedGraphOptions): LinkedGraph {
  const g = buildGraph(p, index, o, { withEdges: true, ...(o.kept && { kept: o.kept }) });
  const nodes: (GraphNode | undefined)[] = new Array(index.info.length);
  const nodeOf = (id: number): GraphNode => {
    let n = nodes[id];
    if (!n) {
      n = nodes[id] = newNode(index.info[id]!, functionInfoKey(index.info[id]!));
      n.flat = g.flat[id]!;
      n.flatDiv = g.flatDiv[id]!;
      n.cum = g.cum[id]!;
      n.cumDiv = g.cumDiv[id]!;
    }
    return n;
  };
  const out: GraphNode[] = [];
  for (let id = 0; id < index.info.length; id++) {
    if (g.flat[id] !== 0 || g.cum[id] !== 0) out.push(nodeOf(id));
  }
  const e = g.edges!;
  for (let k = 0; k < e.length; k++) {
    addToEdge(nodeOf(e.src[k]!), nodeOf(e.dst[k]!), e.weightDiv[k]!, e.weight[k]!, e.residual[k] === 1, e.inline[k] === 1);
  }
  return selectNodes(out, o.dropNegative);
}

function linkedGraphWithTags(p: Profile, index: NodeIndex, o: LinkedGraphOptions): LinkedGraph {
  const nodes: (GraphNode | undefined)[] = new Array(index.info.length);
  const nodeOf = (id: number): GraphNode => (nodes[id] ??= newNode(index.info[id]!, functionInfoKey(index.info[id]!)));
  const tags = sampleTags(p, o.tags);
  const seen = new Int32Array(index.info.length).fill(-1);
  const { stackStart, locations, values } = p.samples;
  const nTypes = p.sampleTypes.length;
  const { locNodeStart, locNodes } = index;
  const kept = o.kept;
  for (let s = 0; s < p.samples.length; s++) {
    const w = values[s * nTypes + o.sampleIndex]!;
    const dw = o.meanDivisorIndex >= 0 ? values[s * nTypes + o.meanDivisorIndex]! : 0;
    if (w === 0 && dw === 0) continue;
    if (o.sampleFilter && !o.sampleFilter(s)) continue;
    const labels = tags ? tags.labels(s) : '';
    let parent: GraphNode | undefined;
    let residual = false;
    for (let i = stackStart[s + 1]! - 1; i >= stackStart[s]!; i--) {
      const l = locations[i]!;
      const first = locNodeStart[l]!;
      const last = locNodeStart[l + 1]! - 1;
      for (let k = last; k >= first; k--) {
        const id = locNodes[k]!;
        if (kept && kept[id] === 0) {
          residual = true;
          continue;
        }
        const n = nodeOf(id);
        if (seen[id] !== s) {
          seen[id] = s;
          addSample(n, s, dw, w, labels, tags, false);
        }
        if (parent && n !== parent) {
          const e = parent.out.get(n);
          if (!e || e.stamp !== s) addToEdge(parent, n, dw, w, residual, k !== last, s);
        }
        parent = n;
        residual = false;
      }
    }
    if (parent && !residual) addSample(parent, s, dw, w, labels, tags, true);
  }
  return selectNodes(
    nodes.filter((n): n is GraphNode => n !== undefined),
    o.dropNegative,
  );
}

/** callTree builds a tree with one node per call path (pprof's newTree, for -call_tree). */
export function callTree(p: Profile, index: NodeIndex, o: LinkedGraphOptions): LinkedGraph {
  // Each parent (and the root) has its own node map, keyed by node info id.
  interface TreeNode extends GraphNode {
    children?: Map<number, TreeNode>;
    mapId: number;
  }
  const roots = new Map<number, TreeNode>();
  const all: TreeNode[] = [];
  let maps = 1;
  const tags = sampleTags(p, o.tags);
  const { stackStart, locations, values } = p.samples;
  const nTypes = p.sampleTypes.length;
  const { locNodeStart, locNodes } = index;
  const child = (parent: TreeNode | undefined, id: number): TreeNode => {
    let m: Map<number, TreeNode>;
    let mapId: number;
    if (parent) {
      if (!parent.children) {
        parent.children = new Map();
        parent.mapId = maps++;
      }
      m = parent.children;
      mapId = parent.mapId;
    } else {
      m = roots;
      mapId = 0;
    }
    let n = m.get(id);
    if (!n) {
      const info = index.info[id]!;
      n = { ...newNode(info, `${mapId}\u0001${functionInfoKey(info)}`), mapId: -1 };
      m.set(id, n);
      all.push(n);
    }
    return n;
  };
  for (let s = 0; s < p.samples.length; s++) {
    const w = values[s * nTypes + o.sampleIndex]!;
    const dw = o.meanDivisorIndex >= 0 ? values[s * nTypes + o.meanDivisorIndex]! : 0;
    if (w === 0 && dw === 0) continue;
    if (o.sampleFilter && !o.sampleFilter(s)) continue;
    const labels = tags ? tags.labels(s) : '';
    let parent: TreeNode | undefined;
    for (let i = stackStart[s + 1]! - 1; i >= stackStart[s]!; i--) {
      const l = locations[i]!;
      const first = locNodeStart[l]!;
      const last = locNodeStart[l + 1]! - 1;
      for (let k = last; k >= first; k--) {
        const n = child(parent, locNodes[k]!);
        addSample(n, s, dw, w, labels, tags, false);
        if (parent) addToEdge(parent, n, dw, w, false, k !== last);
        parent = n;
      }
    }
    if (parent) addSample(parent, s, dw, w, labels, tags, true);
  }
  return selectNodes(all, o.dropNegative);
}
