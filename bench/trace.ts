// The trace benchmark: proflens's trace analyses against go tool trace on the same ~100 MB trace
// (bench/trace-data.ts generates it once), as whole processes, with the issue's targets:
// `proflens trace goroutines` and `proflens trace --pprof sync` at least 5× faster than
// `go tool trace -pprof=sync` (its parse is the same work) with at most a quarter of its memory,
// and the summary of the 2.8 MB staticcheck.trace (../shared/peer-trace) in 0.5 s.
//   node dist/bench/trace.js [--regenerate]     (also: node dist/bench/run.js --trace)

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Summary, detectRssMethod, measure } from './measure.js';
import { benchTrace, ensureTrace } from './trace-data.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const staticcheck = join(repoRoot, '..', 'shared', 'peer-trace', 'traces', 'go1.19', 'staticcheck.trace');

const show = (s: Summary): string =>
  s.failed ? `failed (exit ${s.failed.exitCode}): ${s.failed.stderr.trim().split('\n')[0]}` : `${(s.wallMs / 1000).toFixed(2)} s, ${s.rssKb === undefined ? 'n/a' : `${(s.rssKb / 1024).toFixed(0)} MB`}`;

/** runTraceBench times the trace analyses and go tool trace, and prints them with the targets. */
export async function runTraceBench(regenerate = false): Promise<void> {
  const method = detectRssMethod();
  const cli = join(repoRoot, 'dist', 'bin', 'proflens.js');
  const node = process.execPath;
  const { bytes } = ensureTrace(benchTrace, regenerate, (s) => console.log(s));
  const out = mkdtempSync(join(tmpdir(), 'proflens-trace-bench-'));
  try {
    console.log(`\ntraces: ${benchTrace.name} (${(bytes / 1e6).toFixed(0)} MB), one run each; peak RSS via ${method}`);
    const goroutines = await measure([node, cli, 'trace', 'goroutines', benchTrace.file], 1, 0, method);
    console.log(`  proflens trace goroutines          ${show(goroutines)}`);
    const pprof = await measure([node, cli, 'trace', '--pprof', 'sync', '--output', join(out, 'sync.pb.gz'), benchTrace.file], 1, 0, method);
    console.log(`  proflens trace --pprof sync        ${show(pprof)}`);
    if (process.platform === 'linux') {
      // Most of the reader's time is memory first touched, a fault per 4 KB page where the system
      // gives transparent huge pages only on request (madvise); proflens restarts itself with
      // glibc's tunable that requests them (cli/huge-pages.ts). What that buys, side by side.
      const once = await measure(['env', 'GLIBC_TUNABLES=', node, cli, 'trace', 'goroutines', benchTrace.file], 1, 0, method);
      console.log(`  same goroutines, one process, no huge pages  ${show(once)}`);
    }
    const go = await measure(['sh', '-c', `go tool trace -pprof=sync "$0" > "$1"`, benchTrace.file, join(out, 'go-sync.pb')], 1, 0, method);
    console.log(`  go tool trace -pprof=sync          ${show(go)}`);
    if (!go.failed) {
      for (const [name, s] of [['goroutines', goroutines], ['--pprof sync', pprof]] as const) {
        if (s.failed) continue;
        const speed = go.wallMs / s.wallMs;
        const mem = s.rssKb !== undefined && go.rssKb !== undefined ? s.rssKb / go.rssKb : undefined;
        console.log(`  ${name}: ${speed.toFixed(1)}× faster (target ≥ 5×), ${mem === undefined ? 'memory n/a' : `${(mem * 100).toFixed(0)}% of its memory (target ≤ 25%)`}`);
      }
    }
    if (existsSync(staticcheck)) {
      const summary = await measure([node, cli, 'trace', 'summary', staticcheck], 3, 1, method);
      console.log(`  proflens trace summary staticcheck.trace (2.8 MB): ${show(summary)} (target ≤ 0.5 s)`);
    } else console.log(`  summary of staticcheck.trace: skipped, ${staticcheck} is absent`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('trace.js')) await runTraceBench(process.argv.includes('--regenerate'));
