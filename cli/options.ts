// The options of proflens's commands: how commander parses them and how they become the
// driver's Config and LoadOptions. Shared by every command module of the CLI.

import { type Command, Option } from 'commander';
import { type Config, defaultConfig } from '../src/driver/config.js';
import type { LoadOptions } from '../src/driver/driver.js';
import { readProcessStdin } from '../src/fetch/source.js';
import { type Granularity, granularities } from '../src/graph/node-info.js';
import { UsageError } from '../src/profile/errors.js';
import { parseGoInt, timeoutOption } from './flag-values.js';
import { fetchProgress } from './progress.js';

/** CliIO is the outside world of one run; tests pass their own. */
export interface CliIO {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly readStdin?: (maxBytes: number) => Promise<Uint8Array>;
  readonly writeFile?: (path: string, data: string | Uint8Array) => Promise<void>;
  /** Binary output (proto, topproto); default: the process's standard output. */
  readonly stdoutBytes?: (b: Uint8Array) => void;
  /** Whether standard output is a terminal; default: the process's. */
  readonly stdoutIsTTY?: boolean;
  /** Whether standard error is a terminal (then fetches show a countdown). */
  readonly stderrIsTTY?: boolean;
  /** The environment (PPROF_TMPDIR and HOME choose where fetched profiles are saved). */
  readonly env?: NodeJS.ProcessEnv;
  /** The working folder, where reports kept off the terminal go (profile001.svg); default: the process's. */
  readonly cwd?: string;
  /** Commands for the shell, in place of the terminal (tests); its output then goes to stdout. */
  readonly stdin?: NodeJS.ReadableStream;
}

/** Exit codes: 0 success, 1 failure (bad input, I/O), 2 usage, 3 a `diff --fail-on` rule broken. */
export const exitCode = { ok: 0, failure: 1, usage: 2, regression: 3 } as const;

/** Options common to every report view, as commander parses them. */
export interface ViewFlags {
  sampleIndex?: string;
  mean?: boolean;
  cum?: boolean;
  flat?: boolean;
  nodecount?: string;
  nodefraction?: string;
  edgefraction?: string;
  trim?: boolean;
  callTree?: boolean;
  dropNegative?: boolean;
  unit?: string;
  divideBy?: string;
  compactLabels?: boolean;
  granularity?: string;
  functions?: boolean;
  filefunctions?: boolean;
  files?: boolean;
  lines?: boolean;
  addresses?: boolean;
  noinlines?: boolean;
  trimPath?: string;
  sourcePath?: string;
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  showFrom?: string;
  pruneFrom?: string;
  tagfocus?: string;
  tagignore?: string;
  tagshow?: string;
  taghide?: string;
  tagroot?: string;
  tagleaf?: string;
  relativePercentages?: boolean;
  addComment?: string;
  json?: boolean;
  output?: string;
  debug?: boolean;
}

/** Options that say where profiles come from and what they are compared with. */
export interface SourceFlags {
  base?: string[];
  diffBase?: string[];
  normalize?: boolean;
  seconds?: string;
  timeout?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  maxSize?: string;
  /** pprof's -symbolize: accepted so that pprof's scripts run; proflens never symbolizes. */
  symbolize?: string;
  debug?: boolean;
  /** Read the sources as Go execution traces and build this profile (net, sync, syscall, sched: latency; cpu: its CPU samples). */
  pprof?: string;
  /** With pprof: the latency profile of one goroutine group (start PC, or a regex of start functions) or region type. */
  group?: string;
  region?: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** addSourceOptions adds the options of collecting and comparing profiles. */
export function addSourceOptions(cmd: Command, withBase = true): Command {
  cmd.optionsGroup('Sources (a file, - for standard input, or a URL such as host:6060/debug/pprof/heap):');
  if (withBase) {
    cmd
      .option('--base <source>', 'subtract this profile (file or URL; repeatable)', collect, [])
      .option('--diff-base <source>', 'compare with this profile: subtract it, percentages relative to it (repeatable)', collect, [])
      .option('--normalize', "scale the profile to the base's total before subtracting");
  }
  return cmd
    .option('--seconds <n>', 'ask the server for a profile of n seconds (?seconds=n; a whole number, as pprof)')
    .option('--timeout <duration>', 'how long to wait for a server (30s, 2m, or seconds; default: 1.5 × seconds + 5s, else 65s)')
    .option('--tls-ca <file>', 'PEM file of the certificate authority to trust for https')
    .option('--tls-cert <file>', 'PEM client certificate for https')
    .option('--tls-key <file>', 'PEM key of the client certificate')
    .option('--max-size <bytes>', 'refuse profiles larger than this, as read and as inflated (default: 1GiB fetched, 2GiB inflated or read)')
    .option('--symbolize <mode>', "accepted for pprof's scripts (-symbolize=none); proflens never symbolizes");
}

/** loadOptions turns source flags into the driver's load options. */
export function loadOptions(f: SourceFlags, io: CliIO): LoadOptions {
  const base = f.base ?? [];
  const diffBase = f.diffBase ?? [];
  if (base.length > 0 && diffBase.length > 0) throw new UsageError('--base and --diff-base cannot both be given');
  // As in pprof, a --seconds of 0 or less means none given.
  const seconds = Math.max(0, f.seconds === undefined ? 0 : parseGoInt('--seconds', f.seconds));
  const timeout = f.timeout === undefined ? 0 : timeoutOption('--timeout', f.timeout) / 1000;
  if (f.pprof === undefined && (f.group !== undefined || f.region !== undefined)) throw new UsageError(`--${f.group !== undefined ? 'group' : 'region'} chooses the waits of a trace's latency profile: give --pprof KIND too`);
  if (f.symbolize !== undefined && f.debug) io.stderr(`proflens: --symbolize=${f.symbolize} ignored: proflens never symbolizes; it shows the names the profile holds\n`);
  return {
    base: diffBase.length > 0 ? diffBase : base,
    diffBase: diffBase.length > 0,
    normalize: !!f.normalize,
    seconds,
    timeout,
    tls: { ...(f.tlsCa && { ca: f.tlsCa }), ...(f.tlsCert && { cert: f.tlsCert }), ...(f.tlsKey && { key: f.tlsKey }) },
    ...(f.maxSize !== undefined && { maxBytes: parseSize(f.maxSize) }),
    readStdin: io.readStdin ?? readProcessStdin,
    ...(f.pprof !== undefined && { parse: traceLatencyParse(f.pprof, { ...(f.group !== undefined && { group: f.group }), ...(f.region !== undefined && { region: f.region }) }) }),
    warn: (m) => io.stderr(`${m}\n`),
    ...(io.env && { env: io.env }),
  };
}

const traceProfileKinds = ['net', 'sync', 'syscall', 'sched', 'cpu'];

/**
 * traceLatencyParse is the parse step of --pprof KIND: each source is a Go execution trace, and
 * the profile is its KIND latency profile, as go tool trace -pprof=KIND builds it. The trace code
 * is loaded only then.
 */
function traceLatencyParse(kind: string, scope: { group?: string; region?: string }): NonNullable<LoadOptions['parse']> {
  if (!traceProfileKinds.includes(kind)) throw new UsageError(`--pprof: ${JSON.stringify(kind)} is not one of ${traceProfileKinds.join(', ')}`);
  return async (bytes, source) => (await import('../src/trace/latency-source.js')).latencyParser(kind as 'cpu', scope)(bytes, source);
}

/** parseSize reads a byte count such as 1048576, 64kb, 512MB or 1GiB. */
function parseSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(v.trim());
  if (!m) throw new UsageError(`--max-size: ${JSON.stringify(v)} is not a size such as 512MB`);
  const power = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  return Math.floor(Number(m[1]) * 1024 ** power);
}

export function addViewOptions(cmd: Command, withBase = true): Command {
  return addSourceOptions(cmd, withBase)
    .option('--pprof <kind>', 'the sources are Go execution traces: show their net, sync, syscall or sched latency profile (go tool trace -pprof=KIND), or cpu: the CPU samples they hold')
    .option('--group <pc|regex>', "with --pprof: the waits of one goroutine group (its start PC, go tool trace's /block?id=PC) or of the groups whose start function matches regex")
    .option('--region <type>', "with --pprof: the waits inside the regions of that type (go tool trace's /regionblock?type=TYPE)")
    .optionsGroup('Samples:')
    .option('--sample-index <type>', 'sample type to report, by name (alloc_space, cpu, …) or number')
    .option('--mean', 'report mean values (value / count)')
    .option('--inuse-space', 'same as --sample-index inuse_space')
    .option('--inuse-objects', 'same as --sample-index inuse_objects')
    .option('--alloc-space', 'same as --sample-index alloc_space')
    .option('--alloc-objects', 'same as --sample-index alloc_objects')
    .optionsGroup('Output:')
    .option('--cum', 'sort by cumulative value')
    .option('--flat', 'sort by flat value (default)')
    .option('--nodecount <n>', 'show at most n nodes (default: all for top)')
    .option('--nodefraction <f>', 'hide nodes below this fraction of the total', '0.005')
    .option('--edgefraction <f>', 'hide edges below this fraction of the total', '0.001')
    .option('--no-trim', 'ignore nodecount, nodefraction and edgefraction')
    .option('--drop-negative', 'leave out nodes with negative values')
    .option('--unit <unit>', 'print values in this unit: minimum, auto, or a unit such as MB, ms', 'minimum')
    .option('--divide-by <n>', 'divide every value by n')
    .option('--compact-labels', 'leave out the profile lines of the header')
    .option('--call-tree', 'keep a separate node per call path (graph views)')
    .addOption(new Option('--granularity <g>', 'aggregate by functions, filefunctions, files, lines or addresses').choices(granularities))
    .option('--functions', 'aggregate by function (default)')
    .option('--filefunctions', 'aggregate by function and file')
    .option('--files', 'aggregate by source file')
    .option('--lines', 'aggregate by source line')
    .option('--addresses', 'aggregate by instruction address')
    .option('--noinlines', 'attribute inlined functions to the function they were inlined into')
    .option('--trim-path <paths>', 'path prefixes to remove from source file names')
    .option('--source-path <paths>', 'roots to search for source files')
    .optionsGroup('Filters (regexes are Go RE2 syntax):')
    .option('--focus <regex>', 'keep only samples with a frame matching regex')
    .option('--ignore <regex>', 'drop samples with a frame matching regex')
    .option('--hide <regex>', 'remove frames matching regex from stacks')
    .option('--show <regex>', 'keep only frames matching regex in stacks')
    .option('--show-from <regex>', 'cut stacks above the outermost frame matching regex')
    .option('--prune-from <regex>', 'cut everything below frames matching regex')
    .option('--tagfocus <filter>', 'keep samples whose labels match (key=regex, regex over key:value, or a range such as 1mb:2gb)')
    .option('--tagignore <filter>', 'drop samples whose labels match')
    .option('--tagshow <regex>', 'keep only labels whose key matches')
    .option('--taghide <regex>', 'drop labels whose key matches')
    .option('--tagroot <keys>', 'label keys (comma-separated) whose values become frames at the root of every stack, the first key outermost')
    .option('--tagleaf <keys>', 'label keys (comma-separated) whose values become frames at the leaf of every stack, the last key innermost')
    .optionsGroup('Output:')
    .option('--relative-percentages', 'percentages of the filtered samples, not of the whole profile')
    .option('--add-comment <text>', 'add a comment to the profile')
    .option('--json', 'print the rows as JSON')
    .option('--output <file>', 'write the report to a file')
    .option('--debug', 'print stack traces on errors');
}

export function parseNumber(name: string, v: string | undefined, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name}: ${JSON.stringify(v)} is not a ${integer ? 'whole number' : 'number'}`);
  }
  return n;
}

/** configFromFlags turns parsed options into a Config. */
export function configFromFlags(f: ViewFlags & Record<string, unknown>): Config {
  const c = defaultConfig();
  const legacy = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects'].filter(
    (t) => f[t.replace(/_(.)/g, (_, x: string) => x.toUpperCase())],
  );
  if (legacy.length > 1 || (legacy.length === 1 && f.sampleIndex !== undefined)) {
    throw new UsageError('give only one sample type (--sample-index or one of --inuse-space, --alloc-space, …)');
  }
  c.sampleIndex = f.sampleIndex ?? legacy[0] ?? '';
  c.mean = !!f.mean;
  c.cum = !!f.cum;
  c.nodeCount = parseNumber('nodecount', f.nodecount, -1, true);
  c.nodeFraction = parseNumber('nodefraction', f.nodefraction, c.nodeFraction);
  c.edgeFraction = parseNumber('edgefraction', f.edgefraction, c.edgeFraction);
  c.trim = f.trim !== false;
  c.callTree = !!f.callTree;
  c.dropNegative = !!f.dropNegative;
  c.unit = f.unit ?? c.unit;
  c.divideBy = parseNumber('divide-by', f.divideBy, 1);
  c.compactLabels = !!f.compactLabels;
  const chosen = granularities.filter((g) => f[g]);
  if (f.granularity) chosen.push(f.granularity as Granularity);
  if (new Set(chosen).size > 1) throw new UsageError(`give only one granularity, not ${[...new Set(chosen)].join(' and ')}`);
  c.granularity = chosen[0] ?? 'functions';
  c.noInlines = !!f.noinlines;
  c.trimPath = f.trimPath ?? '';
  c.sourcePath = f.sourcePath ?? '';
  c.focus = f.focus ?? '';
  c.ignore = f.ignore ?? '';
  c.hide = f.hide ?? '';
  c.show = f.show ?? '';
  c.showFrom = f.showFrom ?? '';
  c.pruneFrom = f.pruneFrom ?? '';
  c.tagFocus = f.tagfocus ?? '';
  c.tagIgnore = f.tagignore ?? '';
  c.tagShow = f.tagshow ?? '';
  c.tagHide = f.taghide ?? '';
  c.tagRoot = f.tagroot ?? '';
  c.tagLeaf = f.tagleaf ?? '';
  c.relativePercentages = !!f.relativePercentages;
  c.addComment = f.addComment ?? '';
  return c;
}

/** withProgress runs a load with fetch progress shown on a terminal. */
export async function withProgress<T>(io: CliIO, load: (progress: ReturnType<typeof fetchProgress>) => Promise<T>, what: 'profile' | 'trace' = 'profile'): Promise<T> {
  const progress = fetchProgress(io, what);
  try {
    return await load(progress);
  } finally {
    progress.stop();
  }
}

/** emit prints a view's text (or bytes), or its rows as JSON with --json, to stdout or to the --output file. */
export async function emit(io: CliIO, flags: { json?: boolean; output?: string }, result: { data?: unknown; text?: string; bytes?: Uint8Array }): Promise<void> {
  let out: string | Uint8Array;
  if (result.bytes) out = result.bytes;
  else if (flags.json) out = JSON.stringify(result.data, (_, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v), 2) + '\n';
  else out = result.text ?? '';
  if (flags.output) {
    const write = io.writeFile ?? (await import('../src/fetch/write-file.js')).writeFileWhole;
    await write(flags.output, out);
  } else if (typeof out === 'string') {
    io.stdout(out);
  } else {
    (io.stdoutBytes ?? ((b: Uint8Array) => process.stdout.write(b)))(out);
  }
}
