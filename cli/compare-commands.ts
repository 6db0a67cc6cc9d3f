// The commands of the leak hunt: `fetch` (collect and save, once or as a series), `diff` (base vs
// new, node by node) and `trend` (the nodes that grow across a series of snapshots).

import type { Command } from 'commander';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../src/profile/errors.js';
import { durationOption } from './flag-values.js';
import { type CliIO, type SourceFlags, type ViewFlags, addSourceOptions, addViewOptions, configFromFlags, emit, loadOptions, parseNumber, withProgress } from './options.js';

/** The names of the commands defined here. */
export const compareCommandNames = ['fetch', 'diff', 'trend'] as const;

type Run = (action: () => Promise<void>, debug: boolean) => void;

/** registerCompareCommands adds fetch, diff and trend to the program. */
export function registerCompareCommands(program: Command, io: CliIO, run: Run): void {
  addSourceOptions(
    program
      .command('fetch')
      .description('collect profiles (or Go execution traces) over HTTP and save them (in $PPROF_TMPDIR, else ~/pprof); print where')
      .argument('<url...>', 'profile URLs, e.g. localhost:6060/debug/pprof/heap or …/debug/pprof/trace?seconds=5')
      .option('--every <duration>', 'collect again at this interval (Go syntax: 30s, 5m, 1h)')
      .option('--count <n>', 'how many rounds to collect (default: 1, or until interrupted with --every)')
      .option('--dir <folder>', 'save into this folder instead')
      .option('--debug', 'print stack traces on errors'),
    false,
  ).action((urls: string[], flags: FetchFlags) => run(() => runFetch(io, urls, flags), !!flags.debug));

  addViewOptions(
    program
      .command('diff')
      .description('each function in a base profile and a new one: base, new, delta, delta% — growth first')
      .argument('<base>', 'the earlier profile (file or URL)')
      .argument('<new>', 'the later profile (file or URL)')
      .option('--fail-on <rules>', "exit 3 when a node grew past a rule: 'flat>+10%', 'main\\.handler:cum>+5ms', 'flat>+10%&flat>+1MB' (comma-separated or repeated; see the README)", (v: string, prev: string[]) => [...prev, v], []),
    false,
  ).action((base: string, next: string, flags: ViewFlags & SourceFlags & Record<string, unknown>) => run(() => runDiff(io, base, next, flags), !!flags.debug));

  addViewOptions(
    program
      .command('trend')
      .description('the functions and stacks whose value grows in every snapshot of a series, most suspicious first')
      .argument('<snapshot...>', 'profiles (files, folders of them, or URLs), in any order: they are sorted by time')
      .option('--stacks <n>', 'growing stacks to show (0: all)', '5'),
    false,
  ).action((sources: string[], flags: ViewFlags & SourceFlags & { stacks?: string } & Record<string, unknown>) =>
    run(() => runTrend(io, sources, flags), !!flags.debug),
  );
}

interface FetchFlags extends SourceFlags {
  every?: string;
  count?: string;
  dir?: string;
  debug?: boolean;
}

/** runFetch collects each URL (every interval, count times) and prints each saved path. */
async function runFetch(io: CliIO, urls: string[], flags: FetchFlags): Promise<void> {
  const { isUrlSource, collect } = await import('../src/fetch/grab.js');
  for (const u of urls) if (!(await isUrlSource(u))) throw new UsageError(`fetch: ${u} is not a URL (an existing file, or no host:port)`);
  const every = flags.every === undefined ? undefined : durationOption('--every', flags.every);
  const count = parseNumber('count', flags.count, every === undefined ? 1 : Infinity, flags.count !== undefined);
  if (count < 1) throw new UsageError('--count must be at least 1');
  const load = loadOptions(flags, io);
  const env = flags.dir ? { ...(io.env ?? process.env), PPROF_TMPDIR: flags.dir } : io.env;

  // Ctrl-C during a series ends it cleanly: requests in flight are cancelled, nothing half-saved.
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  process.once('SIGINT', onInterrupt);
  let failures = 0;
  try {
    for (let round = 0; round < count && !stop.signal.aborted; round++) {
      const started = Date.now();
      await withProgress(io, async (progress) => {
        const results = await Promise.allSettled(
          urls.map((u) => collect(u, { ...load, ...progress, env, signal: stop.signal })),
        );
        for (const r of results) {
          if (r.status === 'fulfilled') {
            io.stdout(`${r.value.saved}\n`);
            if (r.value.kind === 'trace') io.stderr(`(a Go execution trace: open it with go tool trace ${r.value.saved})\n`);
          } else if (!stop.signal.aborted) {
            failures++;
            io.stderr(`proflens: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}\n`);
          }
        }
      });
      if (round + 1 < count && every !== undefined) await sleep(Math.max(0, started + every - Date.now()), stop.signal);
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  if (failures > 0) throw new FetchFailed(failures);
}

/** FetchFailed ends a fetch run whose failures were already reported line by line. */
export class FetchFailed extends Error {
  constructor(readonly failures: number) {
    super(`${failures} fetch${failures === 1 ? '' : 'es'} failed`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

async function runDiff(io: CliIO, base: string, next: string, flags: ViewFlags & SourceFlags & { failOn?: string[] } & Record<string, unknown>): Promise<void> {
  const cfg = configFromFlags(flags);
  // A bad rule is a usage error before anything is loaded.
  const rules = flags.failOn?.length ? (await import('../src/report/gate-rules.js')).parseGateRules(flags.failOn) : undefined;
  // The driver is imported when a comparison runs: main loads this module for every command.
  const { loadProfile, parallelParsing } = await import('../src/driver/driver.js');
  const load = await parallelParsing(loadOptions(flags, io));
  const [b, n] = await withProgress(io, (progress) => Promise.all([loadProfile([base], { ...load, ...progress }), loadProfile([next], { ...load, ...progress })]));
  const ctx = { warn: (m: string) => io.stderr(`${m}\n`) };
  if (!rules) {
    const { diffProfiles } = await import('../src/driver/compare.js');
    await emit(io, flags, await diffProfiles(b, n, cfg, ctx));
    return;
  }
  const { gateProfiles } = await import('../src/driver/compare.js');
  const gate = await gateProfiles(b, n, cfg, rules, ctx);
  await emit(io, flags, gate);
  if (!gate.data.passed) throw new GateFailed(new Set(gate.data.offenders.map((o) => o.name)).size, gate.data.rules);
}

/** GateFailed ends a `diff --fail-on` run whose offenders were printed: exit code 3. */
export class GateFailed extends Error {
  constructor(
    readonly nodes: number,
    rules: readonly string[],
  ) {
    super(`${nodes} node${nodes === 1 ? '' : 's'} grew past --fail-on ${rules.join(',')}`);
  }
}

async function runTrend(io: CliIO, sources: string[], flags: ViewFlags & SourceFlags & { stacks?: string } & Record<string, unknown>): Promise<void> {
  const cfg = configFromFlags(flags);
  // The driver is imported when a comparison runs: main loads this module for every command.
  const { loadProfile, parallelParsing } = await import('../src/driver/driver.js');
  const load = await parallelParsing(loadOptions(flags, io));
  const stacks = parseNumber('stacks', flags.stacks, 5, true);
  const expanded = (await Promise.all(sources.map((s) => expandFolder(s, seriesFiles)))).flat();
  const loaded = await withProgress(io, (progress) => Promise.all(expanded.map((s) => loadProfile([s], { ...load, ...progress }))));
  // A text dump (goroutine.NNN.txt, as fetch --every saves them) carries no time of its own: its
  // file's is when it was taken, which orders the series and gives the growth per hour.
  const profiles = await Promise.all(
    loaded.map(async (p, i) => {
      if (p.timeNanos !== 0 || !expanded[i]!.endsWith('.txt')) return p;
      const mtimeMs = (await stat(expanded[i]!).catch(() => undefined))?.mtimeMs;
      return mtimeMs === undefined ? p : { ...p, timeNanos: Math.round(mtimeMs * 1e6) };
    }),
  );
  const { trendProfiles } = await import('../src/driver/compare.js');
  await emit(io, flags, await trendProfiles(profiles, cfg, { warn: (m) => io.stderr(`${m}\n`) }, stacks));
}

/** What expandFolder takes from a folder by default: profiles. */
const profileFiles = { pattern: /\.(pb\.gz|pb|pprof|prof)$/, what: 'profiles (*.pb.gz, *.pb, *.pprof)' };
/** What trend takes from a folder: profiles, and the text dumps fetch saves (goroutine.NNN.txt, heap.NNN.txt). */
const seriesFiles = { pattern: /\.(pb\.gz|pb|pprof|prof|txt)$/, what: 'profiles or dumps (*.pb.gz, *.pb, *.pprof, *.txt)' };

/**
 * expandFolder lists the files of a folder (a fetched series) that `files` matches — profiles
 * unless told otherwise — or returns the source itself when it is no folder.
 */
export async function expandFolder(source: string, files: { pattern: RegExp; what: string } = profileFiles): Promise<string[]> {
  const info = await stat(source).catch(() => undefined);
  if (!info?.isDirectory()) return [source];
  const names = (await readdir(source)).filter((n) => !n.startsWith('.') && files.pattern.test(n)).sort();
  if (names.length === 0) throw new UsageError(`${source}: no ${files.what} in this folder`);
  return names.map((n) => join(source, n));
}
