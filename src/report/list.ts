// The `list` view (pprof's -list): the source of each function matching a regex, every line
// annotated with the flat and cum value of the samples at that line.

import { buildGraph, buildNodeIndex } from '../graph/build.js';
import { compareStrings, infoSortString, type NodeInfo } from '../graph/node-info.js';
import { padLeft } from '../units/go-format.js';
import { percentage } from '../units/measurement.js';
import type { GoRegexp } from '../profile/go-regexp.js';
import { noMatchesError } from './no-matches.js';
import type { Report } from './report.js';
import { valueFormatter } from './report.js';
import { SourceReader } from './source-reader.js';

/** ListLine is one source line with its values. */
export interface ListLine {
  readonly lineno: number;
  readonly text: string;
  readonly flat: number;
  readonly cum: number;
}

/** ListRoutine is one function in one source file. */
export interface ListRoutine {
  readonly name: string;
  readonly file: string;
  readonly flat: number;
  readonly cum: number;
  /**
   * Why the source could not be shown, when it could not; then `lines` holds only the lines with
   * samples, with empty text (pprof shows no lines at all).
   */
  readonly error?: string;
  readonly lines: readonly ListLine[];
}

/** ListView is what the list view shows: a routine per function and file, or a note per function without source. */
export interface ListView {
  readonly total: number;
  readonly entries: readonly (ListRoutine | { readonly name: string; readonly noSource: true })[];
  /** One message per source file that could not be read, for the caller to pass on once. */
  readonly missingSources: readonly string[];
  /** Printed values, by raw value (the view prints in auto-scaled units). */
  readonly format: (v: number) => string;
}

/** Lines shown before the first and after the last line with samples. */
const margin = 5;

/** listView collects the source listing of functions whose name matches symbol. */
export function listView(rpt: Report, symbol: GoRegexp, searchPath: string, trimPath: string): ListView {
  const p = rpt.profile;
  const o = rpt.options;
  const index = buildNodeIndex(p, { ...o.aggregation, objNames: true });
  const g = buildGraph(p, index, { sampleIndex: o.sampleIndex, meanDivisorIndex: o.mean ? 0 : -1 });

  // Group the matching nodes by function name, then by file.
  const byFunction = new Map<string, number[]>();
  const firstOf: number[] = [];
  index.info.forEach((info, i) => {
    if (g.flat[i] === 0 && g.cum[i] === 0) return;
    if (!symbol.test(info.name)) return;
    const list = byFunction.get(info.name);
    if (list) list.push(i);
    else {
      byFunction.set(info.name, [i]);
      firstOf.push(i);
    }
  });
  if (byFunction.size === 0) throw noMatchesError(symbol);
  const info = (i: number): NodeInfo => index.info[i]!;
  firstOf.sort((a, b) => compareStrings(info(a).name, info(b).name) || compareStrings(infoSortString(info(a)), infoSortString(info(b))));

  const reader = new SourceReader(searchPath, trimPath);
  const entries: ListView['entries'][number][] = [];
  const missing = new Set<string>();
  for (const fn of firstOf) {
    const name = info(fn).name;
    const byFile = new Map<string, number[]>();
    const files: number[] = [];
    for (const n of byFunction.get(name)!) {
      const file = info(n).file;
      if (file === '') continue;
      const list = byFile.get(file);
      if (list) list.push(n);
      else {
        byFile.set(file, [n]);
        files.push(n);
      }
    }
    if (files.length === 0) {
      entries.push({ name, noSource: true });
      continue;
    }
    files.sort((a, b) => compareStrings(info(a).file, info(b).file) || info(a).startLine - info(b).startLine || compareStrings(infoSortString(info(a)), infoSortString(info(b))));
    for (const f of files) {
      const file = info(f).file;
      const nodes = byFile.get(file)!;
      let flat = 0;
      let cum = 0;
      const atLine = new Map<number, { flat: number; cum: number }>();
      let start = Infinity;
      let end = -Infinity;
      for (const n of nodes) {
        flat += g.flat[n]!;
        cum += g.cum[n]!;
        const { lineno, startLine } = info(n);
        start = Math.min(start, startLine !== 0 ? startLine : lineno - margin);
        end = Math.max(end, lineno + margin);
        const v = atLine.get(lineno) ?? { flat: 0, cum: 0 };
        v.flat += g.flat[n]!;
        v.cum += g.cum[n]!;
        atLine.set(lineno, v);
      }
      const lines: ListLine[] = [];
      for (let ln = Math.max(start, 1); ln <= end; ln++) {
        const text = reader.line(file, ln);
        if (text === undefined) break;
        const v = atLine.get(ln);
        lines.push({ lineno: ln, text, flat: v?.flat ?? 0, cum: v?.cum ?? 0 });
      }
      const error = reader.error(file);
      if (error) {
        missing.add(error);
        const numbers = [...atLine].sort((a, b) => a[0] - b[0]).map(([lineno, v]) => ({ lineno, text: '', ...v }));
        entries.push({ name, file, flat, cum, lines: numbers, error });
      } else {
        entries.push({ name, file, flat, cum, lines });
      }
    }
  }
  return { total: rpt.total, entries, missingSources: [...missing], format: valueFormatter(o) };
}

/** renderList lays the list view out as pprof prints it. */
export function renderList(view: ListView): string {
  const f = view.format;
  const dot = (v: number): string => (v === 0 ? '.' : f(v));
  const out = [`Total: ${f(view.total)}`];
  for (const e of view.entries) {
    if ('noSource' in e) {
      out.push(`No source information for ${e.name}`);
      continue;
    }
    out.push(`ROUTINE ======================== ${e.name} in ${e.file}`);
    out.push(`${padLeft(f(e.flat), 10)} ${padLeft(f(e.cum), 10)} (flat, cum) ${percentage(e.cum, view.total)} of Total`);
    for (const l of e.lines) out.push(`${padLeft(dot(l.flat), 10)} ${padLeft(dot(l.cum), 10)} ${padLeft(String(l.lineno), 6)}:${l.text}`);
  }
  return out.join('\n') + '\n';
}
