// The object graph of a heap snapshot, indexed for walking both ways: each node's first edge,
// each node's retainers, and the rules (Chrome DevTools' HeapSnapshot.ts) for which edges retain.
// Nodes are numbered by ordinal (0..nodeCount-1), edges by ordinal (0..edgeCount-1); the file's
// "node index" (ordinal × fields) appears only where the raw arrays are read.

import type { RawHeapSnapshot } from './heapsnapshot-read.js';

/** HeapGraph is a snapshot with the indexes every analysis needs. Read-only after construction but for selfSizes (heapsnapshot-retention.ts moves owned sizes once). */
export class HeapGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly rootOrdinal: number;
  /** Per node: its type, name (string index), id and self size, copied out of the raw fields. */
  readonly types: Uint8Array;
  readonly names: Uint32Array;
  readonly ids: Uint32Array;
  readonly selfSizes: Uint32Array;
  /** Per node: its first edge ordinal; firstEdge[nodeCount] = edgeCount. */
  readonly firstEdge: Uint32Array;
  /** Per edge: its type, name or index, and the ordinal of the node it points to. */
  readonly edgeTypes: Uint8Array;
  readonly edgeNames: Uint32Array;
  readonly edgeTargets: Uint32Array;
  /**
   * Per node: its first retainer slot; the slots hold the retaining edges' ordinals (the node an
   * edge comes from is edgeSource's to find: not kept, it would be 4 more bytes an edge).
   */
  readonly firstRetainer: Uint32Array;
  readonly retainerEdges: Uint32Array;
  readonly strings: readonly string[];
  /** Per node: DOM state of embedder objects (0 unknown, 1 attached, 2 detached), when the snapshot has it. */
  readonly detachedness: Uint8Array | undefined;
  readonly locations: RawHeapSnapshot['locations'];
  /** The location rows in node order, for locationRows' merge. */
  private readonly locationOrder: Uint32Array;
  readonly nodeTypeNames: readonly string[];
  readonly edgeTypeNames: readonly string[];
  /** Type numbers of the kinds the rules below name; -1 when the snapshot's meta lacks one. */
  readonly t: {
    hidden: number; array: number; string: number; object: number; code: number; closure: number; regexp: number;
    native: number; synthetic: number; consString: number; slicedString: number;
  };
  readonly e: { element: number; property: number; context: number; internal: number; hidden: number; shortcut: number; weak: number };

  constructor(raw: RawHeapSnapshot) {
    const { meta, nodes, edges } = raw;
    const n = (this.nodeCount = raw.nodeCount);
    const m = (this.edgeCount = raw.edgeCount);
    this.rootOrdinal = raw.rootOrdinal;
    this.strings = raw.strings;
    this.detachedness = nodes.detachedness;
    this.locations = raw.locations;
    this.locationOrder = sortedOrder(raw.locations.node);
    this.nodeTypeNames = meta.nodeTypes;
    this.edgeTypeNames = meta.edgeTypes;
    const nt = (s: string) => meta.nodeTypes.indexOf(s);
    this.t = {
      hidden: nt('hidden'), array: nt('array'), string: nt('string'), object: nt('object'), code: nt('code'), closure: nt('closure'),
      regexp: nt('regexp'), native: nt('native'), synthetic: nt('synthetic'), consString: nt('concatenated string'), slicedString: nt('sliced string'),
    };
    const et = (s: string) => meta.edgeTypes.indexOf(s);
    this.e = { element: et('element'), property: et('property'), context: et('context'), internal: et('internal'), hidden: et('hidden'), shortcut: et('shortcut'), weak: et('weak') };

    // The reader's columns are used as they are: no second copy of the big arrays.
    this.types = nodes.type;
    this.names = nodes.name;
    this.ids = nodes.id;
    // Sizes are moved between nodes once (heapsnapshot-retention.ts), in this column itself.
    this.selfSizes = nodes.selfSize;
    this.firstEdge = nodes.firstEdge;
    this.edgeTypes = edges.type;
    this.edgeNames = edges.nameOrIndex;
    this.edgeTargets = edges.toNode;

    // Retainers: count per target, prefix sums, then fill each target's slots in edge order.
    const first = (this.firstRetainer = new Uint32Array(n + 1));
    for (let i = 0; i < m; i++) first[this.edgeTargets[i]!]!++;
    for (let i = 0, slot = 0; i <= n; i++) {
      const c = first[i]!;
      first[i] = slot;
      slot += c;
    }
    first[n] = m;
    this.retainerEdges = new Uint32Array(m);
    const fill = first.slice(0, n);
    for (let i = 0; i < m; i++) this.retainerEdges[fill[this.edgeTargets[i]!]!++] = i;
  }

  /** edgeSource is the node an edge comes from: the last node whose edges start at or before it. */
  edgeSource(edge: number): number {
    const first = this.firstEdge;
    let lo = 0;
    let hi = this.nodeCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (first[mid]! <= edge) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** nodeName is a node's name as the file holds it. */
  nodeName(node: number): string {
    return this.strings[this.names[node]!]!;
  }

  nodeType(node: number): string {
    return this.nodeTypeNames[this.types[node]!]!;
  }

  /** edgeHasStringName tells whether an edge's name_or_index is a string index (else an element/hidden index). */
  edgeHasStringName(edge: number): boolean {
    const t = this.edgeTypes[edge]!;
    return t !== this.e.element && t !== this.e.hidden;
  }

  edgeName(edge: number): string {
    return this.edgeHasStringName(edge) ? this.strings[this.edgeNames[edge]!]! : String(this.edgeNames[edge]);
  }

  /**
   * edgeLabel prints an edge as DevTools' retainers view does: `.prop`, `["a b"]`, `[3]`,
   * `->context`, `{internal}`, `[[weak]]`.
   */
  edgeLabel(edge: number): string {
    const name = this.edgeName(edge);
    const t = this.edgeTypes[edge]!;
    const prop = () => (name.includes(' ') ? `["${name}"]` : `.${name}`);
    switch (t) {
      case this.e.context: return `->${name}`;
      case this.e.element: return `[${name}]`;
      case this.e.weak: return `[[${name}]]`;
      case this.e.property: return prop();
      case this.e.shortcut: return /^\d+$/.test(name) ? `[${name}]` : prop();
      case this.e.internal:
      case this.e.hidden: return `{${name}}`;
      default: return `?${name}?`;
    }
  }

  /**
   * locationRows returns, for nodes asked in ascending order, each one's row in the location
   * columns or -1: a merge along the rows in node order, no search.
   */
  locationRows(): (node: number) => number {
    const at = this.locations.node;
    const order = this.locationOrder;
    let k = 0;
    return (node) => {
      while (k < order.length && at[order[k]!]! < node) k++;
      return k < order.length && at[order[k]!] === node ? order[k]! : -1;
    };
  }

  /** isUserRoot: a child of the root that is not synthetic (the global object), as DevTools has it. */
  isUserRoot(node: number): boolean {
    return this.types[node] !== this.t.synthetic;
  }
}

/** sortedOrder lists the positions of an array in ascending order of its values. */
function sortedOrder(values: Uint32Array): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) order[i] = i;
  return radixSortBy(order, values);
}

/** radixSortBy sorts positions by a 32-bit key, in two stable passes of 16 bits. */
export function radixSortBy(order: Uint32Array, keys: Uint32Array): Uint32Array {
  let from: Uint32Array = order;
  let to: Uint32Array = new Uint32Array(order.length);
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65537);
    for (let i = 0; i < from.length; i++) counts[((keys[from[i]!]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 0; d < 65536; d++) counts[d + 1] += counts[d]!;
    for (let i = 0; i < from.length; i++) to[counts[(keys[from[i]!]! >>> shift) & 0xffff]!++] = from[i]!;
    [from, to] = [to, from];
  }
  return from;
}
