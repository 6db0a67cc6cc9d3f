// `proflens trace …`: Go execution traces, as `go tool trace` reads them. This file wires the
// commands; reading is src/trace's, fetching src/fetch's, and both are loaded only when a trace
// command runs.
//
//   proflens trace TRACE              the web UI: timeline and pages (go tool trace TRACE; -http=… → --http …)
//   proflens trace summary TRACE      the summary (go tool trace -d → -d, -pprof=KIND → --pprof KIND)
//   proflens trace events TRACE       every event, as `go tool trace -d` prints them (--json)
//   proflens trace goroutines|tasks|regions TRACE   the analyses (cli/trace-analysis.ts)
//   proflens trace mmu TRACE          minimum mutator utilization (cli/trace-mmu.ts)
//   proflens trace range TRACE        time per goroutine state in --from … --to (cli/trace-range.ts)

import type { Command } from 'commander';
import { UsageError } from '../src/profile/errors.js';
import type { Trace } from '../src/trace/model.js';
import { type CliIO, type SourceFlags, addSourceOptions, emit, loadOptions, withProgress } from './options.js';
import { addTraceAnalysisOptions, traceAnalysisAnswers } from './trace-analysis.js';
import { savedTraces } from './trace-saved.js';
import { addTraceMMUOptions, traceMMUAnswer } from './trace-mmu.js';
import { addTraceRangeOptions, traceRangeAnswer } from './trace-range.js';
import type { TraceWebFlags } from './trace-web.js';
import type { WebIO } from './web-command.js';

type Run = (action: () => Promise<void>, debug: boolean) => void;

/** TraceFlags are the options every trace command takes. */
interface TraceFlags extends SourceFlags, TraceWebFlags {
  json?: boolean;
  pprof?: string;
  output?: string;
  debug?: boolean;
  d?: boolean;
}

/** goFlags are the trace command's long options that Go's spelling writes with one dash (-pprof=sync). */
const goFlags = new Set(['http', 'pprof', 'seconds', 'timeout', 'output', 'json', 'debug', 'group', 'region', 'sort', 'goroutine']);

/** translateTraceArgs turns Go's one-dash spellings (`-pprof=sync`, `-seconds 10`) into ours. */
export function translateTraceArgs(argv: readonly string[]): string[] {
  return argv.map((a) => {
    // pprof's spelling of --no-browser, as `proflens web` takes it.
    if (a === '-no_browser' || a === '--no_browser') return '--no-browser';
    const m = /^-([a-z]+)(=.*)?$/s.exec(a);
    return m && goFlags.has(m[1]!) ? `-${a}` : a;
  });
}

const traceArg = 'a trace file, - for standard input, or a URL (host:port alone means /debug/pprof/trace)';

function addTraceOptions(cmd: Command): Command {
  return addSourceOptions(cmd, false)
    .option('--json', 'print the answer as JSON')
    .option('--output <file>', 'write the answer to a file')
    .option('--debug', 'print stack traces on errors');
}

/** TraceSubcommand is one answer of `proflens trace`: `proflens trace NAME TRACE`. */
interface TraceSubcommand {
  readonly description: string;
  readonly run: (io: WebIO, source: string, flags: TraceFlags) => Promise<void>;
}

/**
 * traceSubcommands are the answers `proflens trace` gives. They share one option set, so they are
 * one commander command whose first argument may name the answer (commander's own subcommands
 * would let `trace`'s options swallow theirs).
 */
const traceSubcommands: Record<string, TraceSubcommand> = {
  web: {
    description: 'serve the timeline and the analysis pages in the browser (the default, as go tool trace TRACE)',
    run: async (io, s, f) => (await import('./trace-web.js')).runTraceWeb(io, s, f, (io2) => loadTrace(io2, s, f)),
  },
  events: { description: 'every event, one a line, exactly as go tool trace -d prints them', run: (io, s, f) => runEvents(io, s, f) },
  ...traceAnalysisAnswers<TraceFlags>(loadTrace),
  mmu: traceMMUAnswer<TraceFlags>(loadTrace),
  range: traceRangeAnswer<TraceFlags>(loadTrace),
};

const subcommandHelp = Object.entries(traceSubcommands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.description}`)
  .join('\n');

/** registerTraceCommand adds `trace` to the program. */
export function registerTraceCommand(program: Command, io: WebIO, run: Run): void {
  const trace = program
    .command('trace')
    .description('Go execution traces (runtime/trace, /debug/pprof/trace), as go tool trace reads them')
    .usage(`[${Object.keys(traceSubcommands).join('|')}] [options] <trace>`)
    .argument('<args...>', `[answer] ${traceArg}`)
    .option('-d', 'print every event, as go tool trace -d does (same as trace events)')
    .option('--http <host:port>', 'web: address to serve on (default 127.0.0.1 and a free port)')
    .option('--no-browser', 'web: do not open a browser')
    .addHelpText('after', `\nAnswers (default: web; with --pprof, summary):\n${subcommandHelp}`);
  addTraceRangeOptions(addTraceMMUOptions(addTraceAnalysisOptions(addTraceOptions(trace)))).action((args: string[], flags: TraceFlags) => {
    const named = Object.prototype.hasOwnProperty.call(traceSubcommands, args[0]!) && args.length > 1;
    const name = named ? args[0]! : flags.d ? 'events' : flags.pprof !== undefined ? 'summary' : 'web';
    const sources = named ? args.slice(1) : args;
    if (sources.length !== 1) throw new UsageError(`trace ${named ? name + ' ' : ''}takes one trace, not ${sources.length}: ${sources.join(' ')}`);
    run(() => traceSubcommands[name]!.run(io, sources[0]!, flags), !!flags.debug);
  });
}

/** loadTrace reads, or fetches and saves, a trace and parses it; progress shows on a terminal. */
async function loadTrace(io: CliIO, source: string, flags: TraceFlags): Promise<Trace> {
  const [{ grabTrace }, { readTrace }] = await Promise.all([import('../src/fetch/grab-trace.js'), import('../src/trace/read.js')]);
  const got = await withProgress(
    io,
    // The trace is read here, whole: --pprof, --group and --region are this command's own, not a parse step.
    (progress) => grabTrace(source, { ...loadOptions({ ...flags, pprof: undefined, group: undefined, region: undefined }, io), onFetch: progress.onFetch, onFetched: progress.onFetched }),
    'trace',
  );
  if (got.saved) io.stderr(`Saved trace in ${got.saved}\n`);
  const trace = readTrace(got.bytes, got.display);
  if (got.saved) savedTraces.set(trace, got.saved);
  return trace;
}

async function runEvents(io: CliIO, source: string, flags: TraceFlags): Promise<void> {
  const trace = await loadTrace(io, source, flags);
  const { writeEventsJson, writeEventsText } = await import('../src/trace/events-text.js');
  const write = flags.json ? writeEventsJson : writeEventsText;
  if (!flags.output) return write(trace, io.stdout);
  const chunks: string[] = [];
  write(trace, (s) => chunks.push(s));
  await emit(io, { output: flags.output }, { text: chunks.join('') });
}
