// The text of `proflens heap`: the Summary and the Comparison as aligned columns, numbers first and
// the constructor last (as `top` puts the function last), sizes labelled as pprof labels bytes.

import { label, percentage } from '../units/measurement.js';
import { padLeft } from '../units/go-format.js';
import type { HeapComparison, NewObject } from './heapsnapshot-compare.js';
import type { HeapSummary } from './heapsnapshot-summary.js';

const bytes = (v: number): string => label(v, 'B');
const signed = (v: number, f: (x: number) => string): string => (v > 0 ? `+${f(v)}` : v < 0 ? `-${f(-v)}` : f(0));

/** oneLine keeps a name from the snapshot on its row: line breaks and tabs shown escaped. */
function oneLine(s: string): string {
  return s.replace(/[\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** table lays out rows of cells: every column but the last right-aligned to its widest cell. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padLeft(c, widths[i]!))).join('  ') + '\n';
  return line(header) + rows.map(line).join('');
}

/** renderSummary prints the Summary view (rows already limited by the caller). */
export function renderSummary(source: string, s: HeapSummary, shown: number): string {
  const head =
    `File: ${oneLine(source)}\n` +
    `Type: V8 heap snapshot, ${s.nodeCount} nodes\n` +
    `Total size: ${bytes(s.totalSize)} (retained by the root)\n` +
    (shown < s.rows.length ? `Showing top ${shown} constructors out of ${s.rows.length}\n` : `${s.rows.length} constructors\n`);
  const rows = s.rows.slice(0, shown).map((r) => [
    String(r.count), bytes(r.shallowSize), percentage(r.shallowSize, s.totalSize).trim(),
    bytes(r.retainedSize), percentage(r.retainedSize, s.totalSize).trim(), oneLine(r.name),
  ]);
  return head + table(['count', 'shallow', 'shallow%', 'retained', 'retained%', 'constructor'], rows);
}

/** renderComparison prints the Comparison view and the retainer paths of the largest new objects. */
export function renderComparison(base: string, current: string, c: HeapComparison, shown: number): string {
  const grew = c.rows.reduce((t, r) => t + r.sizeDelta, 0);
  const head =
    `Base: ${oneLine(base)}\nFile: ${oneLine(current)}\n` +
    `Size delta: ${signed(grew, bytes)}\n` +
    (shown < c.rows.length ? `Showing top ${shown} constructors out of ${c.rows.length} that changed\n` : `${c.rows.length} constructors changed\n`);
  const rows = c.rows.slice(0, shown).map((r) => [
    String(r.newCount), String(r.deletedCount), signed(r.countDelta, String), bytes(r.allocatedSize), bytes(r.freedSize), signed(r.sizeDelta, bytes), oneLine(r.name),
  ]);
  let text = head + table(['new', 'deleted', 'delta', 'alloc. size', 'freed size', 'size delta', 'constructor'], rows);
  if (c.newObjects.length > 0) {
    text += '\nLargest new object of the constructors that grew most, and what retains it:\n';
    for (const o of c.newObjects) text += renderNewObject(o);
  }
  return text;
}

function renderNewObject(o: NewObject): string {
  return `${oneLine(o.className)} @${o.id}  shallow ${bytes(o.shallowSize)}, retained ${bytes(o.retainedSize)}\n    ${renderPath(o)}\n`;
}

/** renderPath writes a retainer path as property accesses: `global.leaks → Array{elements} → (object elements)[3] → Leaky @12`. */
export function renderPath(o: NewObject): string {
  const hops = o.path.map((s, i) => (i === o.path.length - 1 ? `${oneLine(s.node)} @${s.id}` : `${oneLine(s.node)}${oneLine(s.edge)}`));
  return (o.fromRoot ? '' : '… ') + hops.join(' → ');
}
