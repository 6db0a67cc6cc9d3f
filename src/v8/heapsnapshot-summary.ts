// The Summary view of a heap snapshot: objects grouped by class (heapsnapshot-classes.ts), as
// Chrome DevTools groups them (HeapSnapshot.ts, buildAggregates), with each group's count,
// shallow size and retained size. A group's retained size counts each object once: an object
// dominated by another object of the same group is already inside that one's retained size.

import { type Classes, type InterfaceDefinition, classify, inferInterfaces } from './heapsnapshot-classes.js';
import { HeapGraph } from './heapsnapshot-graph.js';
import type { RawHeapSnapshot } from './heapsnapshot-read.js';
import { type Retention, analyseRetention, dominatedLists } from './heapsnapshot-retention.js';

/** AnalysedSnapshot is a snapshot's graph with its retention and every node's class. */
export interface AnalysedSnapshot {
  readonly graph: HeapGraph;
  readonly retention: Retention;
  /** The property sets this snapshot's plain objects are grouped by. */
  readonly interfaces: readonly InterfaceDefinition[];
  readonly classes: Classes;
}

/** ClassRow is one line of the Summary: a constructor (or kind of object) and its objects. */
export interface ClassRow {
  readonly name: string;
  /** Where the constructor is defined (V8's script id, 0-based line and column), when the snapshot says. */
  readonly location?: { readonly scriptId: number; readonly line: number; readonly column: number };
  readonly count: number;
  /** The objects' own sizes, in bytes. */
  readonly shallowSize: number;
  /** What the objects keep alive, in bytes, each object counted once. */
  readonly retainedSize: number;
  /** The shortest distance from the root of any of the objects (-5: unreachable). */
  readonly distance: number;
}

/** HeapSummary is the Summary view: totals and the rows, largest retained size first. */
export interface HeapSummary {
  readonly nodeCount: number;
  /** The root's retained size: the size of everything in the snapshot. */
  readonly totalSize: number;
  readonly rows: readonly ClassRow[];
}

/** analyseSnapshot builds the graph, its retention and the class of every node. */
export function analyseSnapshot(raw: RawHeapSnapshot): AnalysedSnapshot {
  const graph = new HeapGraph(raw);
  const retention = analyseRetention(graph);
  const interfaces = inferInterfaces(graph);
  return { graph, retention, interfaces, classes: classify(graph, interfaces) };
}

/** summarize groups the objects by class: only objects with a size count, as in DevTools. */
export function summarize(s: AnalysedSnapshot): HeapSummary {
  const { graph: g, retention } = s;
  const { classOf, classes } = s.classes;
  const k = classes.length;
  const count = new Float64Array(k);
  const shallow = new Float64Array(k);
  const distance = new Int32Array(k).fill(0x7fffffff);
  for (let n = 0; n < g.nodeCount; n++) {
    const size = g.selfSizes[n]!;
    if (size === 0) continue;
    const c = classOf[n]!;
    count[c]!++;
    shallow[c] += size;
    if (retention.distances[n]! < distance[c]!) distance[c] = retention.distances[n]!;
  }
  const retained = classRetainedSizes(s);
  const rows: ClassRow[] = [];
  for (let c = 0; c < k; c++) {
    if (count[c] === 0) continue;
    const info = classes[c]!;
    rows.push({ name: info.name, ...(info.location && { location: info.location }), count: count[c]!, shallowSize: shallow[c]!, retainedSize: retained[c]!, distance: distance[c]! });
  }
  rows.sort((a, b) => b.retainedSize - a.retainedSize || b.shallowSize - a.shallowSize || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { nodeCount: g.nodeCount, totalSize: retention.retainedSizes[g.rootOrdinal]!, rows };
}

/**
 * classRetainedSizes walks the dominator tree from the root, depth first, adding an object's
 * retained size to its class unless an object of the same class dominates it (then it is counted
 * already). `open[c]` counts the objects of class c on the current path.
 */
function classRetainedSizes(s: AnalysedSnapshot): Float64Array {
  const { graph: g, retention } = s;
  const { classOf, classes } = s.classes;
  const { retainedSizes } = retention;
  const { firstDominated, dominated } = dominatedLists(g, retention.dominators);
  const sums = new Float64Array(classes.length);
  const open = new Uint32Array(classes.length);
  // The stack holds node + 1 to enter a node, and ~node (negative) to leave one that counted.
  const stack = new Int32Array(2 * g.nodeCount + 2);
  let top = 0;
  stack[top++] = g.rootOrdinal + 1;
  while (top > 0) {
    const item = stack[--top]!;
    if (item < 0) {
      open[classOf[~item]!]!--;
      continue;
    }
    const n = item - 1;
    const c = classOf[n]!;
    const counts = open[c] === 0 && g.selfSizes[n]! > 0;
    if (counts) {
      sums[c] += retainedSizes[n]!;
      open[c]!++;
      stack[top++] = ~n;
    }
    for (let i = firstDominated[n]!; i < firstDominated[n + 1]!; i++) stack[top++] = dominated[i]! + 1;
  }
  return sums;
}
