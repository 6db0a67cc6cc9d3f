// The goroutine-dump benchmark (issue 19.4): `proflens goroutines` on a debug=2 dump of 100,000
// goroutines (~150 MB), made once by fixtures/go/cmd/manygoroutines into bench/data/ (git-ignored),
// against the issue's targets (≤ 3 s, ≤ 1 GB); then `proflens top` on it (the whole file decoded
// as a profile), and `goroutines` on 1 GiB of text (the dump, a 1 GiB line, the dump again; a
// sparse file, made in a temporary folder), whose memory must not grow with the text.
//   node dist/bench/dumps.js [--regenerate]     (also: node dist/bench/run.js; --no-dumps skips it)

import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDir, formatBytes } from './data.js';
import { type Summary, detectRssMethod, measure } from './measure.js';
import { run } from './trace-data.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const goroutines = 100_000;
const dumpFile = join(dataDir, `goroutines-${goroutines / 1000}k.txt`);

const show = (s: Summary): string =>
  s.failed ? `failed (exit ${s.failed.exitCode}): ${s.failed.stderr.trim().split('\n')[0]}` : `${(s.wallMs / 1000).toFixed(2)} s, ${s.rssKb === undefined ? 'n/a' : `${(s.rssKb / 1024).toFixed(0)} MB`}`;

/** ensureDump makes the 100,000-goroutine dump unless it is there; it needs `go`. */
function ensureDump(regenerate: boolean, log: (s: string) => void): number {
  const shown = relative(process.cwd(), dumpFile) || dumpFile;
  if (!regenerate && existsSync(dumpFile)) {
    const bytes = statSync(dumpFile).size;
    log(`using ${shown}: ${formatBytes(bytes)} (--regenerate to rebuild)`);
    return bytes;
  }
  mkdirSync(dataDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'proflens-dump-bench-'));
  const tmp = `${dumpFile}.tmp-${process.pid}`;
  try {
    log(`generating ${shown}: ${goroutines} goroutines parked by fixtures/go/cmd/manygoroutines (about a minute) …`);
    run('go', ['build', '-trimpath', '-o', join(work, 'manygoroutines'), './cmd/manygoroutines'], join(repoRoot, 'fixtures', 'go'));
    run(join(work, 'manygoroutines'), ['-n', String(goroutines), '-out', tmp], work);
    renameSync(tmp, dumpFile);
    return statSync(dumpFile).size;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(tmp, { force: true });
  }
}

/** runDumpBench times `proflens goroutines` and `top` on the dump, and `goroutines` on 1 GiB of text. */
export async function runDumpBench(regenerate = false): Promise<void> {
  const method = detectRssMethod();
  const cli = join(repoRoot, 'dist', 'bin', 'proflens.js');
  const node = process.execPath;
  console.log(`\ngoroutine dumps: ${goroutines} goroutines, debug=2; medians of 3 runs; peak RSS via ${method}`);
  const bytes = ensureDump(regenerate, (s) => console.log(`  ${s}`));
  const g = await measure([node, cli, 'goroutines', dumpFile], 3, 1, method);
  const met = !g.failed && g.wallMs <= 3000 && (g.rssKb === undefined || g.rssKb <= 1 << 20);
  console.log(`  proflens goroutines (${formatBytes(bytes)})   ${show(g)}   target ≤ 3 s, ≤ 1 GB: ${g.failed ? 'FAIL' : met ? 'PASS' : 'MISS'}`);
  const top = await measure([node, cli, 'top', dumpFile], 3, 0, method);
  console.log(`  proflens top                     ${show(top)}`);
  const work = mkdtempSync(join(tmpdir(), 'proflens-dump-bench-'));
  try {
    const huge = join(work, 'huge.txt');
    const dump = readFileSync(dumpFile);
    const fd = openSync(huge, 'w');
    // The dump, a blank line, one line of 1 GiB of zero bytes (not written: a hole), the dump again.
    writeSync(fd, dump);
    writeSync(fd, '\n');
    const hole = dump.length + 1 + 2 ** 30;
    writeSync(fd, '\n', hole);
    writeSync(fd, dump, 0, dump.length, hole + 1);
    closeSync(fd);
    const h = await measure([node, cli, 'goroutines', huge], 1, 0, method);
    console.log(`  proflens goroutines (${formatBytes(statSync(huge).size)}) ${show(h)}   memory bounded: ${h.failed ? 'FAIL' : h.rssKb === undefined ? 'n/a' : h.rssKb <= 1 << 20 ? 'PASS' : 'MISS'}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('dumps.js')) await runDumpBench(process.argv.includes('--regenerate'));
