// Who keeps what alive: the dominator tree of a heap snapshot's graph, retained sizes, and
// distances from the root, by the rules of Chrome DevTools (front_end/entrypoints/
// heap_snapshot_worker/HeapSnapshot.ts), so proflens's numbers are the ones DevTools shows:
//  - weak edges never retain; shortcut edges retain only from the root (they mark the global
//    objects); an edge from an object outside the page's graph into it does not retain (so the
//    debugger's references do not steal dominators); self edges are ignored; of the two edges that
//    hold a WeakMap value (from the table and from the key), only the key's counts;
//  - arrays and hidden objects owned by exactly one object count in that object's shallow size
//    (unless the snapshot exposes V8's internals, i.e. has no user roots);
//  - nodes unreachable from the root hang off the root (first those with only weak retainers).
// The dominator tree is Lengauer and Tarjan's "A fast algorithm for finding dominators in a
// flowgraph" (1979), simple version, iterative, in typed arrays.

import type { HeapGraph } from './heapsnapshot-graph.js';

/** Retention holds the dominator tree and the sizes and distances derived from it. */
export interface Retention {
  /** Per node: its immediate dominator (the root is its own). */
  readonly dominators: Uint32Array;
  /** Per node: its retained size: its own size and that of everything it alone keeps alive. */
  readonly retainedSizes: Float64Array;
  /** Per node: the shortest distance from the root (user roots first); noDistance when unreachable. */
  readonly distances: Int32Array;
}

/** noDistance marks a node no path reaches (DevTools' value). */
export const noDistance = -5;
/** baseSystemDistance is added to the distance of nodes reached only from the root's system parts. */
export const baseSystemDistance = 100000000;

/** analyseRetention computes dominators, retained sizes and distances; it moves owned shallow sizes first. */
export function analyseRetention(g: HeapGraph): Retention {
  const pageOwned = markPageOwned(g);
  moveOwnedSizes(g);
  const essential = essentialEdges(g, pageOwned);
  const { dominators, retainedSizes } = dominatorTree(g, essential);
  return { dominators, retainedSizes, distances: distancesFromRoot(g) };
}

/**
 * markPageOwned flags what the page (the program) owns: everything reachable without weak edges
 * from the root's shortcut edges (the global objects) or a "(Document DOM trees)" root.
 */
function markPageOwned(g: HeapGraph): Uint8Array {
  const owned = new Uint8Array(g.nodeCount);
  const stack = new Uint32Array(g.nodeCount);
  let top = 0;
  const r = g.rootOrdinal;
  for (let e = g.firstEdge[r]!; e < g.firstEdge[r + 1]!; e++) {
    const to = g.edgeTargets[e]!;
    const type = g.edgeTypes[e]!;
    const domTrees = type === g.e.element && g.types[to] === g.t.synthetic && g.nodeName(to) === '(Document DOM trees)';
    if (type !== g.e.shortcut && !domTrees) continue;
    if (owned[to]) continue;
    owned[to] = 1;
    stack[top++] = to;
  }
  while (top > 0) {
    const n = stack[--top]!;
    for (let e = g.firstEdge[n]!; e < g.firstEdge[n + 1]!; e++) {
      const to = g.edgeTargets[e]!;
      if (owned[to] || g.edgeTypes[e] === g.e.weak) continue;
      owned[to] = 1;
      stack[top++] = to;
    }
  }
  return owned;
}

/** ephemeronName matches V8's name for the edges that hold a WeakMap value. */
const ephemeronName = /^\d+( \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$/;

/** essentialEdges marks, one bit per edge, the edges that retain (see the file's comment). */
function essentialEdges(g: HeapGraph, pageOwned: Uint8Array): Uint8Array {
  const bits = new Uint8Array((g.edgeCount >>> 3) + 1);
  // Per string index: 0 not looked at yet, 1 not an ephemeron name, else the WeakMap table's id + 2.
  const ephemeron = new Float64Array(g.strings.length);
  const tableOf = (nameIndex: number): number => {
    let v = ephemeron[nameIndex]!;
    if (v === 0) {
      const m = ephemeronName.exec(g.strings[nameIndex]!);
      v = ephemeron[nameIndex] = m ? Number(m[2]) + 2 : 1;
    }
    return v;
  };
  const r = g.rootOrdinal;
  for (let n = 0; n < g.nodeCount; n++) {
    for (let e = g.firstEdge[n]!, end = g.firstEdge[n + 1]!; e < end; e++) {
      const type = g.edgeTypes[e]!;
      if (type === g.e.weak) continue;
      const to = g.edgeTargets[e]!;
      if (to === n) continue;
      if (type === g.e.internal) {
        const table = tableOf(g.edgeNames[e]!);
        if (table > 1 && table - 2 === g.ids[n]) continue;
      }
      if (n !== r) {
        if (type === g.e.shortcut) continue;
        if (pageOwned[to] && !pageOwned[n]) continue;
      }
      bits[e >>> 3]! |= 1 << (e & 7);
    }
  }
  return bits;
}

/**
 * moveOwnedSizes adds the size of each array or hidden object that one object alone owns (its
 * properties' and elements' backing stores) to that object, as DevTools does, so a class's
 * shallow size is what its instances take. A snapshot without user roots (taken with V8's
 * internals exposed) keeps its sizes as they are.
 */
function moveOwnedSizes(g: HeapGraph): void {
  const r = g.rootOrdinal;
  let userRoots = false;
  for (let e = g.firstEdge[r]!; e < g.firstEdge[r + 1]! && !userRoots; e++) userRoots = g.isUserRoot(g.edgeTargets[e]!);
  if (!userRoots) return;
  const unvisited = 0xffffffff;
  const several = 0xfffffffe;
  const n = g.nodeCount;
  const owners = new Uint32Array(n);
  // Each node enters the work list at most twice: when it gets an owner, and when it gets a second.
  const work = new Uint32Array(2 * n);
  let top = 0;
  for (let i = 0; i < n; i++) {
    const t = g.types[i];
    if (t === g.t.hidden || t === g.t.array) owners[i] = unvisited;
    else {
      owners[i] = i;
      work[top++] = i;
    }
  }
  while (top > 0) {
    const id = work[--top]!;
    const owner = owners[id]!;
    for (let e = g.firstEdge[id]!, end = g.firstEdge[id + 1]!; e < end; e++) {
      if (g.edgeTypes[e] === g.e.weak) continue;
      const to = g.edgeTargets[e]!;
      const o = owners[to]!;
      if (o === unvisited) {
        owners[to] = owner;
        work[top++] = to;
      } else if (o !== to && o !== owner && o !== several) {
        owners[to] = several;
        work[top++] = to;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const o = owners[i]!;
    if (o === unvisited || o === several || o === i) continue;
    if (g.types[o] === g.t.synthetic || o === r) continue;
    // The sizes are 32-bit, as in the file: an owner of over 4 GB stays at the top.
    g.selfSizes[o] = Math.min(g.selfSizes[o]! + g.selfSizes[i]!, 0xffffffff);
    g.selfSizes[i] = 0;
  }
}

/** dominatorTree is Lengauer–Tarjan over the essential edges, then retained sizes bottom-up. */
function dominatorTree(g: HeapGraph, essential: Uint8Array): { dominators: Uint32Array; retainedSizes: Float64Array } {
  // The algorithm's seven other arrays (28 bytes a node) are garbage once it returns, before
  // the retained sizes take their 8 bytes a node.
  const { dom, vertex, n } = lengauerTarjan(g, essential);
  const count = g.nodeCount;
  // dom is indexed by vertex number (ordinal + 1) and holds vertex numbers: shift it down in place.
  for (let o = 0; o < count; o++) dom[o] = dom[o + 1]! - 1;
  const dominators = dom.subarray(0, count);
  const retainedSizes = new Float64Array(count);
  for (let o = 0; o < count; o++) retainedSizes[o] = g.selfSizes[o]!;
  // Children come after their dominators in DFS order: add each to its dominator, last first.
  for (let i = n; i > 1; i--) {
    const o = vertex[i]! - 1;
    retainedSizes[dominators[o]!] += retainedSizes[o]!;
  }
  return { dominators, retainedSizes };
}

/**
 * lengauerTarjan returns each vertex's immediate dominator (dom, by vertex number: ordinal + 1),
 * the vertices in DFS order (vertex[1..n]) and n.
 */
function lengauerTarjan(g: HeapGraph, essential: Uint8Array): { dom: Uint32Array; vertex: Uint32Array; n: number } {
  const count = g.nodeCount;
  // Vertices are numbered 1..count (ordinal + 1) so that 0 means "none", as in the paper.
  const len = count + 1;
  const parent = new Uint32Array(len);
  const ancestor = new Uint32Array(len);
  const vertex = new Uint32Array(len);
  const label = new Uint32Array(len);
  const semi = new Uint32Array(len);
  const nextEdge = new Uint32Array(len);
  let n = 0;
  const { firstEdge, edgeTargets, firstRetainer, retainerEdges } = g;

  const dfs = (root: number): void => {
    nextEdge[root - 1] = firstEdge[root - 1]!;
    let v = root;
    while (v !== 0) {
      if (semi[v] === 0) {
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
      let next = parent[v]!;
      const vo = v - 1;
      for (const end = firstEdge[vo + 1]!; nextEdge[vo]! < end; nextEdge[vo]!++) {
        const e = nextEdge[vo]!;
        if (!(essential[e >>> 3]! & (1 << (e & 7)))) continue;
        const w = edgeTargets[e]! + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          nextEdge[w - 1] = firstEdge[w - 1]!;
          next = w;
          break;
        }
      }
      v = next;
    }
  };

  const hasOnlyWeakRetainers = (o: number): boolean => {
    for (let i = firstRetainer[o]!; i < firstRetainer[o + 1]!; i++) {
      const e = retainerEdges[i]!;
      if (essential[e >>> 3]! & (1 << (e & 7))) return false;
    }
    return true;
  };

  const r = g.rootOrdinal + 1;
  dfs(r);
  // Nodes no essential path reaches: first those only weak edges hold (with what they hold),
  // then any left (cycles held by nothing), each as a child of the root.
  if (n < count) {
    for (let v = 1; v <= count; v++) {
      if (semi[v] === 0 && hasOnlyWeakRetainers(v - 1)) {
        parent[v] = r;
        dfs(v);
      }
    }
  }
  if (n < count) {
    for (let v = 1; v <= count; v++) {
      if (semi[v] === 0) {
        parent[v] = r;
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
    }
  }

  const stack = nextEdge; // free again: reused as compress's stack
  const compress = (v0: number): void => {
    let sp = 0;
    let v = v0;
    while (ancestor[ancestor[v]!] !== 0) {
      stack[++sp] = v;
      v = ancestor[v]!;
    }
    while (sp > 0) {
      const w = stack[sp--]!;
      if (semi[label[ancestor[w]!]!]! < semi[label[w]!]!) label[w] = label[ancestor[w]!]!;
      ancestor[w] = ancestor[ancestor[w]!]!;
    }
  };
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    compress(v);
    return label[v]!;
  };

  // Buckets as linked lists in typed arrays: bucketHead[v] is the first w with semi-dominator v.
  const bucketHead = new Uint32Array(len);
  const bucketNext = new Uint32Array(len);
  const dom = new Uint32Array(len);
  for (let i = n; i >= 2; i--) {
    const w = vertex[i]!;
    const wo = w - 1;
    let orphan = true;
    for (let k = firstRetainer[wo]!; k < firstRetainer[wo + 1]!; k++) {
      const e = retainerEdges[k]!;
      if (!(essential[e >>> 3]! & (1 << (e & 7)))) continue;
      orphan = false;
      const u = evaluate(g.edgeSource(e) + 1);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    // A node without essential retainers has the root as its only predecessor.
    if (orphan) semi[w] = semi[r]!;
    const s = vertex[semi[w]!]!;
    bucketNext[w] = bucketHead[s]!;
    bucketHead[s] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v !== 0; v = bucketNext[v]!) {
      const u = evaluate(v);
      dom[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucketHead[p] = 0;
  }
  dom[0] = dom[r] = r;
  for (let i = 2; i <= n; i++) {
    const w = vertex[i]!;
    if (dom[w] !== vertex[semi[w]!]) dom[w] = dom[dom[w]!]!;
  }

  return { dom, vertex, n };
}

/**
 * dominatedLists inverts the dominator array: the nodes n immediately dominates are
 * dominated[firstDominated[n]..firstDominated[n+1]). Made when needed, not kept: it is 8 bytes a node.
 */
export function dominatedLists(g: HeapGraph, dominators: Uint32Array): { firstDominated: Uint32Array; dominated: Uint32Array } {
  const n = g.nodeCount;
  const first = new Uint32Array(n + 1);
  for (let o = 0; o < n; o++) if (o !== g.rootOrdinal) first[dominators[o]!]!++;
  for (let i = 0, slot = 0; i <= n; i++) {
    const c = first[i]!;
    first[i] = slot;
    slot += c;
  }
  const dominated = new Uint32Array(Math.max(n - 1, 0));
  const fill = first.slice(0, n);
  for (let o = 0; o < n; o++) if (o !== g.rootOrdinal) dominated[fill[dominators[o]!]!++] = o;
  return { firstDominated: first, dominated };
}

/**
 * distancesFromRoot is the breadth-first distance of every node, over non-weak edges: first from
 * the user roots (distance 1), then what only the root's system parts reach, from
 * baseSystemDistance. As DevTools, it does not count a native context's `sloppy_function_map`,
 * the descriptor links of `(map descriptors)`, nor the first of a WeakMap value's two edges.
 */
function distancesFromRoot(g: HeapGraph): Int32Array {
  const n = g.nodeCount;
  const dist = new Int32Array(n).fill(noDistance);
  const queue = new Uint32Array(n);
  let tail = 0;
  const r = g.rootOrdinal;
  for (let e = g.firstEdge[r]!; e < g.firstEdge[r + 1]!; e++) {
    const to = g.edgeTargets[e]!;
    if (g.isUserRoot(to) && dist[to] === noDistance) {
      dist[to] = 1;
      queue[tail++] = to;
    }
  }
  const pendingEphemerons = new Set<string>();
  // Per string index: 0 not looked at yet, 1 not an ephemeron name, 2 one (then its shared part is in `shared`).
  const isEphemeron = new Uint8Array(g.strings.length);
  const shared = new Map<number, string>();
  const ephemeronPart = (nameIndex: number): string => {
    let v = isEphemeron[nameIndex]!;
    if (v === 0) {
      const part = ephemeronName.exec(g.strings[nameIndex]!)?.[1];
      v = isEphemeron[nameIndex] = part === undefined ? 1 : 2;
      if (part !== undefined) shared.set(nameIndex, part);
    }
    return v === 1 ? '' : shared.get(nameIndex)!;
  };
  const follows = (node: number, e: number): boolean => {
    const type = g.types[node];
    if (type === g.t.hidden && g.edgeHasStringName(e) && g.edgeName(e) === 'sloppy_function_map' && g.nodeName(node) === 'system / NativeContext') return false;
    if (type === g.t.array && g.nodeName(node) === '(map descriptors)') {
      const index = g.edgeNames[e]!;
      return g.edgeHasStringName(e) || index < 2 || index % 3 !== 1;
    }
    if (g.edgeTypes[e] === g.e.internal) {
      const part = ephemeronPart(g.edgeNames[e]!);
      if (part !== '' && !pendingEphemerons.delete(part)) {
        pendingEphemerons.add(part);
        return false;
      }
    }
    return true;
  };
  const bfs = (head0: number): void => {
    let head = head0;
    while (head < tail) {
      const node = queue[head++]!;
      const d = dist[node]! + 1;
      for (let e = g.firstEdge[node]!, end = g.firstEdge[node + 1]!; e < end; e++) {
        if (g.edgeTypes[e] === g.e.weak) continue;
        const to = g.edgeTargets[e]!;
        if (dist[to] !== noDistance) continue;
        if (!follows(node, e)) continue;
        dist[to] = d;
        queue[tail++] = to;
      }
    }
  };
  bfs(0);
  const start = tail;
  if (dist[r] === noDistance) {
    dist[r] = tail > 0 ? baseSystemDistance : 0;
    queue[tail++] = r;
    bfs(start);
  }
  return dist;
}
