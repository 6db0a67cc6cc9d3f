// Per-node values of a report, untrimmed, keyed by the node's printed name: what the comparison
// views (diff, trend) line up across profiles. Names are the keys because node numbers differ
// from one profile to the next, while `main.fillCache` (or `main.go:42`) means the same thing.

import { type Report, valueFormatter } from './report.js';
import { trimmedGraph } from './trimmed-graph.js';

/** NodeValues are a node's flat and cum, in sample units. */
export interface NodeValues {
  readonly flat: number;
  readonly cum: number;
}

/** nodeValues returns the flat and cum of every node of the report's graph, by name. */
export function nodeValues(rpt: Report): Map<string, NodeValues> {
  const untrimmed: Report = { ...rpt, options: { ...rpt.options, nodeCount: 0, nodeFraction: 0, edgeFraction: 0 } };
  const t = trimmedGraph(untrimmed);
  const out = new Map<string, NodeValues>();
  for (const i of t.shown) {
    const name = t.name(i);
    const prev = out.get(name);
    const flat = t.flatValue(i);
    const cum = t.cumValue(i);
    out.set(name, prev ? { flat: prev.flat + flat, cum: prev.cum + cum } : { flat, cum });
  }
  return out;
}

/**
 * isOwnCode tells whether a frame is the user's code rather than a runtime's or a standard
 * library's: Go packages without a dot in their first path element are the standard library
 * (except main), and `node:` files or bracketed names are Node's.
 */
export function isOwnCode(name: string): boolean {
  if (name.startsWith('(') || name.startsWith('node:') || name.startsWith('<')) return false;
  const goPackage = /^([a-z0-9_./-]+?)\.[^./]+/.exec(name)?.[1];
  if (goPackage === undefined) return true;
  const first = goPackage.split('/')[0]!;
  return first === 'main' || first.includes('.');
}

/**
 * comparisonFormat formats the values of a comparison view, plain and signed. Values there run
 * from bytes to gigabytes side by side: each is scaled on its own (pprof's -unit=auto) unless a
 * unit was asked for.
 */
export function comparisonFormat(rpt: Report): { unit: string; format: (v: number) => string; signed: (v: number) => string } {
  const unit = rpt.options.outputUnit === 'minimum' ? 'auto' : rpt.options.outputUnit;
  const format = valueFormatter(rpt.options, unit);
  return { unit, format, signed: (v) => (v > 0 ? '+' : '') + format(v) };
}

/** comparisonLabels are the first header lines of a comparison view: the binary's name and the sample type. */
export function comparisonLabels(rpt: Report): string[] {
  const labels: string[] = [];
  const file = rpt.profile.mappings[0]?.file;
  if (file) labels.push(`File: ${file.slice(file.lastIndexOf('/') + 1)}`);
  labels.push(`Type: ${rpt.options.sampleType}`);
  return labels;
}
