// The analyses of `proflens trace`: `goroutines`, `summary`, `tasks`, `regions` and `--pprof KIND`
// (the latency profiles of go tool trace -pprof). cli/trace-command.ts defines the command, its
// table of answers and how a trace is read or fetched, and calls registerTraceAnalysis with them;
// this file only wires the analyses (src/trace) to options and output.

import type { Command } from 'commander';
import { UsageError } from '../src/profile/errors.js';
import { savedTraces } from './trace-saved.js';
import type { Trace } from '../src/trace/model.js';
import { type CliIO, emit } from './options.js';

/** TraceLoader reads or fetches one trace source (a file, -, or a URL) given the command's flags. */
type TraceLoader = (io: CliIO, source: string, flags: Record<string, unknown>) => Promise<Trace>;

/** TraceAnswer is one answer of `proflens trace [NAME] TRACE`, as cli/trace-command.ts tabulates them. */
export interface TraceAnswer<F> {
  readonly description: string;
  readonly run: (io: CliIO, source: string, flags: F) => Promise<void>;
}

/** The trace profile kinds: Go's latency profiles, and cpu (kept here so start-up loads no trace code). */
const pprofKinds = ['net', 'sync', 'syscall', 'sched', 'cpu'] as const;

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

interface SummaryFlags extends OutputFlags {
  pprof?: string;
  group?: string;
  region?: string;
}

type Flags<T> = T & Record<string, unknown>;

/**
 * traceAnalysisAnswers are the analyses' answers of `proflens trace` (cli/trace-command.ts puts them
 * in its table): `summary` (with `--pprof KIND`: that latency profile, gzipped pprof),
 * `goroutines`, `tasks` and `regions`. `loadTrace` is the command's own way to read or fetch a trace.
 */
export function traceAnalysisAnswers<F>(loadTrace: (io: CliIO, source: string, flags: F) => Promise<Trace>): Record<string, TraceAnswer<F>> {
  const load: TraceLoader = (io, source, flags) => loadTrace(io, source, flags as F);
  const answers: Record<string, TraceAnswer<Flags<object>>> = {
    summary: {
      description: 'duration, procs, goroutines, GC, the groups that waited most, what to run next (--pprof KIND: that latency profile, gzipped pprof)',
      run: (io, source, flags: Flags<SummaryFlags>) => (flags.pprof !== undefined ? runPprof(io, load, source, flags) : runSummary(io, load, source, flags)),
    },
    goroutines: {
      description: 'goroutines by start function (go tool trace /goroutines); --group REGEX [--sort KEY]: their times; --goroutine ID: one',
      run: (io, source, flags) => runGoroutines(io, load, source, flags),
    },
    tasks: { description: 'user tasks by type: count and duration distribution (go tool trace /usertasks)', run: (io, source, flags) => runAnnotations(io, load, source, flags, 'tasks') },
    regions: { description: 'user regions by type: count and duration distribution (go tool trace /userregions)', run: (io, source, flags) => runAnnotations(io, load, source, flags, 'regions') },
  };
  return answers as Record<string, TraceAnswer<F>>;
}

/** addTraceAnalysisOptions adds the analyses' options to the `proflens trace` command. */
export function addTraceAnalysisOptions(trace: Command): Command {
  return trace
    .option('--pprof <kind>', 'write the latency profile go tool trace -pprof=KIND writes: net, sync, syscall or sched, or cpu: the CPU samples in the trace (needs --output or a redirect)')
    .option('--group <regex>', 'goroutines: list the goroutines of the groups whose start function matches regex; --pprof: the profile of those groups (or of the group of start PC N: go tool trace /block?id=N)')
    .option('--region <type>', "--pprof: the profile of the regions of that type (go tool trace /regionblock?type=TYPE)")
    .option('--sort <key>', 'goroutines --group: order by total, exec, net, sync, syscall, sched, sweep or gc (largest first)')
    .option('--goroutine <id>', 'goroutines: one goroutine, its life, where it was created and where it waited longest');
}

async function runGoroutines(io: CliIO, load: TraceLoader, source: string, flags: Flags<GoroutinesFlags>): Promise<void> {
  const sort = flags.sort ?? 'total';
  const report = await import('../src/trace/goroutine-report.js');
  if (!report.isSortKey(sort)) throw new UsageError(`--sort: ${JSON.stringify(sort)} is not one of ${Object.keys(report.sortKeys).join(', ')}`);
  let id: number | undefined;
  if (flags.goroutine !== undefined) {
    id = Number(flags.goroutine);
    if (!/^\d+$/.test(flags.goroutine) || !Number.isSafeInteger(id)) throw new UsageError(`--goroutine: ${JSON.stringify(flags.goroutine)} is not a goroutine id`);
  }
  const match = flags.group !== undefined ? await groupMatcher(flags.group) : undefined;
  const t = await load(io, source, flags);
  const stats = (await import('../src/trace/goroutine-analysis.js')).goroutineAnalysis(t, { regions: false });
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

async function runSummary(io: CliIO, load: TraceLoader, source: string, flags: Flags<OutputFlags>): Promise<void> {
  const t = await load(io, source, flags);
  const stats = (await import('../src/trace/goroutine-analysis.js')).goroutineAnalysis(t, { regions: false });
  const { summarize, renderSummary } = await import('../src/trace/summary.js');
  const s = summarize(t, stats);
  return emit(io, flags, { data: s, text: renderSummary(s, savedTraces.get(t) ?? source) });
}

async function runAnnotations(io: CliIO, load: TraceLoader, source: string, flags: Flags<OutputFlags>, what: 'tasks' | 'regions'): Promise<void> {
  const t = await load(io, source, flags);
  const a = await import('../src/trace/annotations.js');
  if (what === 'tasks') {
    const rows = a.taskTypes(t);
    return emit(io, flags, { data: rows, text: a.renderTaskTypes(rows) });
  }
  const stats = (await import('../src/trace/goroutine-analysis.js')).goroutineAnalysis(t);
  const rows = a.regionTypes(t, stats);
  return emit(io, flags, { data: rows, text: a.renderRegionTypes(rows) });
}

async function runPprof(io: CliIO, load: TraceLoader, source: string, flags: Flags<SummaryFlags>): Promise<void> {
  const kind = flags.pprof!;
  if (!(pprofKinds as readonly string[]).includes(kind)) throw new UsageError(`--pprof: ${JSON.stringify(kind)} is not one of ${pprofKinds.join(', ')}`);
  if (flags.json) throw new UsageError('--json: --pprof writes a profile; read it with proflens top --pprof KIND TRACE --json');
  if (!flags.output && (io.stdoutIsTTY ?? process.stdout.isTTY === true)) {
    throw new UsageError('--pprof writes a binary profile: give --output FILE or redirect standard output');
  }
  const t = await load(io, source, flags);
  const { traceProfile } = await import('../src/trace/trace-profiles.js');
  const { encodeProfile } = await import('../src/profile/encode.js');
  const scope = { ...(flags.group !== undefined && { group: flags.group }), ...(flags.region !== undefined && { region: flags.region }) };
  return emit(io, flags, { bytes: encodeProfile(traceProfile(t, kind as (typeof pprofKinds)[number], scope)) });
}
