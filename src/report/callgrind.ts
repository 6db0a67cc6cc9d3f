// The `callgrind` view (pprof's -callgrind): the call graph at address granularity in the format
// of valgrind's callgrind tool, for KCachegrind and friends. callgrindView computes the cost
// lines; renderCallgrind applies callgrind's name and address compression.

import { meanValue } from '../graph/build.js';
import type { GraphNode } from '../graph/linked-graph.js';
import { sortEdges } from '../graph/linked-graph-ops.js';
import { scale } from '../units/measurement.js';
import { linkedTrimmedGraph } from './linked-trimmed-graph.js';
import { type Report, selectOutputUnit } from './report.js';

/** CallgrindCall is a call from a function to a callee, with its inclusive cost. */
export interface CallgrindCall {
  readonly file: string;
  /** Callee name, with a `[k/n]` suffix when several nodes share file and name (call trees). */
  readonly name: string;
  readonly address: bigint;
  readonly line: number;
  readonly cost: number;
}

/** CallgrindEntry is one node: where it is and its exclusive cost, in the output unit. */
export interface CallgrindEntry {
  readonly objfile: string;
  readonly file: string;
  readonly name: string;
  readonly address: bigint;
  readonly line: number;
  readonly cost: number;
  readonly calls: readonly CallgrindCall[];
}

/** CallgrindView is the event name and every node of the graph. */
export interface CallgrindView {
  /** `sampletype(unit)`, e.g. `cpu(ms)`. */
  readonly event: string;
  readonly entries: readonly CallgrindEntry[];
}

/** callgrindView computes the untrimmed address-level graph as callgrind cost lines. */
export function callgrindView(rpt: Report, callTree: boolean): CallgrindView {
  const o = rpt.options;
  const untrimmed = { ...rpt, options: { ...o, nodeFraction: 0, edgeFraction: 0, nodeCount: 0 } };
  const { graph: g } = linkedTrimmedGraph(untrimmed, { visualMode: false, callTree, objNames: true, tags: false });
  const unit = selectOutputUnit(
    untrimmed,
    g.nodes.map((n) => ({ flat: meanValue(n.flat, n.flatDiv), cum: meanValue(n.cum, n.cumDiv) })),
    true,
  );
  const inUnit = (v: number): number => Math.trunc(scale(v, o.sampleUnit, unit)[0]);
  const names = disambiguatedNames(g.nodes);
  const entries = g.nodes.map((n) => ({
    objfile: n.info.objfile,
    file: n.info.file,
    name: n.info.name,
    address: n.info.address,
    line: n.info.lineno,
    cost: inUnit(meanValue(n.flat, n.flatDiv)),
    calls: sortEdges(n.out.values()).map((e) => ({
      file: e.dest.info.file,
      name: names.get(e.dest)!,
      address: e.dest.info.address,
      line: e.dest.info.lineno,
      cost: inUnit(e.weight),
    })),
  }));
  return { event: `${o.sampleType}(${unit})`, entries };
}

/**
 * disambiguatedNames adds `[k/n]` to names shared by nodes of different functions: callgrind
 * merges everything with the same file and name, which would fold a call tree's contexts.
 */
function disambiguatedNames(nodes: readonly GraphNode[]): Map<GraphNode, string> {
  const byName = new Map<string, Map<string, number>>();
  const key = (n: GraphNode): string => `${n.info.file}\u0000${n.info.name}`;
  for (const n of nodes) {
    let fns = byName.get(key(n));
    if (!fns) byName.set(key(n), (fns = new Map()));
    if (!fns.has(n.functionKey)) fns.set(n.functionKey, fns.size);
  }
  const out = new Map<GraphNode, string>();
  for (const n of nodes) {
    const fns = byName.get(key(n))!;
    out.set(n, fns.size > 1 ? `${n.info.name} [${fns.get(n.functionKey)! + 1}/${fns.size}]` : n.info.name);
  }
  return out;
}

/** renderCallgrind writes the view in callgrind's format, names and addresses compressed. */
export function renderCallgrind(v: CallgrindView): string {
  const out = ['positions: instr line', `events: ${v.event}`];
  const objfiles = new Map<string, number>();
  const files = new Map<string, number>();
  const names = new Map<string, number>();
  let prev: CallgrindEntry | undefined;
  for (const e of v.entries) {
    if (!prev || e.objfile !== prev.objfile || e.file !== prev.file || e.name !== prev.name) {
      out.push('', `ob=${compressName(objfiles, e.objfile)}`, `fl=${compressName(files, e.file)}`, `fn=${compressName(names, e.name)}`);
    }
    out.push(`${compressAddress(prev, e.address)} ${e.line} ${e.cost}`);
    for (const c of e.calls) {
      out.push(`cfl=${compressName(files, c.file)}`, `cfn=${compressName(names, c.name)}`);
      // pprof has no count of calls; callgrind wants one, so it is 0.
      out.push(`calls=0 ${compressAddress(prev, c.address)} ${c.line}`, `* * ${c.cost}`);
    }
    prev = e;
  }
  return out.join('\n') + '\n';
}

/** compressName gives a new name `(N) name` and a name seen before `(N)`. */
function compressName(seen: Map<string, number>, name: string): string {
  if (name === '') return '';
  const id = seen.get(name);
  if (id !== undefined) return `(${id})`;
  seen.set(name, seen.size + 1);
  return `(${seen.size}) ${name}`;
}

/** compressAddress writes an address relative to the previous entry's when that is shorter. */
function compressAddress(prev: CallgrindEntry | undefined, curr: bigint): string {
  const abs = `0x${curr.toString(16)}`;
  if (!prev) return abs;
  if (prev.address === curr) return '*';
  const diff = BigInt.asIntN(64, curr - prev.address);
  const relative = diff < 0n ? `${diff}` : `+${diff}`;
  return relative.length < abs.length ? relative : abs;
}
