// `proflens trace mmu TRACE`: minimum mutator utilization (go tool trace's /mmu page), wired to its
// options; the analysis is src/trace/mmu.ts, the rows src/trace/mmu-report.ts.

import type { Command } from 'commander';
import { ProfileError, UsageError } from '../src/profile/errors.js';
import type { Trace } from '../src/trace/model.js';
import { durationOption } from './flag-values.js';
import { type CliIO, emit } from './options.js';
import type { TraceAnswer } from './trace-analysis.js';

interface MMUFlags {
  json?: boolean;
  output?: string;
  mmuFlags?: string;
  window?: string;
}

/** defaultWindowNs is the window of the worst-windows list when --window is not given: 1 ms. */
const defaultWindowNs = 1e6;

/** addTraceMMUOptions adds `trace mmu`'s options to the `proflens trace` command. */
export function addTraceMMUOptions(trace: Command): Command {
  return trace
    .option('--mmu-flags <list>', 'mmu: what takes the CPU from the program, comma-separated: stw, background, assist, sweep, and perproc for one curve per P (default: stw,background,assist, as Go\'s page)')
    .option('--window <duration>', 'mmu: the window size of the worst-windows list (default 1ms)');
}

/** traceMMUAnswer is `trace mmu` for cli/trace-command.ts's table. */
export function traceMMUAnswer<F>(loadTrace: (io: CliIO, source: string, flags: F) => Promise<Trace>): TraceAnswer<F> {
  return {
    description: 'minimum mutator utilization by window size, and the worst windows (go tool trace /mmu); --mmu-flags, --window',
    run: async (io, source, flags) => {
      const f = flags as MMUFlags;
      const mmu = await import('../src/trace/mmu.js');
      let bits = mmu.defaultUtilFlags;
      if (f.mmuFlags !== undefined) {
        const parsed = mmu.utilFlagsFromNames(f.mmuFlags.split(','));
        if ('unknown' in parsed) throw new UsageError(`--mmu-flags: ${JSON.stringify(parsed.unknown)} is not one of stw, background, assist, sweep, perproc`);
        bits = parsed.flags;
      }
      const window = f.window === undefined ? defaultWindowNs : Math.round(durationOption('--window', f.window, 0) * 1e6);
      if (!(window >= 1)) throw new UsageError(`--window: ${JSON.stringify(f.window)} is not a window of at least 1ns`);
      const t = await loadTrace(io, source, flags);
      const { mmuReport, renderMMU } = await import('../src/trace/mmu-report.js');
      let report;
      try {
        report = mmuReport(t, bits, window);
      } catch (e) {
        if (e instanceof mmu.MutatorUtilizationError) throw new ProfileError(`${source}: ${e.message}`, { cause: e });
        throw e;
      }
      return emit(io, f, { data: report, text: renderMMU(report) });
    },
  };
}
