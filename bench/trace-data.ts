// The trace benchmark's input: a Go execution trace of ~100 MB, written by the tracesvc fixture
// (fixtures/go/cmd/tracesvc, -trace FILE -trace-bytes N) under a heavier load than its HTTP mode,
// generated once into bench/data/ (git-ignored) and reused, since it takes a few minutes.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { dataDir, formatBytes } from './data.js';

/** BenchTrace is one trace input of the benchmark. */
export interface BenchTrace {
  readonly name: string;
  readonly file: string;
  /** The size the generator stops at (the tracer flushes whole batches, so a little more). */
  readonly bytes: number;
}

/** benchTrace is the ~100 MB trace the targets are stated for. */
export const benchTrace: BenchTrace = { name: 'trace-100M', file: join(dataDir, 'trace-100m.out'), bytes: 100_000_000 };

const fixturesGo = join(dataDir, '..', '..', 'fixtures', 'go');

/**
 * ensureTrace generates the trace unless it is already there (or regenerate is set). It needs
 * `go`; it throws when the build or the run fails. Written under a temporary name first, so an
 * interrupted run never leaves a short file that later runs would take for a finished one.
 */
export function ensureTrace(bt: BenchTrace, regenerate: boolean, log: (s: string) => void): { bytes: number; generatedMs?: number } {
  const shown = relative(process.cwd(), bt.file) || bt.file;
  if (!regenerate && existsSync(bt.file)) {
    const bytes = statSync(bt.file).size;
    log(`using ${shown}: ${formatBytes(bytes)} (--regenerate to rebuild)`);
    return { bytes };
  }
  mkdirSync(dataDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'proflens-trace-bench-'));
  const tmp = `${bt.file}.tmp-${process.pid}`;
  try {
    const t0 = performance.now();
    const bin = join(work, 'tracesvc');
    log(`generating ${shown}: building fixtures/go/cmd/tracesvc …`);
    run('go', ['build', '-o', bin, './cmd/tracesvc'], fixturesGo);
    log(`  tracing its load until the trace holds ${formatBytes(bt.bytes)} (a few minutes) …`);
    run(bin, ['-trace', tmp, '-trace-bytes', String(bt.bytes)], work);
    renameSync(tmp, bt.file);
    const bytes = statSync(bt.file).size;
    const generatedMs = performance.now() - t0;
    log(`  wrote ${formatBytes(bytes)} in ${(generatedMs / 1000).toFixed(0)} s`);
    return { bytes, generatedMs };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(tmp, { force: true });
  }
}

/** run runs a command to its end, throwing with its standard error when it fails. */
export function run(cmd: string, args: readonly string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`);
}

// `node dist/bench/trace-data.js` generates (or reports) the trace on its own.
if (process.argv[1]?.endsWith('trace-data.js')) {
  ensureTrace(benchTrace, process.argv.includes('--regenerate'), (s) => console.log(s));
}
