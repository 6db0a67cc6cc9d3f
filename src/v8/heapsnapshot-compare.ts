// The Comparison view of two heap snapshots of one process: per constructor, the objects that
// are new (their id is not in the base) and those deleted (their id is only in the base), as
// Chrome DevTools matches them (by node id, within a class), and for the largest new objects the
// path that keeps them alive, from a global object down.

import { type ClassInfo, classify } from './heapsnapshot-classes.js';
import { type HeapGraph, radixSortBy } from './heapsnapshot-graph.js';
import { noDistance } from './heapsnapshot-retention.js';
import type { AnalysedSnapshot } from './heapsnapshot-summary.js';

/** ClassDelta is one line of the Comparison. */
export interface ClassDelta {
  readonly name: string;
  readonly location?: ClassInfo['location'];
  readonly newCount: number;
  readonly deletedCount: number;
  readonly countDelta: number;
  /** Bytes of the new objects. */
  readonly allocatedSize: number;
  /** Bytes of the deleted objects. */
  readonly freedSize: number;
  readonly sizeDelta: number;
}

/** PathStep is one hop of a retainer path: an object and the edge out of it to the next. */
export interface PathStep {
  readonly node: string;
  readonly id: number;
  /** The edge to the next step as DevTools writes it (`.prop`, `[3]`, `{elements}`, `->ctx`); empty on the last. */
  readonly edge: string;
}

/** NewObject is a new object of a class that grew, with what keeps it alive. */
export interface NewObject {
  readonly className: string;
  readonly id: number;
  readonly shallowSize: number;
  readonly retainedSize: number;
  /** From a global object (or a GC root) down to the object itself. */
  readonly path: readonly PathStep[];
  /** Whether the path reaches a global object or GC root (else it stops where no retainer is nearer). */
  readonly fromRoot: boolean;
}

/** HeapComparison is the Comparison view: rows by size growth, then the largest new objects. */
export interface HeapComparison {
  readonly rows: readonly ClassDelta[];
  readonly newObjects: readonly NewObject[];
}

/** CompareOptions: how many classes (those that grew most) get a retainer path for their largest new object. */
export interface CompareOptions {
  readonly paths?: number;
}

/** compareSnapshots compares an older snapshot (base) with a newer one of the same process. */
export function compareSnapshots(base: AnalysedSnapshot, current: AnalysedSnapshot, o: CompareOptions = {}): HeapComparison {
  const a = sizedById(base);
  const b = sizedById(current);
  const ga = base.graph;
  const gb = current.graph;
  // As DevTools, the base's plain objects are grouped by the newer snapshot's interfaces, so
  // that `{x, y}` means the same in both.
  const baseClasses = classify(ga, current.interfaces);
  const cb = current.classes;
  interface Acc { info: ClassInfo; newCount: number; deletedCount: number; allocatedSize: number; freedSize: number; largestNew: number }
  const acc = new Map<string, Acc>();
  const at = (info: ClassInfo): Acc => {
    let x = acc.get(info.key);
    if (x === undefined) acc.set(info.key, (x = { info, newCount: 0, deletedCount: 0, allocatedSize: 0, freedSize: 0, largestNew: -1 }));
    return x;
  };
  const deleted = (n: number) => {
    const x = at(baseClasses.classes[baseClasses.classOf[n]!]!);
    x.deletedCount++;
    x.freedSize += ga.selfSizes[n]!;
  };
  const added = (n: number) => {
    const x = at(cb.classes[cb.classOf[n]!]!);
    x.newCount++;
    x.allocatedSize += gb.selfSizes[n]!;
    const r = current.retention.retainedSizes;
    if (x.largestNew < 0 || r[n]! > r[x.largestNew]!) x.largestNew = n;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ia = ga.ids[a[i]!]!;
    const ib = gb.ids[b[j]!]!;
    if (ia < ib) deleted(a[i++]!);
    else if (ia > ib) added(b[j++]!);
    else {
      // The same object; if its class changed, DevTools sees one deleted and one new.
      if (baseClasses.classes[baseClasses.classOf[a[i]!]!]!.key !== cb.classes[cb.classOf[b[j]!]!]!.key) {
        deleted(a[i]!);
        added(b[j]!);
      }
      i++;
      j++;
    }
  }
  while (i < a.length) deleted(a[i++]!);
  while (j < b.length) added(b[j++]!);

  const rows: (ClassDelta & { largestNew: number })[] = [];
  for (const x of acc.values()) {
    if (x.newCount === 0 && x.deletedCount === 0) continue;
    rows.push({
      name: x.info.name, ...(x.info.location && { location: x.info.location }), newCount: x.newCount, deletedCount: x.deletedCount, countDelta: x.newCount - x.deletedCount,
      allocatedSize: x.allocatedSize, freedSize: x.freedSize, sizeDelta: x.allocatedSize - x.freedSize, largestNew: x.largestNew,
    });
  }
  rows.sort((p, q) => q.sizeDelta - p.sizeDelta || q.countDelta - p.countDelta || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
  const newObjects: NewObject[] = [];
  for (const row of rows) {
    if (newObjects.length >= (o.paths ?? 5)) break;
    if (row.sizeDelta <= 0 || row.largestNew < 0) continue;
    const n = row.largestNew;
    const { path, fromRoot } = retainerPath(current, n);
    newObjects.push({ className: row.name, id: gb.ids[n]!, shallowSize: gb.selfSizes[n]!, retainedSize: current.retention.retainedSizes[n]!, path, fromRoot });
  }
  return { rows: rows.map(({ largestNew: _, ...row }) => row), newObjects };
}

/** sizedById lists the nodes that have a size (the ones DevTools counts), sorted by id. */
function sizedById(s: AnalysedSnapshot): Uint32Array {
  const g = s.graph;
  let k = 0;
  for (let n = 0; n < g.nodeCount; n++) if (g.selfSizes[n]! > 0) k++;
  const order = new Uint32Array(k);
  k = 0;
  for (let n = 0; n < g.nodeCount; n++) if (g.selfSizes[n]! > 0) order[k++] = n;
  return radixSortBy(order, g.ids);
}

/** The longest path shown; real ones are a dozen hops. */
const maxPathLength = 64;

/**
 * retainerPath follows, from an object up, the retainer nearest the root (not through weak
 * edges nor from the root itself, as DevTools' retainers view lists them), until a global object
 * (distance 1) or a GC root's child: the path DevTools' retainers view opens first.
 */
export function retainerPath(s: AnalysedSnapshot, node: number): { path: PathStep[]; fromRoot: boolean } {
  const g = s.graph;
  const dist = s.retention.distances;
  const steps: PathStep[] = [{ node: nodeLabel(s, node), id: g.ids[node]!, edge: '' }];
  let cur = node;
  let fromRoot = false;
  const seen = new Set<number>([cur]);
  while (steps.length < maxPathLength) {
    const d = dist[cur]!;
    if (d === 1 || d === noDistance) {
      fromRoot = d === 1;
      break;
    }
    let best = -1;
    let bestEdge = -1;
    let byRoot = false;
    for (let k = g.firstRetainer[cur]!; k < g.firstRetainer[cur + 1]!; k++) {
      const e = g.retainerEdges[k]!;
      const from = g.edgeSource(e);
      if (g.edgeTypes[e] === g.e.weak) continue;
      if (from === g.rootOrdinal) byRoot = true;
      if (from === g.rootOrdinal || seen.has(from)) continue;
      const fd = dist[from]!;
      if (fd === noDistance) continue;
      if (best < 0 || fd < dist[best]!) {
        best = from;
        bestEdge = e;
      }
    }
    if (best < 0) {
      // Held straight from the root (a GC root's child): the path is complete; else it is cut.
      fromRoot = byRoot;
      break;
    }
    steps.unshift({ node: nodeLabel(s, best), id: g.ids[best]!, edge: g.edgeLabel(bestEdge) });
    seen.add(best);
    cur = best;
  }
  return { path: steps, fromRoot };
}

/** nodeLabel names an object on a path: its class, or for V8's own objects their name. */
function nodeLabel(s: AnalysedSnapshot, node: number): string {
  const g: HeapGraph = s.graph;
  const t = g.types[node];
  const name = g.nodeName(node);
  const short = (x: string) => (x.length > 60 ? x.slice(0, 57) + '…' : x);
  if (t === g.t.closure) return `${short(name) || '(anonymous)'}()`;
  if (t === g.t.hidden || t === g.t.array || t === g.t.synthetic || t === g.t.code) return short(name) || className(s, node);
  return short(className(s, node));
}

function className(s: AnalysedSnapshot, node: number): string {
  return s.classes.classes[s.classes.classOf[node]!]!.name;
}
