// `proflens heap SNAPSHOT`: a V8 heap snapshot summarised by constructor (DevTools' Summary), and
// with `--base OLD` the objects new and deleted since the older snapshot (DevTools' Comparison)
// with the retainer path of the largest new objects (issue 20). This file wires the command:
// reading and analysis are src/v8's.

import type { Command } from 'commander';
import { UsageError } from '../src/profile/errors.js';
import type { CliIO } from './options.js';
import { parseNumber } from './options.js';

/** HeapFlags are the options of `proflens heap`, as commander parses them. */
interface HeapFlags {
  base?: string;
  nodecount?: string;
  paths?: string;
  json?: boolean;
  debug?: boolean;
}

type Run = (action: () => Promise<void>, debug: boolean) => void;

/** registerHeapCommand adds `heap` to the program. */
export function registerHeapCommand(program: Command, io: CliIO, run: Run): void {
  program
    .command('heap')
    .description('a V8 heap snapshot (.heapsnapshot) by constructor: count, shallow and retained size; with --base, what is new since an older one')
    .argument('<snapshot...>', 'the snapshot; two snapshots compare the first (older) with the second')
    .option('--base <old>', 'the older snapshot of the same process: show the objects new and deleted since, by constructor')
    .option('--nodecount <n>', 'show at most n constructors (default: all)')
    .option('--paths <n>', 'with a base: the retainer paths of the largest new object of the n constructors that grew most (default 5)')
    .option('--json', 'print the rows (and paths) as JSON')
    .option('--debug', 'print stack traces on errors')
    .action((snapshots: string[], flags: HeapFlags) => run(() => runHeap(io, snapshots, flags), !!flags.debug));
}

async function runHeap(io: CliIO, snapshots: string[], flags: HeapFlags): Promise<void> {
  const files = flags.base === undefined ? snapshots : [flags.base, ...snapshots];
  if (files.length > 2) throw new UsageError(`heap: one snapshot, or two to compare (the older first, or with --base), not ${files.length}`);
  if (files.includes('-')) throw new UsageError('heap: give the snapshot as a file (a snapshot is read from a file in chunks, not from standard input)');
  const nodecount = parseNumber('nodecount', flags.nodecount, -1, true);
  const paths = parseNumber('paths', flags.paths, 5, true);
  if (paths < 0) throw new UsageError(`--paths must be 0 or more, got ${flags.paths}`);
  const [{ readHeapSnapshot }, { analyseSnapshot, summarize }, render] = await Promise.all([
    import('../src/v8/heapsnapshot-read.js'),
    import('../src/v8/heapsnapshot-summary.js'),
    import('../src/v8/heapsnapshot-render.js'),
  ]);
  // One at a time: the raw arrays of one are garbage before the next is read.
  const analysed = files.map((f) => analyseSnapshot(readHeapSnapshot(f)));
  const limit = (n: number) => (nodecount < 0 ? n : Math.min(nodecount, n));
  if (analysed.length === 2) {
    const { compareSnapshots } = await import('../src/v8/heapsnapshot-compare.js');
    const c = compareSnapshots(analysed[0]!, analysed[1]!, { paths });
    const shown = limit(c.rows.length);
    if (flags.json) io.stdout(JSON.stringify({ base: files[0], file: files[1], rows: c.rows.slice(0, shown), newObjects: c.newObjects }, null, 2) + '\n');
    else io.stdout(render.renderComparison(files[0]!, files[1]!, c, shown));
    return;
  }
  const s = summarize(analysed[0]!);
  const shown = limit(s.rows.length);
  if (flags.json) io.stdout(JSON.stringify({ file: files[0], nodeCount: s.nodeCount, totalSize: s.totalSize, rows: s.rows.slice(0, shown) }, null, 2) + '\n');
  else io.stdout(render.renderSummary(files[0]!, s, shown));
}
