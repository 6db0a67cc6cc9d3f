// Which class (row of the Summary) each object of a heap snapshot belongs to, as Chrome DevTools
// decides it (HeapSnapshot.ts: calculateObjectNames, inferInterfaceDefinitions,
// applyInterfaceDefinitions, classKeyInternal, propagateDOMState):
//  - an object or native object: its name (the constructor; `<div id=…>` shortened to `<div>`),
//    and objects whose constructor has a known place are kept apart by that place, so two
//    classes `Foo` from two files are two rows;
//  - a plain `Object`: the most common property sets in the snapshot become "interfaces" named
//    like `{x, y}`; each plain object joins the largest interface whose properties it has;
//  - native objects reachable only from detached DOM state: `Detached <name>`;
//  - V8's hidden objects `(system)`, compiled code `(compiled code)`, closures `Function`,
//    regexps `RegExp`, anything else its type in parentheses: `(string)`, `(array)`, ….

import type { HeapGraph } from './heapsnapshot-graph.js';

/** ClassInfo describes one class: the name shown and, for constructors with a known place, where. */
export interface ClassInfo {
  readonly name: string;
  /** The key two snapshots' classes are matched by: the place (when known) and the name. */
  readonly key: string;
  readonly location?: { readonly scriptId: number; readonly line: number; readonly column: number };
}

/** Classes assigns every node a class. */
export interface Classes {
  /** Per node: its index in `classes`. */
  readonly classOf: Uint32Array;
  readonly classes: readonly ClassInfo[];
}

/** InterfaceDefinition is a named set of properties plain objects are grouped by. */
export interface InterfaceDefinition {
  readonly name: string;
  readonly properties: readonly string[];
}

/** The limits DevTools uses for interface names and how common an interface must be. */
const maxInterfaceNameLength = 120;
const minObjectsPerInterface = 2;
const minShareOfObjects = 1 / 1000;

/** formatPropertyName quotes a property name that would make `{a, b}` ambiguous. */
function formatPropertyName(name: string): string {
  return /[,'"{}]/.test(name) ? JSON.stringify(name) : name;
}

function isPlainObject(g: HeapGraph, n: number): boolean {
  return g.types[n] === g.t.object && g.nodeName(n) === 'Object';
}

/**
 * inferInterfaces finds the property sets (in the order of each object's first properties) that
 * are common among the snapshot's plain objects, most common first.
 */
export function inferInterfaces(g: HeapGraph): InterfaceDefinition[] {
  const candidates = new Map<string, { def: InterfaceDefinition; count: number }>();
  let objects = 0;
  for (let n = 0; n < g.nodeCount; n++) {
    if (!isPlainObject(g, n)) continue;
    objects++;
    let name = '{';
    const properties: string[] = [];
    for (let e = g.firstEdge[n]!; e < g.firstEdge[n + 1]!; e++) {
      if (g.edgeTypes[e] !== g.e.property) continue;
      const p = g.edgeName(e);
      if (p === '__proto__') continue;
      const shown = formatPropertyName(p);
      // At least one property; then stop before the name gets too long.
      if (name.length > 1 && name.length + shown.length > maxInterfaceNameLength) break;
      name += (name.length > 1 ? ', ' : '') + shown;
      properties.push(p);
    }
    if (properties.length === 0) continue;
    name += '}';
    const c = candidates.get(name);
    if (c) c.count++;
    else candidates.set(name, { def: { name, properties }, count: 1 });
  }
  const min = Math.max(minObjectsPerInterface, objects * minShareOfObjects);
  return [...candidates.values()]
    .sort((a, b) => b.count - a.count)
    .filter((c) => c.count >= min)
    .map((c) => c.def);
}

/** A node of the trie of interfaces' sorted property names. */
interface Trie {
  readonly next: Map<string, Trie>;
  /** The largest property name among next's keys: past it, no further step is possible. */
  greatest: string | null;
  match: { name: string; size: number; index: number } | null;
}

/**
 * interfaceMatcher returns a function naming the interface a plain object belongs to: among the
 * interfaces whose properties the object all has, the one with the most properties, the earlier
 * (more common) on a tie; `Object` when none.
 */
function interfaceMatcher(defs: readonly InterfaceDefinition[]): (sortedProperties: readonly string[]) => string | undefined {
  const root: Trie = { next: new Map(), greatest: null, match: null };
  defs.forEach((def, index) => {
    const props = [...def.properties].sort();
    let t = root;
    for (const p of props) {
      let child = t.next.get(p);
      if (child === undefined) {
        child = { next: new Map(), greatest: null, match: null };
        t.next.set(p, child);
        if (t.greatest === null || t.greatest < p) t.greatest = p;
      }
      t = child;
    }
    t.match ??= { name: def.name, size: props.length, index };
  });
  const better = (a: Trie['match'], b: Trie['match']) => (b === null || (a !== null && (a.size > b.size || (a.size === b.size && a.index <= b.index))) ? a : b);
  return (props) => {
    // Every trie node reachable by a subset of the properties seen so far, in sorted order.
    let states: Trie[] = [root];
    let best = root.match;
    for (const p of props) {
      const next: Trie[] = [];
      for (const s of states) {
        if (s.greatest !== null && p < s.greatest) next.push(s);
        const child = s.next.get(p);
        if (child) {
          next.push(child);
          best = better(child.match, best);
        }
      }
      states = next;
      if (states.length === 0) break;
    }
    return best?.name;
  };
}

/**
 * detachedNatives marks the native objects DevTools renames `Detached …`: those whose DOM state
 * is detached, or that are reached (through native objects, not through hidden or weak edges)
 * from a detached one and from no attached one.
 */
function detachedNatives(g: HeapGraph): Uint8Array | undefined {
  const state = g.detachedness;
  if (state === undefined) return undefined;
  const n = g.nodeCount;
  const result = new Uint8Array(n);
  const visited = new Uint8Array(n);
  const attached: number[] = [];
  const detached: number[] = [];
  const now = new Uint8Array(n);
  const visit = (node: number, s: number) => {
    if (visited[node]) return;
    visited[node] = 1;
    // Only embedder objects carry a DOM state; JavaScript objects stop the spread.
    if (g.types[node] !== g.t.native) return;
    now[node] = s;
    if (s === 1) attached.push(node);
    else if (s === 2) {
      result[node] = 1;
      detached.push(node);
    }
  };
  const spread = (node: number, s: number) => {
    for (let e = g.firstEdge[node]!; e < g.firstEdge[node + 1]!; e++) {
      const t = g.edgeTypes[e];
      if (t === g.e.hidden || t === g.e.weak) continue;
      visit(g.edgeTargets[e]!, s);
    }
  };
  for (let i = 0; i < n; i++) if (state[i] !== 0 && state[i]! <= 2) visit(i, state[i]!);
  while (attached.length > 0) spread(attached.pop()!, 1);
  while (detached.length > 0) {
    const node = detached.pop()!;
    if (now[node] !== 1) spread(node, 2);
  }
  return result;
}

/** classify gives every node its class, grouping plain objects by `interfaces`. */
export function classify(g: HeapGraph, interfaces: readonly InterfaceDefinition[]): Classes {
  const classes: ClassInfo[] = [];
  const byKey = new Map<string, number>();
  const classFor = (name: string, loc = -1): number => {
    const location = loc < 0 ? undefined : { scriptId: g.locations.scriptId[loc]!, line: g.locations.line[loc]!, column: g.locations.column[loc]! };
    const key = location ? `${location.scriptId},${location.line},${location.column},${name}` : `,${name}`;
    let c = byKey.get(key);
    if (c === undefined) {
      c = classes.length;
      classes.push({ name, key, ...(location && { location }) });
      byKey.set(key, c);
    }
    return c;
  };
  const byType = g.nodeTypeNames.map((type, t) => {
    if (t === g.t.hidden) return classFor('(system)');
    if (t === g.t.code) return classFor('(compiled code)');
    if (t === g.t.closure) return classFor('Function');
    if (t === g.t.regexp) return classFor('RegExp');
    if (t === g.t.object || t === g.t.native) return -1;
    return classFor(`(${type})`);
  });
  const detached = detachedNatives(g);
  const matcher = interfaceMatcher(interfaces);
  // Objects of one constructor share their name's string index: name each index once, and
  // keep the class of those without a place (and not detached) by that index too.
  const nameOf: (string | undefined)[] = [];
  const classOfName = new Int32Array(g.strings.length).fill(-1);
  const classOf = new Uint32Array(g.nodeCount);
  const locationOf = g.locationRows();
  for (let n = 0; n < g.nodeCount; n++) {
    const t = g.types[n]!;
    const byT = byType[t]!;
    if (byT >= 0) {
      classOf[n] = byT;
      continue;
    }
    let name: string;
    if (t === g.t.object && g.nodeName(n) === 'Object') {
      const props: string[] = [];
      for (let e = g.firstEdge[n]!; e < g.firstEdge[n + 1]!; e++) if (g.edgeTypes[e] === g.e.property) props.push(g.edgeName(e));
      name = matcher(props.sort()) ?? 'Object';
    } else {
      const s = g.names[n]!;
      // Only objects are kept apart by their constructor's place (closures would be a row each).
      const loc = t === g.t.object ? locationOf(n) : -1;
      const plain = loc < 0 && !detached?.[n];
      if (plain && classOfName[s]! >= 0) {
        classOf[n] = classOfName[s]!;
        continue;
      }
      name = nameOf[s] ??= shortElementName(g.strings[s]!);
      if (detached?.[n]) name = shortElementName(`Detached ${g.strings[s]!}`);
      classOf[n] = classFor(name, loc);
      if (plain) classOfName[s] = classOf[n]!;
      continue;
    }
    classOf[n] = classFor(name);
  }
  return { classOf, classes };
}

/** shortElementName turns a DOM element's name `<div id="a">` (or `Detached <div …>`) into `<div>`. */
function shortElementName(name: string): string {
  const from = name.startsWith('<') ? 0 : name.startsWith('Detached <') ? 10 : -1;
  if (from < 0) return name;
  const space = name.indexOf(' ', from);
  return space < 0 ? name : name.slice(0, space) + '>';
}
