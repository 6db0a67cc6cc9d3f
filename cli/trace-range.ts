// `proflens trace range TRACE --from T --to T`: where the goroutines' time went in a stretch of the
// trace (src/trace/range-stats.ts), the numbers the timeline shows for a selection.

import type { Command } from 'commander';
import type { Trace } from '../src/trace/model.js';
import { durationOption } from './flag-values.js';
import { type CliIO, emit } from './options.js';
import type { TraceAnswer } from './trace-analysis.js';

interface RangeFlags {
  json?: boolean;
  output?: string;
  from?: string;
  to?: string;
}

/** addTraceRangeOptions adds `trace range`'s options to the `proflens trace` command. */
export function addTraceRangeOptions(trace: Command): Command {
  return trace
    .option('--from <duration>', 'range: where the range starts, as time since the trace began (150ms; default: the start)')
    .option('--to <duration>', 'range: where it ends (default: the trace\'s end)');
}

/** nsOption reads a time since the trace's start (a Go duration) as ns. */
const nsOption = (flag: string, s: string): number => Math.round(durationOption(flag, s, 0) * 1e6);

/** traceRangeAnswer is `trace range` for cli/trace-command.ts's table. */
export function traceRangeAnswer<F>(loadTrace: (io: CliIO, source: string, flags: F) => Promise<Trace>): TraceAnswer<F> {
  return {
    description: 'time per goroutine state in --from … --to, in all and per goroutine group (the timeline selection\'s numbers)',
    run: async (io, source, flags) => {
      const f = flags as RangeFlags;
      let from = f.from === undefined ? undefined : nsOption('--from', f.from);
      let to = f.to === undefined ? undefined : nsOption('--to', f.to);
      const t = await loadTrace(io, source, flags);
      // By default the whole trace: a Go 1.22+ trace's goroutines may date from its first
      // generation's start, before the first event (time 0).
      from ??= Math.min(0, t.generationStarts?.[0] ?? 0);
      to ??= t.events.length > 0 ? t.events.ts[t.events.length - 1]! : 0;
      const { rangeStats, renderRangeStats } = await import('../src/trace/range-stats.js');
      const r = rangeStats(t, from, to);
      return emit(io, f, { data: r, text: renderRangeStats(r) });
    },
  };
}
