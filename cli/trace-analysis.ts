// The analyses of `proflens trace`: `goroutines`, `summary`, `tasks`, `regions` and `--pprof KIND` (the latency
// profiles of go tool trace -pprof). cli/trace-command.ts defines the command and how a trace is
// read or fetched, and calls registerTraceAnalysis with both; this file only wires the analyses
// (src/trace) to options and output.

import type { Command } from 'commander';
import { UsageError } from '../src/profile/errors.js';
import type { Trace } from '../src/trace/model.js';
import { type CliIO, emit } from './options.js';

/** TraceLoader reads or fetches one trace source (a file, -, or a URL) given the command's flags. */
type TraceLoader = (source: string, flags: Record<string, unknown>) => Promise<Trace>;

/** Run receives each parsed invocation (main's runner: errors become one line and an exit code). */
type Run = (action: () => Promise<void>, debug: boolean) => void;

/** The latency profile kinds, in Go's spelling (kept here so start-up loads no trace code). */
const pprofKinds = ['net', 'sync', 'syscall', 'sched'] as const;

interface OutputFlags {
  json?: boolean;
  output?: string;
  debug?: boolean;
}

interface GoroutinesFlags extends OutputFlags {
  group?: string;
  sort?: string;
  goroutine?: string;
}

interface TraceFlags extends OutputFlags {
  pprof?: string;
  /** go tool trace -d: every event (cli/trace-command.ts defines it). */
  d?: boolean;
}

/** withSourceOptions adds what every trace subcommand takes besides its own options. */
function withSourceOptions(cmd: Command): Command {
  return cmd
    .argument('<trace>', 'a trace file, - for standard input, or a URL (host:port means /debug/pprof/trace)')
    .option('--seconds <n>', 'fetch a trace of n seconds (default 5)')
    .option('--timeout <n>', 'seconds to wait for the server')
    .option('--json', 'print the rows as JSON (times in nanoseconds)')
    .option('--output <file>', 'write to a file')
    .option('--debug', 'print stack traces on errors');
}

/**
 * registerTraceAnalysis adds `goroutines`, `summary`, `tasks` and `regions` under the `trace` command, and makes the
 * command itself (no subcommand) print the summary, or with `--pprof KIND --output FILE` write
 * that latency profile as gzipped pprof, or with -d every event. `loadTrace` reads or fetches a
 * source with the flags of the command it was given to (the trace command's own loader).
 */
export function registerTraceAnalysis<F>(trace: Command, io: CliIO, run: Run, loadTrace: (source: string, flags: F) => Promise<Trace>): void {
  const load: TraceLoader = (source, flags) => loadTrace(source, flags as F);
  withSourceOptions(trace.command('goroutines'))
    .description('goroutines grouped by start function, or the goroutines of some groups with where their time went, like go tool trace /goroutines')
    .option('--group <regex>', 'list the goroutines of the groups whose start function matches regex')
    .option('--sort <key>', 'with --group: order by total, exec, net, sync, syscall, sched, sweep or gc (largest first)', 'total')
    .option('--goroutine <id>', 'one goroutine: its life, where it was created and where it waited longest')
    .action((source: string, _: unknown, cmd: Command) => {
      const flags = withGlobals<GoroutinesFlags>(cmd);
      run(() => runGoroutines(io, load, source, flags), !!flags.debug);
    });

  withSourceOptions(trace.command('summary'))
    .description('what the trace holds: duration, procs, goroutines, GC, the groups that waited most, what to run next')
    .action((source: string, _: unknown, cmd: Command) => {
      const flags = withGlobals<OutputFlags>(cmd);
      run(() => runSummary(io, load, source, flags), !!flags.debug);
    });

  withSourceOptions(trace.command('tasks'))
    .description('user tasks (runtime/trace.NewTask) by type: count and duration distribution, like go tool trace /usertasks')
    .action((source: string, _: unknown, cmd: Command) => {
      const flags = withGlobals<OutputFlags>(cmd);
      run(() => runAnnotations(io, load, source, flags, 'tasks'), !!flags.debug);
    });

  withSourceOptions(trace.command('regions'))
    .description('user regions (runtime/trace.WithRegion) by type: count and duration distribution, like go tool trace /userregions')
    .action((source: string, _: unknown, cmd: Command) => {
      const flags = withGlobals<OutputFlags>(cmd);
      run(() => runAnnotations(io, load, source, flags, 'regions'), !!flags.debug);
    });

  if (trace.options.every((o) => o.long !== '--pprof')) {
    trace.option('--pprof <kind>', 'write the latency profile go tool trace -pprof=KIND writes: net, sync, syscall or sched (needs --output or a redirect)');
  }
  for (const [flag, text] of [
    ['--output <file>', 'write to a file'],
    ['--json', 'print the rows as JSON'],
    ['--debug', 'print stack traces on errors'],
  ] as const) {
    if (trace.options.every((o) => o.long !== flag.split(' ')[0])) trace.option(flag, text);
  }
  trace.action((source: string | undefined, flags: TraceFlags & Record<string, unknown>, cmd: Command) => {
    if (source === undefined) return cmd.help({ error: true });
    const action = flags.pprof !== undefined ? runPprof : flags.d ? runEvents : runSummary;
    run(() => action(io, load, source, flags), !!flags.debug);
  });
}

/**
 * withGlobals is a subcommand's flags with those given to `trace` itself: unless the program parses
 * options positionally, `proflens trace goroutines --json X` hands --json to `trace`, which has one too.
 */
function withGlobals<T>(cmd: Command): T & Record<string, unknown> {
  return cmd.optsWithGlobals<T & Record<string, unknown>>();
}

async function runGoroutines(io: CliIO, load: TraceLoader, source: string, flags: GoroutinesFlags & Record<string, unknown>): Promise<void> {
  const sort = flags.sort ?? 'total';
  const report = await import('../src/trace/goroutine-report.js');
  if (!report.isSortKey(sort)) throw new UsageError(`--sort: ${JSON.stringify(sort)} is not one of ${Object.keys(report.sortKeys).join(', ')}`);
  let id: number | undefined;
  if (flags.goroutine !== undefined) {
    id = Number(flags.goroutine);
    if (!/^\d+$/.test(flags.goroutine) || !Number.isSafeInteger(id)) throw new UsageError(`--goroutine: ${JSON.stringify(flags.goroutine)} is not a goroutine id`);
  }
  const match = flags.group !== undefined ? await groupMatcher(flags.group) : undefined;
  const t = await load(source, flags);
  const stats = (await import('../src/trace/goroutine-stats.js')).goroutineStats(t);
  if (id !== undefined) {
    const detail = report.goroutineDetail(t, stats, id);
    if (detail === undefined) throw new UsageError(`--goroutine: ${source} has no goroutine ${id}`);
    return emit(io, flags, { data: detail, text: report.renderDetail(detail) });
  }
  if (match !== undefined) {
    const rows = report.goroutineRows(stats.values(), (g) => match(g.name), sort);
    if (rows.length === 0) throw new UsageError(`--group: no goroutine of ${source} started in a function matching ${flags.group}`);
    return emit(io, flags, { data: rows, text: report.renderGoroutines(rows) });
  }
  const groups = report.groupRows(stats.values());
  return emit(io, flags, { data: groups, text: report.renderGroups(groups) });
}

/** groupMatcher compiles a user's regex with Go's syntax (RE2: linear time), as --focus does. */
async function groupMatcher(regex: string): Promise<(name: string) => boolean> {
  const { compileGoRegExp } = await import('../src/profile/go-regexp.js');
  try {
    const re = compileGoRegExp(regex);
    return (name) => re.test(name);
  } catch (e) {
    throw new UsageError(`--group: ${(e as Error).message}`);
  }
}

async function runSummary(io: CliIO, load: TraceLoader, source: string, flags: OutputFlags & Record<string, unknown>): Promise<void> {
  const t = await load(source, flags);
  const stats = (await import('../src/trace/goroutine-stats.js')).goroutineStats(t);
  const { summarize, renderSummary } = await import('../src/trace/summary.js');
  const s = summarize(t, stats);
  return emit(io, flags, { data: s, text: renderSummary(s, source) });
}

async function runAnnotations(io: CliIO, load: TraceLoader, source: string, flags: OutputFlags & Record<string, unknown>, what: 'tasks' | 'regions'): Promise<void> {
  const t = await load(source, flags);
  const a = await import('../src/trace/annotations.js');
  if (what === 'tasks') {
    const rows = a.taskTypes(t);
    return emit(io, flags, { data: rows, text: a.renderTaskTypes(rows) });
  }
  const stats = (await import('../src/trace/goroutine-stats.js')).goroutineStats(t);
  const rows = a.regionTypes(t, stats);
  return emit(io, flags, { data: rows, text: a.renderRegionTypes(rows) });
}

/** runEvents prints every event as go tool trace -d does (`proflens trace -d TRACE`). */
async function runEvents(io: CliIO, load: TraceLoader, source: string, flags: OutputFlags & Record<string, unknown>): Promise<void> {
  const t = await load(source, flags);
  const { writeEventsJson, writeEventsText } = await import('../src/trace/events-text.js');
  const chunks: string[] = [];
  (flags.json ? writeEventsJson : writeEventsText)(t, (s) => chunks.push(s));
  return emit(io, { output: flags.output }, { text: chunks.join('') });
}

async function runPprof(io: CliIO, load: TraceLoader, source: string, flags: TraceFlags & Record<string, unknown>): Promise<void> {
  const kind = flags.pprof!;
  if (!(pprofKinds as readonly string[]).includes(kind)) throw new UsageError(`--pprof: ${JSON.stringify(kind)} is not one of ${pprofKinds.join(', ')}`);
  if (flags.json) throw new UsageError('--json: --pprof writes a profile; read it with proflens top --pprof KIND TRACE --json');
  if (!flags.output && (io.stdoutIsTTY ?? process.stdout.isTTY === true)) {
    throw new UsageError('--pprof writes a binary profile: give --output FILE or redirect standard output');
  }
  const t = await load(source, flags);
  const { latencyProfile } = await import('../src/trace/latency-profile.js');
  const { encodeProfile } = await import('../src/profile/encode.js');
  return emit(io, flags, { bytes: encodeProfile(latencyProfile(t, kind as (typeof pprofKinds)[number])) });
}
