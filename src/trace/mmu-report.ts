// `proflens trace mmu`: the MMU curve of a trace as rows (what go tool trace's /mmu page plots and
// lists), and those rows as text.

import type { Trace } from './model.js';
import { MMUCurve, UtilFlags, mmuPlot, mutatorUtilization, type UtilFlagName, type UtilWindow } from './mmu.js';

/** MMUReport is the MMU answer for one set of flags. */
export interface MMUReport {
  /** The flags' names, as /mmuPlot?flags= spells them. */
  readonly flags: UtilFlagName[];
  /** Go's /mmuPlot: its window range and 100 [window ns, MMU] points. */
  readonly xMin: number;
  readonly xMax: number;
  readonly curve: [number, number][];
  /** The MMU at round window sizes (1, 2, 5 × 10^k ns from xMin, and xMax), for the text table. */
  readonly table: { readonly window: number; readonly mmu: number }[];
  /** The window size (ns) of `worst`. */
  readonly window: number;
  /** The lowest disjoint windows of that size, lowest first (Go's /mmuDetails: up to 10). */
  readonly worst: UtilWindow[];
}

/** flagNames names the bits of a UtilFlags value. */
export function flagNames(flags: number): UtilFlagName[] {
  return (Object.keys(UtilFlags) as UtilFlagName[]).filter((k) => (flags & UtilFlags[k]) !== 0);
}

/** roundWindows returns 1, 2, 5 × 10^k from xMin up to xMax, and xMax itself. */
function roundWindows(xMin: number, xMax: number): number[] {
  const out: number[] = [];
  for (let decade = Math.max(1, xMin); decade <= xMax; decade *= 10) {
    for (const m of [1, 2, 5]) if (decade * m <= xMax) out.push(decade * m);
  }
  if (out[out.length - 1] !== xMax && xMax > 0) out.push(xMax);
  return out;
}

/**
 * mmuReport computes the MMU curve of a trace for UtilFlags bits `flags`, and the `nWorst` lowest
 * windows of `window` ns (clipped to the trace's length).
 */
export function mmuReport(t: Trace, flags: number, window: number, nWorst = 10): MMUReport {
  const curve = new MMUCurve(mutatorUtilization(t, flags));
  const plot = mmuPlot(curve);
  const span = curve.span();
  const w = span === undefined ? 0 : Math.min(window, span.end - span.start);
  return {
    flags: flagNames(flags),
    ...plot,
    table: roundWindows(plot.xMin, plot.xMax).map((x) => ({ window: x, mmu: curve.mmu(x) })),
    window: w,
    worst: w > 0 ? curve.worstWindows(w, nWorst) : [],
  };
}

/** mmuDuration writes ns as the MMU page does (its JavaScript niceDuration): 1µs, 2.5ms, 1.2s. */
export function mmuDuration(ns: number): string {
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${ns / 1e3}µs`;
  if (ns < 1e9) return `${ns / 1e6}ms`;
  return `${ns / 1e9}s`;
}

/** renderMMU prints the table of window sizes and MMU, then the worst windows, as Go's page words them. */
export function renderMMU(r: MMUReport): string {
  const flags = r.flags.length > 0 ? r.flags.join(', ') : 'none';
  if (r.curve.length === 0) return `No mutator utilization: the trace has no events or no GOMAXPROCS (flags: ${flags}).\n`;
  const out = [`Minimum mutator utilization (flags: ${flags})`];
  const width = Math.max(6, ...r.table.map((row) => mmuDuration(row.window).length));
  out.push(`  ${'window'.padStart(width)}  MMU`);
  for (const row of r.table) out.push(`  ${mmuDuration(row.window).padStart(width)}  ${row.mmu.toFixed(4)}`);
  out.push('', `Lowest mutator utilization in ${mmuDuration(r.window)} windows:`);
  for (const w of r.worst) out.push(`  ${w.mutatorUtil.toFixed(3)} at time ${mmuDuration(w.time)}`);
  return `${out.join('\n')}\n`;
}
