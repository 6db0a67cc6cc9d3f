// The call graph: nodes (one per NodeInfo) with flat and cumulative values, and weighted edges
// from caller to callee, accumulated from every sample as pprof's graph.New does.
//
// Node identities are resolved once per location (not per sample), and the per-sample work runs
// over typed arrays: a node stamp so recursion counts once in cum, and an open-addressing table
// of edges keyed by (caller, callee).

import type { Profile } from '../profile/model.js';
import { Growable } from '../profile/growable.js';
import { type AggregationOptions, type NodeInfo, lineNodeInfo, nodeKey } from './node-info.js';

/** NodeIndex maps every location of a profile to the nodes of its lines at one aggregation. */
export interface NodeIndex {
  readonly info: readonly NodeInfo[];
  /** Location l's nodes are locNodes[locNodeStart[l] .. locNodeStart[l+1]-1], leaf first. */
  readonly locNodeStart: Uint32Array;
  readonly locNodes: Uint32Array;
}

/** buildNodeIndex resolves the nodes of every location line (pprof's CreateNodes + Aggregate). */
export function buildNodeIndex(p: Profile, o: AggregationOptions): NodeIndex {
  const loc = p.locations;
  const info: NodeInfo[] = [];
  const byKey = new Map<string, number>();
  const locNodeStart = new Uint32Array(loc.length + 1);
  const locNodes = new Growable(Uint32Array, loc.lineFunction.length + 16);
  const nodeOf = (ni: NodeInfo): number => {
    const key = nodeKey(ni);
    let id = byKey.get(key);
    if (id === undefined) {
      id = info.length;
      info.push(ni);
      byKey.set(key, id);
    }
    return id;
  };
  // At function granularity a named function's node is its name alone (pprof clears everything
  // else), so nodes are found by name, once per function, without building a full key.
  const byFunction = o.granularity === 'functions' && !o.objNames && !o.origFnNames;
  const fnNode = byFunction ? new Int32Array(p.functions.length).fill(-1) : undefined;
  const byName = new Map<string, number>();
  const functionNode = (f: number): number => {
    const name = p.strings[p.functions.name[f]!]!;
    let id = byName.get(name);
    if (id === undefined) {
      id = info.length;
      info.push({ name, origName: '', address: 0n, file: '', startLine: 0, lineno: 0, objfile: '' });
      byName.set(name, id);
    }
    return id;
  };
  for (let l = 0; l < loc.length; l++) {
    locNodeStart[l] = locNodes.length;
    let a = loc.lineStart[l]!;
    const b = loc.lineStart[l + 1]!;
    if (a === b) {
      // A location with no lines still stands for its address.
      locNodes.push(nodeOf(lineNodeInfo(p, l, -1, o)));
      continue;
    }
    if (o.noInlines && b - a > 1) a = b - 1; // keep only the outermost frame
    for (let k = a; k < b; k++) {
      const f = loc.lineFunction[k]!;
      if (fnNode && f >= 0 && p.functions.name[f] !== 0 && p.strings[p.functions.name[f]!] !== '') {
        if (fnNode[f] === -1) fnNode[f] = functionNode(f);
        locNodes.push(fnNode[f]!);
      } else {
        locNodes.push(nodeOf(lineNodeInfo(p, l, k, o)));
      }
    }
  }
  locNodeStart[loc.length] = locNodes.length;
  return { info, locNodeStart, locNodes: locNodes.finish() };
}

/** ValueOptions say which sample value a graph adds up. */
export interface ValueOptions {
  readonly sampleIndex: number;
  /** For mean values: the index of the value to divide by (pprof uses 0), or -1. */
  readonly meanDivisorIndex: number;
  /** Only samples for which this returns true are counted (diff base marking, filters). */
  readonly sampleFilter?: (sample: number) => boolean;
}

/** NodeValues are the flat and cumulative sums of every node (and their mean divisors). */
export interface NodeValues {
  readonly flat: Float64Array;
  readonly flatDiv: Float64Array;
  readonly cum: Float64Array;
  readonly cumDiv: Float64Array;
}

/** EdgeTable holds caller → callee edges with their weights and kinds. */
export interface EdgeTable {
  readonly length: number;
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly weight: Float64Array;
  readonly weightDiv: Float64Array;
  /** 1 when the edge skips nodes that were left out of the graph. */
  readonly residual: Uint8Array;
  /** 1 when every call along this edge was inlined. */
  readonly inline: Uint8Array;
}

/** Graph is the call graph of a profile: node values and, when asked for, edges. */
export interface Graph extends NodeValues {
  readonly nodes: NodeIndex;
  readonly edges: EdgeTable | undefined;
}

/**
 * inlinedSomewhere marks the nodes that stand for an inlined frame in some location (a line other
 * than the location's outermost): only these can have inlined incoming edges.
 */
export function inlinedSomewhere(nodes: NodeIndex): Uint8Array {
  const out = new Uint8Array(nodes.info.length);
  const { locNodeStart, locNodes } = nodes;
  for (let l = 0; l + 1 < locNodeStart.length; l++) {
    for (let k = locNodeStart[l]!; k < locNodeStart[l + 1]! - 1; k++) out[locNodes[k]!] = 1;
  }
  return out;
}

/**
 * buildGraph adds up every sample into nodes (and edges, with `withEdges`). Nodes not in `kept`
 * (when given) are left out: flat value below them is lost and edges jump over them, marked
 * residual, exactly as pprof rebuilds a graph from a kept node set. With `edgesInto`/`edgesFrom`,
 * only edges into (or out of) the marked nodes are recorded.
 */
export function buildGraph(
  p: Profile,
  nodes: NodeIndex,
  v: ValueOptions,
  opts: { kept?: Uint8Array; withEdges?: boolean; edgesInto?: Uint8Array; edgesFrom?: Uint8Array } = {},
): Graph {
  const n = nodes.info.length;
  const out = { flat: new Float64Array(n), flatDiv: new Float64Array(n), cum: new Float64Array(n), cumDiv: new Float64Array(n) };
  // Node values and edges are two passes, each a small loop V8 optimises early in a cold run.
  if (opts.kept || v.sampleFilter) sumKeptNodeValues(p, nodes, v, opts.kept, out);
  else sumNodeValues(p, nodes, v, out);
  return { nodes, ...out, edges: opts.withEdges ? buildEdges(p, nodes, v, opts) : undefined };
}

/** buildEdges is the edges of buildGraph alone. */
export function buildEdges(
  p: Profile,
  nodes: NodeIndex,
  v: ValueOptions,
  opts: { kept?: Uint8Array; edgesInto?: Uint8Array; edgesFrom?: Uint8Array } = {},
): EdgeTable {
  const edges = new EdgeBuilder();
  const { kept, edgesInto: into, edgesFrom: from } = opts;
  const anyEdge = !into && !from;
  const { stackStart, locations, values } = p.samples;
  const nTypes = p.sampleTypes.length;
  const { locNodeStart, locNodes } = nodes;
  const { sampleIndex: vi, meanDivisorIndex: di, sampleFilter: filter } = v;
  // Locations none of whose nodes are kept only make the next edge residual: one look-up for them.
  const keptLoc = kept && keptLocations(nodes, kept);
  for (let s = 0; s < p.samples.length; s++) {
    const w = values[s * nTypes + vi]!;
    const dw = di >= 0 ? values[s * nTypes + di]! : 0;
    if (w === 0 && dw === 0) continue;
    if (filter && !filter(s)) continue;
    let parent = -1;
    let residual = false;
    edges.nextSample(s);
    for (let i = stackStart[s + 1]! - 1; i >= stackStart[s]!; i--) {
      const l = locations[i]!;
      if (keptLoc && keptLoc[l] === 0) {
        residual = true;
        continue;
      }
      const first = locNodeStart[l]!;
      const last = locNodeStart[l + 1]! - 1;
      for (let k = last; k >= first; k--) {
        const node = locNodes[k]!;
        if (kept && kept[node] === 0) {
          residual = true;
          continue;
        }
        if (parent >= 0 && node !== parent && (anyEdge || into?.[node] === 1 || from?.[parent] === 1)) {
          edges.add(parent, node, w, dw, residual, k !== last);
        }
        parent = node;
        residual = false;
      }
    }
  }
  return edges.finish();
}

/**
 * sumKeptNodeValues is buildGraph's node values with a kept set or a sample filter: a node left
 * out gets nothing, and a sample's flat value is lost when its innermost node is left out.
 */
function sumKeptNodeValues(p: Profile, nodes: NodeIndex, v: ValueOptions, kept: Uint8Array | undefined, out: NodeValues): void {
  const { flat, flatDiv, cum, cumDiv } = out;
  const seen = new Int32Array(cum.length).fill(-1);
  const { stackStart, locations, values } = p.samples;
  const nTypes = p.sampleTypes.length;
  const { locNodeStart, locNodes } = nodes;
  const { sampleIndex: vi, meanDivisorIndex: di, sampleFilter: filter } = v;
  for (let s = 0; s < p.samples.length; s++) {
    const w = values[s * nTypes + vi]!;
    const dw = di >= 0 ? values[s * nTypes + di]! : 0;
    if (w === 0 && dw === 0) continue;
    if (filter && !filter(s)) continue;
    let innermost = -1;
    for (let i = stackStart[s + 1]! - 1; i >= stackStart[s]!; i--) {
      const l = locations[i]!;
      for (let k = locNodeStart[l + 1]! - 1; k >= locNodeStart[l]!; k--) {
        const node = locNodes[k]!;
        innermost = kept && kept[node] === 0 ? -1 : node;
        if (innermost >= 0 && seen[node] !== s) {
          seen[node] = s;
          cum[node]! += w;
          cumDiv[node]! += dw;
        }
      }
    }
    if (innermost >= 0) {
      flat[innermost]! += w;
      flatDiv[innermost]! += dw;
    }
  }
}

/** keptLocations marks the locations with at least one kept node. */
function keptLocations(nodes: NodeIndex, kept: Uint8Array): Uint8Array {
  const { locNodeStart, locNodes } = nodes;
  const out = new Uint8Array(locNodeStart.length - 1);
  for (let l = 0; l < out.length; l++) {
    for (let k = locNodeStart[l]!; k < locNodeStart[l + 1]!; k++) if (kept[locNodes[k]!] === 1) out[l] = 1;
  }
  return out;
}

/**
 * sumNodeValues is buildGraph's loop for the common case of node values alone (no edges, kept set
 * or filter): with every node kept the flat value goes to the leaf location's innermost node.
 * Apart and small so that V8 optimises it within the first samples of a cold run. The loop is
 * bound by memory, not arithmetic, so it saves loads: a node's cum and its last-seen sample sit
 * side by side, and a location with one node (most) is resolved by one table.
 */
function sumNodeValues(p: Profile, nodes: NodeIndex, v: ValueOptions, out: NodeValues): void {
  const { stackStart, locations, values } = p.samples;
  const nTypes = p.sampleTypes.length;
  const { sampleIndex: vi, meanDivisorIndex: di } = v;
  const { locNodeStart, locNodes } = nodes;
  const { flat, flatDiv, cum, cumDiv } = out;
  const nLoc = locNodeStart.length - 1;
  const single = new Int32Array(nLoc);
  for (let l = 0; l < nLoc; l++) single[l] = locNodeStart[l + 1]! - locNodeStart[l]! === 1 ? locNodes[locNodeStart[l]!]! : -1;
  // cumSeen[2i] is node i's cum, cumSeen[2i+1] the last sample that added to it.
  const cumSeen = new Float64Array(2 * cum.length);
  for (let i = 0; i < cum.length; i++) cumSeen[2 * i + 1] = -1;
  const n = stackStart.length - 1;
  for (let s = 0; s < n; s++) {
    const w = values[s * nTypes + vi]!;
    const dw = di >= 0 ? values[s * nTypes + di]! : 0;
    const top = stackStart[s]!;
    const bottom = stackStart[s + 1]!;
    if ((w === 0 && dw === 0) || top === bottom) continue;
    for (let i = bottom - 1; i >= top; i--) {
      const l = locations[i]!;
      const one = single[l]!;
      if (one >= 0) {
        if (cumSeen[2 * one + 1] !== s) {
          cumSeen[2 * one + 1] = s;
          cumSeen[2 * one]! += w;
          if (dw !== 0) cumDiv[one]! += dw;
        }
        continue;
      }
      for (let k = locNodeStart[l + 1]! - 1, first = locNodeStart[l]!; k >= first; k--) {
        const node = locNodes[k]!;
        if (cumSeen[2 * node + 1] !== s) {
          cumSeen[2 * node + 1] = s;
          cumSeen[2 * node]! += w;
          if (dw !== 0) cumDiv[node]! += dw;
        }
      }
    }
    const leaf = locNodes[locNodeStart[locations[top]!]!]!;
    flat[leaf]! += w;
    flatDiv[leaf]! += dw;
  }
  for (let i = 0; i < cum.length; i++) cum[i] = cumSeen[2 * i]!;
}

/** EdgeBuilder accumulates edges in an open-addressing hash table keyed by (src, dst). */
class EdgeBuilder {
  private src = new Growable(Uint32Array, 1024);
  private dst = new Growable(Uint32Array, 1024);
  private weight = new Growable(Float64Array, 1024);
  private weightDiv = new Growable(Float64Array, 1024);
  private residual = new Growable(Uint8Array, 1024);
  private inline = new Growable(Uint8Array, 1024);
  private stamp = new Growable(Int32Array, 1024);
  private table = new Int32Array(4096); // edge index + 1, 0 for empty
  private mask = 4095;
  private sample = -1;

  nextSample(s: number): void {
    this.sample = s;
  }

  add(src: number, dst: number, w: number, dw: number, residual: boolean, inline: boolean): void {
    let h = (Math.imul(src, 0x9e3779b1) ^ Math.imul(dst + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 15)) & this.mask;
    const table = this.table;
    for (;;) {
      const e = table[h]! - 1;
      if (e < 0) break;
      if (this.src.data[e] === src && this.dst.data[e] === dst) {
        // An edge counts once per sample, however often recursion repeats it.
        if (this.stamp.data[e] === this.sample) return;
        this.stamp.data[e] = this.sample;
        this.weight.data[e]! += w;
        this.weightDiv.data[e]! += dw;
        if (residual) this.residual.data[e] = 1;
        if (!inline) this.inline.data[e] = 0;
        return;
      }
      h = (h + 1) & this.mask;
    }
    const e = this.src.length;
    this.src.push(src);
    this.dst.push(dst);
    this.weight.push(w);
    this.weightDiv.push(dw);
    this.residual.push(residual ? 1 : 0);
    this.inline.push(inline ? 1 : 0);
    this.stamp.push(this.sample);
    table[h] = e + 1;
    if (this.src.length * 2 > this.table.length) this.rehash();
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.src.length; e++) {
      const src = this.src.data[e]!;
      const dst = this.dst.data[e]!;
      let h = (Math.imul(src, 0x9e3779b1) ^ Math.imul(dst + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
      h = (h ^ (h >>> 15)) & mask;
      while (table[h] !== 0) h = (h + 1) & mask;
      table[h] = e + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  finish(): EdgeTable {
    return {
      length: this.src.length,
      src: this.src.finish(),
      dst: this.dst.finish(),
      weight: this.weight.finish(),
      weightDiv: this.weightDiv.finish(),
      residual: this.residual.finish(),
      inline: this.inline.finish(),
    };
  }
}

/** meanValue is pprof's Node.FlatValue/CumValue: the sum, divided (truncating) when a divisor is set. */
export function meanValue(sum: number, div: number): number {
  return div === 0 ? sum : Math.trunc(sum / div);
}
