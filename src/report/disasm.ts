// The disasm view (pprof's -disasm): the instructions of each symbol matching a regex, every
// instruction annotated with the flat and cum value of the samples at its address. As pprof does,
// samples are taken at address granularity with inlined frames collapsed (one node per address),
// and the samples between two instructions count for the first.

import { buildGraph, buildNodeIndex } from '../graph/build.js';
import { type NodeInfo, printableName } from '../graph/node-info.js';
import type { Disassembler, Instruction, ObjSymbol } from '../binutils/go-objdump.js';
import type { GoRegexp } from '../profile/go-regexp.js';
import { padLeft } from '../units/go-format.js';
import { percentage } from '../units/measurement.js';
import { noMatchesError } from './no-matches.js';
import type { Report } from './report.js';
import { valueFormatter } from './report.js';

/** AsmRow is one instruction with its values and the location pprof shows beside it. */
export interface AsmRow {
  readonly address: bigint;
  readonly text: string;
  readonly function: string;
  readonly file: string;
  readonly line: number;
  readonly flat: number;
  readonly cum: number;
}

/** AsmRoutine is one symbol of a binary. */
export interface AsmRoutine {
  readonly name: string;
  readonly flat: number;
  readonly cum: number;
  readonly rows: readonly AsmRow[];
}

export interface DisasmView {
  readonly total: number;
  readonly routines: readonly AsmRoutine[];
  readonly format: (v: number) => string;
}

interface Node {
  readonly info: NodeInfo;
  readonly flat: number;
  readonly cum: number;
}

/**
 * disasmView annotates the symbols matching symbol in the binaries of the profile's mappings.
 * binaryOf names the file to read for a mapping's file (the binary given on the command line, or
 * the mapping's own path).
 */
export async function disasmView(rpt: Report, symbol: GoRegexp, binaryOf: (mappingFile: string) => string, dis: Disassembler): Promise<DisasmView> {
  const p = rpt.profile;
  const o = rpt.options;
  const index = buildNodeIndex(p, { ...o.aggregation, granularity: 'addresses', noInlines: true, objNames: true });
  const g = buildGraph(p, index, { sampleIndex: o.sampleIndex, meanDivisorIndex: o.mean ? 0 : -1 });
  // The index holds every location of the profile, samples dropped by a filter included; pprof's
  // graph has only the nodes of the samples left, so a node with no value is no node.
  const nodes: Node[] = [];
  index.info.forEach((info, i) => {
    if (g.flat[i] !== 0 || g.cum[i] !== 0) nodes.push({ info, flat: g.flat[i]!, cum: g.cum[i]! });
  });

  // Only the binaries holding a node whose name matches are opened (pprof's optimisation, which
  // also decides what is shown).
  const withSamples = new Set<string>();
  for (const n of nodes) if (n.info.objfile !== '' && symbol.test(printableName(n.info))) withSamples.add(n.info.objfile);

  const found: { sym: ObjSymbol; binary: string; nodes: Node[] }[] = [];
  const seen = new Set<string>();
  for (const m of p.mappings) {
    if (!withSamples.has(m.file) || seen.has(m.file)) continue;
    seen.add(m.file);
    const binary = binaryOf(m.file);
    for (const sym of await dis.symbols(binary)) {
      if (!symbol.test(sym.name)) continue;
      const inside = nodes.filter((n) => n.info.address >= sym.start && n.info.address < sym.end);
      if (inside.length > 0) found.push({ sym, binary, nodes: inside });
    }
  }
  if (found.length === 0) throw noMatchesError(symbol);
  found.sort((a, b) => (a.sym.name < b.sym.name ? -1 : a.sym.name > b.sym.name ? 1 : a.sym.start < b.sym.start ? -1 : a.sym.start > b.sym.start ? 1 : 0));

  // Each binary is disassembled once, for all its symbols shown.
  const decoded = new Map<(typeof found)[number], Instruction[]>();
  for (const binary of new Set(found.map((f) => f.binary))) {
    const of = found.filter((f) => f.binary === binary);
    const insts = await dis.instructions(binary, of.map((f) => f.sym));
    of.forEach((f, k) => decoded.set(f, insts[k]!));
  }
  const routines: AsmRoutine[] = [];
  for (const f of found) {
    const insts = decoded.get(f)!;
    let flat = 0;
    let cum = 0;
    for (const n of f.nodes) {
      flat += n.flat;
      cum += n.cum;
    }
    routines.push({ name: f.sym.name, flat, cum, rows: annotate(insts, f.nodes) });
  }
  return { total: rpt.total, routines, format: valueFormatter(o) };
}

/** annotate gives each instruction the samples from its address up to the next instruction. */
function annotate(insts: readonly Instruction[], nodes: readonly Node[]): AsmRow[] {
  const sorted = [...nodes].sort((a, b) => (a.info.address < b.info.address ? -1 : a.info.address > b.info.address ? 1 : 0));
  const rows: AsmRow[] = [];
  let s = 0;
  for (let k = 0; k < insts.length; k++) {
    const inst = insts[k]!;
    const next = k + 1 < insts.length ? insts[k + 1]!.address : 1n << 64n;
    let { file, line } = inst;
    let fn = '';
    let flat = 0;
    let cum = 0;
    for (; s < sorted.length && sorted[s]!.info.address < next; s++) {
      const n = sorted[s]!;
      flat += n.flat;
      cum += n.cum;
      if (file === '' && n.info.file !== '') file = baseName(n.info.file);
      if (line === 0) line = n.info.lineno;
      if (fn === '') fn = n.info.name;
    }
    rows.push({ address: inst.address, text: inst.text, function: fn, file, line, flat, cum });
  }
  return rows;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** renderDisasm lays the view out as pprof prints it; a row's location is shown when it changes. */
export function renderDisasm(view: DisasmView): string {
  const f = view.format;
  const dot = (v: number): string => (v === 0 ? '.' : f(v));
  const out = [`Total: ${f(view.total)}`];
  for (const r of view.routines) {
    out.push(`ROUTINE ======================== ${r.name}`);
    out.push(`${padLeft(f(r.flat), 10)} ${padLeft(f(r.cum), 10)} (flat, cum) ${percentage(r.cum, view.total)} of Total`);
    let fn = '';
    let file = '';
    let line = 0;
    for (const row of r.rows) {
      let loc = '';
      if (row.function !== fn || row.file !== file || row.line !== line) {
        ({ function: fn, file, line } = row);
        if (fn !== '') loc = fn + ' ';
        if (file !== '') loc += line !== 0 ? `${file}:${line}` : file;
      }
      const head = `${padLeft(dot(row.flat), 10)} ${padLeft(dot(row.cum), 10)} ${padLeft(row.address.toString(16), 10)}: `;
      if (loc === '') out.push(head + row.text);
      else if (row.text.length < 40) out.push(`${head}${row.text.padEnd(40)};${loc}`);
      else out.push(`${' '.repeat(74)};${loc}`, head + row.text);
    }
  }
  return out.join('\n') + '\n';
}
