// Damaged goroutine dumps (issue 19.3): a dump cut anywhere, or with its lines or goroutines
// shuffled, is read as far as it goes with at most one warning naming the line where reading
// stopped; lines of 10 MB and 1 GB of text take bounded memory; a file that is no dump is one
// clear error. Ground truth: fixtures/dumps/goroutine-debug2.txt (15 goroutines).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const dumps = join(repoRoot, 'fixtures', 'dumps');
const debug2 = readFileSync(join(dumps, 'goroutine-debug2.txt'), 'utf8');
const goroutines = (text: string): number => text.split('\n').filter((l) => /^goroutine \d+ \[/.test(l)).length;

/** A generator of the same pseudo-random numbers on every run. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

test('a dump cut at any byte: its goroutines up to the cut, one warning at most, naming a line at the cut', async () => {
  const dir = scratchDir('dump-cut');
  const bytes = Buffer.from(debug2);
  const random = seeded(19);
  for (let k = 0; k < 12; k++) {
    const at = 40 + Math.floor(random() * (bytes.length - 40));
    const file = join(dir, `cut-${at}.txt`);
    writeFileSync(file, bytes.subarray(0, at));
    const r = await runCli(['goroutines', '--json', file]);
    assert.equal(r.code, 0, `${at}: ${r.stderr}`);
    const read = (JSON.parse(r.stdout) as { buckets: { count: number }[] }).buckets.reduce((n, b) => n + b.count, 0);
    const text = bytes.subarray(0, at).toString('utf8');
    // Every goroutine begun before the cut is read, but the last one when the cut left it no frame.
    assert.ok(read === goroutines(text) || read === goroutines(text) - 1, `${at}: ${read} of ${goroutines(text)}`);
    const lines = text.split('\n').length;
    if (r.stderr !== '') {
      const m = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: reading stopped at line (\\d+): (the dump ends inside a frame|not a frame of goroutine \\d+)\\n$`).exec(r.stderr);
      assert.ok(m, r.stderr);
      assert.ok(Number(m[1]) >= lines - 2 && Number(m[1]) <= lines, `${at}: line ${m[1]} of ${lines}`);
    }
  }
});

test('goroutines in another order are the same goroutines; lines shuffled are one warning or one error', async () => {
  const blocks = debug2.trimEnd().split('\n\n');
  const random = seeded(7);
  const shuffled = [...blocks].sort(() => random() - 0.5);
  const a = await runCli(['goroutines', '--json', '-'], Buffer.from(`${blocks.join('\n\n')}\n`));
  const b = await runCli(['goroutines', '--json', '-'], Buffer.from(`${shuffled.join('\n\n')}\n`));
  assert.equal(b.stderr, '');
  const counts = (s: string): number[] => (JSON.parse(s) as { buckets: { count: number }[] }).buckets.map((x) => x.count).sort();
  assert.deepEqual(counts(b.stdout), counts(a.stdout));
  for (const seed of [1, 2, 3, 4, 5]) {
    const r = seeded(seed);
    const lines = debug2.split('\n').sort(() => r() - 0.5);
    const got = await runCli(['goroutines', '-'], Buffer.from(lines.join('\n')));
    assert.equal(got.stderr.trim().split('\n').length, 1, got.stderr);
    assert.match(got.stderr, /^(-: reading stopped at line \d+: .*|proflens: -: (no goroutine could be read.*|not a goroutine dump .*))\n$/);
    assert.doesNotMatch(got.stderr, /at .*\.js:\d+/);
  }
});

test('lines of 10 MB: before the dump, no dump; between goroutines, skipped; in a goroutine, reading stops there', async () => {
  const big = 'x'.repeat(10 << 20);
  // Where a dump starts is looked for in the first 64 KiB only, so that any file is judged quickly.
  const before = await runCli(['goroutines', '-'], Buffer.from(`${big}\n${debug2}`));
  assert.equal(before.stderr, 'proflens: -: not a goroutine dump (no "goroutine N [state]:" line in its first 64 KiB)\n');
  const blocks = debug2.split('\n\n');
  const between = await runCli(['goroutines', '--json', '-'], Buffer.from([blocks[0], big, ...blocks.slice(1)].join('\n\n')));
  assert.equal(between.code, 0, between.stderr);
  assert.equal(between.stderr, '');
  assert.equal((JSON.parse(between.stdout) as { buckets: { count: number }[] }).buckets.reduce((n, b) => n + b.count, 0), 15);
  const [first, ...rest] = debug2.split('\n');
  const inside = await runCli(['goroutines', '-'], Buffer.from([first, rest[0], rest[1], big, ...rest.slice(2)].join('\n')));
  assert.equal(inside.code, 0, inside.stderr);
  assert.equal(inside.stderr, '-: reading stopped at line 4: a line of more than 1048576 bytes in goroutine 1\n');
});

test('a file that is no dump is one clear error', async () => {
  const dir = scratchDir('dump-none');
  const prose = join(dir, 'notes.txt');
  writeFileSync(prose, 'goroutines leak when the handler returns early\n'.repeat(1000));
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '');
  for (const f of [prose, empty, join(dumps, 'goroutine.pb.gz'), join(dumps, 'heap-debug1.txt')]) {
    const r = await runCli(['goroutines', f]);
    assert.equal(r.code, 1, f);
    assert.equal(r.stderr, `proflens: ${f}: not a goroutine dump (no "goroutine N [state]:" line in its first 64 KiB)\n`);
  }
});

test('128 MB of text after a dump: read through with memory that does not grow with it', () => {
  const dir = scratchDir('dump-huge');
  const file = join(dir, 'huge.txt');
  // The dump, then 128 MiB that are one line of zero bytes (a sparse file: no disk taken), then the
  // dump again. `npm run bench` reads 1 GiB the same way.
  const fd = openSync(file, 'w');
  writeSync(fd, `${debug2}\n`);
  const hole = debug2.length + 1 + 2 ** 27;
  writeSync(fd, '\n', hole);
  writeSync(fd, debug2, hole + 1);
  closeSync(fd);
  const script = `
    const { readGoroutineDumpFile } = await import(${JSON.stringify(join(repoRoot, 'dist', 'src', 'dump', 'read-dump-file.js'))});
    const d = readGoroutineDumpFile(process.argv[1]);
    console.log(JSON.stringify({ goroutines: d.goroutines.length, warning: d.warning ?? null, maxRssMB: process.resourceUsage().maxRSS / 1024 }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8' })) as { goroutines: number; warning: string | null; maxRssMB: number };
  assert.equal(out.warning, null);
  assert.equal(out.goroutines, 30);
  assert.ok(out.maxRssMB < 120, `${out.maxRssMB} MB`);
});
