// The `proflens vars` text: the whole document as an indented tree with values humanized, or
// only the chosen variables, one per line. Go's 256-entry pause rings are summarised rather than
// printed whole.

import { formatValue } from './format.js';
import { type VarSpec, kindOf, lookup } from './paths.js';

/** renderTree prints a /debug/vars document as an indented tree. */
export function renderTree(doc: Record<string, unknown>): string {
  const out: string[] = [];
  writeObject(out, doc, doc, [], '');
  return out.map((l) => l + '\n').join('');
}

/** renderSelection prints the chosen variables, one per line: path, then value. */
export function renderSelection(doc: Record<string, unknown>, specs: readonly VarSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length));
  return specs
    .map((s) => {
      const v = lookup(doc, s.path);
      const shown = isRing(s.path, v) ? ringSummary(doc, s.path, v as unknown[]) : v !== null && typeof v === 'object' ? JSON.stringify(v) : formatValue(v, s.kind);
      return `${s.name.padEnd(width)}  ${shown}\n`;
    })
    .join('');
}

function writeObject(out: string[], doc: Record<string, unknown>, obj: Record<string, unknown>, path: string[], indent: string): void {
  const keys = Object.keys(obj);
  // Scalars at one level line up in a column; nested objects start their own block.
  const width = Math.max(0, ...keys.filter((k) => !isBlock(obj[k], [...path, k])).map((k) => k.length + 1));
  for (const k of keys) {
    const p = [...path, k];
    const v = obj[k];
    if (isBlock(v, p)) {
      out.push(`${indent}${k}:`);
      writeObject(out, doc, v as Record<string, unknown>, p, indent + '  ');
    } else {
      out.push(`${indent}${(k + ':').padEnd(width)} ${scalarText(doc, p, v)}`);
    }
  }
}

/** isBlock tells whether a value is printed as a nested block (a non-empty plain object). */
function isBlock(v: unknown, path: readonly string[]): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && !isRing(path, v);
}

function scalarText(doc: Record<string, unknown>, path: readonly string[], v: unknown): string {
  if (Array.isArray(v)) {
    if (isRing(path, v)) return ringSummary(doc, path, v);
    if (v.every((x) => typeof x === 'string')) return v.map((x: string) => (/[\s"'\\]/.test(x) || x === '' ? JSON.stringify(x) : x)).join(' ');
    if (v.every((x) => typeof x !== 'object' || x === null) && v.length <= 16) return `[${v.map((x) => formatValue(x, kindOf(path))).join(', ')}]`;
    return `[${v.length} entries]`;
  }
  if (v !== null && typeof v === 'object') return '{}';
  return formatValue(v, kindOf(path));
}

/** isRing recognises Go's MemStats rings (PauseNs, PauseEnd). */
function isRing(path: readonly string[], v: unknown): boolean {
  const last = path[path.length - 1];
  return Array.isArray(v) && path[0] === 'memstats' && (last === 'PauseNs' || last === 'PauseEnd');
}

/** ringSummary describes a ring by its newest entries, which NumGC locates. */
function ringSummary(doc: Record<string, unknown>, path: readonly string[], ring: unknown[]): string {
  const numGC = lookup(doc, [...path.slice(0, -1), 'NumGC']);
  const n = typeof numGC === 'number' ? Math.min(numGC, ring.length) : ring.filter((x) => x !== 0).length;
  if (n === 0) return 'no collections yet';
  const newest = typeof numGC === 'number' ? (numGC + ring.length - 1) % ring.length : ring.length - 1;
  const recent: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = ring[(newest - i + ring.length) % ring.length];
    if (typeof x === 'number') recent.push(x);
  }
  const kind = kindOf(path);
  if (kind === 'timestamp') return `last at ${formatValue(recent[0], kind)}`;
  const max = Math.max(...recent);
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  return `last ${formatValue(recent[0], kind)}, mean ${formatValue(mean, kind)}, max ${formatValue(max, kind)} over the last ${n} collections`;
}
