// `proflens goroutines DUMP…`: goroutine dumps (debug=2 text, crash output) grouped into buckets of
// goroutines with the same stack and state, largest first; with a base (`--base OLD`, or two
// dumps), the buckets that grew and those that are new (issue 19.3). This file wires the command:
// reading is src/dump's and src/fetch's.

import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { expandFolder } from './compare-commands.js';
import type { GoroutineDump } from '../src/dump/goroutine-text.js';
import { ProfileError, UsageError } from '../src/profile/errors.js';
import type { CliIO, SourceFlags } from './options.js';
import { loadOptions, parseNumber, withProgress } from './options.js';
import { escapeForTerminal } from './terminal-text.js';

/** What a folder of dumps holds: what fetch saves (goroutine.NNN.txt) and any other text. */
const dumpFiles = { pattern: /\.txt$/, what: 'goroutine dumps (*.txt)' };

/** GoroutinesFlags are the options of `proflens goroutines`, as commander parses them. */
interface GoroutinesFlags {
  base?: string;
  exactArgs?: boolean;
  depth?: string;
  json?: boolean;
  timeout?: string;
  debug?: boolean;
}

type Run = (action: () => Promise<void>, debug: boolean) => void;

/** registerGoroutinesCommand adds `goroutines` to the program. */
export function registerGoroutinesCommand(program: Command, io: CliIO, run: Run): void {
  program
    .command('goroutines')
    .description('goroutine dumps (debug=2, panics, SIGQUIT) grouped by stack and state; with a base, what grew')
    .argument('<dump...>', 'dump files, - for standard input, or services (host:port fetches /debug/pprof/goroutine?debug=2); two dumps compare the first (older) with the second; three or more (or a folder of them) are a series: the buckets that grow at every step')
    .option('--base <old>', 'the older dump: show the buckets that grew since, and the new ones')
    .option('--exact-args', 'keep goroutines whose frames differ only in arguments apart (by default arguments are ignored)')
    .option('--depth <n>', 'compare only the top n frames of each stack (nearest the leaf): stacks that differ only deeper fall in one bucket')
    .option('--json', 'print the buckets (or the growth) as JSON')
    .option('--timeout <duration>', 'how long to wait for a service')
    .option('--debug', 'print stack traces on errors')
    .action((dumps: string[], flags: GoroutinesFlags) => run(() => runGoroutines(io, dumps, flags), !!flags.debug));
}

async function runGoroutines(io: CliIO, dumps: string[], flags: GoroutinesFlags): Promise<void> {
  const given = flags.base === undefined ? dumps : [flags.base, ...dumps];
  // A folder (one `fetch --every` filled) stands for the dumps in it, in name order.
  const sources = (await Promise.all(given.map((s) => expandFolder(s, dumpFiles)))).flat();
  if (sources.length > 2 && flags.base !== undefined) throw new UsageError(`goroutines: --base compares two dumps; for a series give the dumps alone: ${sources.join(' ')}`);
  const [{ grabDump }, text, { readGoroutineDumpFile: streamFile }, { bucketize, compareBuckets, seriesGrowth, splitCrash }, render] = await Promise.all([
    import('../src/fetch/grab-dump.js'),
    import('../src/dump/goroutine-text.js'),
    import('../src/dump/read-dump-file.js'),
    import('../src/dump/buckets.js'),
    import('../src/dump/render-buckets.js'),
  ]);
  const grouping = { exactArgs: !!flags.exactArgs, ...(flags.depth !== undefined && { depth: parseNumber('depth', flags.depth, 0, true) }) };
  if (grouping.depth !== undefined && grouping.depth < 1) throw new UsageError(`--depth must be at least 1, got ${flags.depth}`);
  const options = loadOptions({ timeout: flags.timeout } as SourceFlags, io);
  const notDump = (display: string): ProfileError => new ProfileError(`${display}: not a goroutine dump (no "goroutine N [state]:" line in its first 64 KiB)`);
  const readOptions = { keepArgs: grouping.exactArgs };
  const read = async (source: string) => {
    // A file is read as a stream, however large; standard input and services as what came.
    const st = source === '-' ? undefined : await stat(source).catch(() => undefined);
    let display = source;
    let file: string | undefined = st?.isFile() ? source : undefined;
    let dump: GoroutineDump | undefined;
    if (file !== undefined) {
      dump = streamFile(file, readOptions);
      if (!dump) throw notDump(source);
    } else {
      const got = await withProgress(io, (progress) => grabDump(source, { ...options, onFetch: progress.onFetch, onFetched: progress.onFetched }));
      if (got.saved) io.stderr(`Saved goroutine dump in ${got.saved}\n`);
      display = got.display;
      file = got.saved;
      if (!text.isGoroutineDump(got.bytes)) throw notDump(got.display);
      dump = text.readGoroutineDump(got.bytes, readOptions);
    }
    // Nothing read: one error, which says where reading stopped.
    if (dump.goroutines.length === 0) throw new ProfileError(`${display}: no goroutine could be read${dump.warning ? ` (${dump.warning})` : ''}`);
    if (dump.warning) io.stderr(`${display}: ${dump.warning}\n`);
    // A dump carries no time of its own: a file's is when it was written (a fetched one: saved).
    const timeMs = file === undefined ? Date.now() : (st ?? (await stat(file).catch(() => undefined)))?.mtimeMs;
    return { ...dump, timeMs };
  };
  const read1 = await Promise.all(sources.map(read));
  const tty = io.stdoutIsTTY ?? process.stdout.isTTY === true;
  const env = io.env ?? process.env;
  // On a terminal the text is escaped here, where the colour codes are added, and written as bytes
  // so the writer does not escape the colours too; elsewhere it goes byte for byte, uncoloured.
  const o = { color: tty && env.NO_COLOR === undefined, escape: tty ? escapeForTerminal : (s: string) => s };
  const write = (s: string): void => {
    if (tty) (io.stdoutBytes ?? ((b: Uint8Array) => process.stdout.write(b)))(Buffer.from(s));
    else io.stdout(s);
  };
  if (read1.length > 2) {
    // Oldest first by time (a stable sort keeps the given order where times are equal or unknown).
    const series = [...read1].sort((a, b) => (a.timeMs ?? 0) - (b.timeMs ?? 0));
    const growth = seriesGrowth(series.map((d) => bucketize(d.goroutines, grouping)), series.map((d) => d.timeMs));
    if (flags.json) io.stdout(JSON.stringify({ dumps: series.length, grew: growth.map((g) => ({ ...g.bucket, counts: g.counts, growth: g.growth, perHour: g.perHour })) }, null, 2) + '\n');
    else write(render.renderSeries(growth, series.length, o));
    return;
  }
  if (read1.length === 2) {
    const growth = compareBuckets(bucketize(read1[0]!.goroutines, grouping), bucketize(read1[1]!.goroutines, grouping));
    if (flags.json) io.stdout(JSON.stringify({ grew: growth.map((g) => ({ ...g.bucket, before: g.before, new: g.isNew })) }, null, 2) + '\n');
    else write(render.renderGrowth(growth, o));
    return;
  }
  const dump = read1[0]!;
  const { panicking, rest } = splitCrash(dump);
  const buckets = bucketize(rest, grouping);
  if (flags.json) {
    io.stdout(JSON.stringify({ ...(dump.crash === undefined ? {} : { crash: dump.crash, panicking }), buckets }, null, 2) + '\n');
    return;
  }
  write(render.renderBuckets(buckets, o, dump.crash === undefined ? undefined : { message: dump.crash, ...(panicking ? { goroutine: panicking } : {}) }));
}
