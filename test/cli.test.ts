// The command line: exit codes, one-line errors, options, and one spawned run of the real binary.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot, runCli } from './helpers.js';

const tmpDirs: string[] = [];
after(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
/** tempDir makes a folder that is removed when the tests end. */
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'proflens-'));
  tmpDirs.push(d);
  return d;
}

// The project's own fixtures; expected numbers are go tool pprof's for them (fixtures/expected).
const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

test('top prints the header and rows', async () => {
  const r = await runCli(['top', heap]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  assert.ok(lines.includes('Type: inuse_space'), r.stdout);
  assert.ok(lines.some((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$/.test(l)));
  assert.ok(lines.includes('   21.02MB 36.73% 78.66%    21.23MB 37.10%  main.fillCache'), r.stdout);
});

test('native and Go spellings print the same report', async () => {
  const native = await runCli(['top', '--nodecount', '3', '--sample-index', 'inuse_objects', '--cum', heap]);
  const go = await runCli(['-top', '-nodecount=3', '-inuse_objects', '-cum', heap]);
  assert.equal(native.code, 0);
  assert.equal(native.stdout, go.stdout);
  assert.match(native.stdout, /Showing top 3 nodes out of \d+/);
  assert.match(native.stdout, /Type: inuse_objects/);
});

test('a profile can come from standard input', async () => {
  const r = await runCli(['top', '-'], readFileSync(cpu));
  assert.equal(r.code, 0);
  assert.equal(r.stdout, (await runCli(['top', cpu])).stdout);
});

test('--json prints the rows as data', async () => {
  const r = await runCli(['top', '--json', cpu]);
  const data = JSON.parse(r.stdout) as { rows: { name: string; flat: number; cum: number }[]; total: number };
  // go tool pprof -top: 770ms main.mix (inline) first, of 1500ms; values in nanoseconds.
  assert.equal(data.rows[0]!.name, 'main.mix');
  assert.equal(data.rows[0]!.flat, 770e6);
  assert.equal(data.total, 1500e6);
});

test('--output writes the report to a file, whole', async () => {
  const dir = tempDir();
  const out = join(dir, 'top.txt');
  const r = await runCli(['top', '--output', out, cpu]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(readFileSync(out, 'utf8'), (await runCli(['top', cpu])).stdout);
  assert.deepEqual(readdirSync(dir), ['top.txt']);
});

test('bad input: one line naming the file, exit 1, no stack trace', async () => {
  const dir = tempDir();
  const bad = join(dir, 'heap.pb.gz');
  writeFileSync(bad, gzipSync(readFileSync(cpu)).subarray(0, 50));
  const r = await runCli(['top', bad]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `proflens: ${bad}: truncated gzip data\n`);
  const missing = await runCli(['top', join(dir, 'nope.pb.gz')]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `proflens: ${join(dir, 'nope.pb.gz')}: no such file\n`);
});

test('--debug adds the stack trace', async () => {
  const r = await runCli(['top', '--debug', '/nonexistent/x.pb.gz']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^proflens: \/nonexistent\/x\.pb\.gz: no such file\n.*ProfileError/s);
});

test('usage errors exit 2 with one line', async () => {
  const cases: [string[], RegExp][] = [
    [['top', '--bogus', cpu], /^proflens: unknown option '--bogus' .*\(see proflens --help\)\n$/],
    [['top', '--focus', '(', cpu], /^proflens: parsing focus regexp: .*\n$/],
    [['top', '--sample-index', 'nonsense', cpu], /^proflens: sample_index "nonsense" must be one of: \[samples cpu\]\n$/],
    [['top', '--sample-index', '7', cpu], /^proflens: sample_index 7 is outside the range \[0\.\.1\]\n$/],
    [['top', '--nodecount', 'many', cpu], /^proflens: --nodecount: "many" is not a whole number\n$/],
    [['top', '--lines', '--files', cpu], /^proflens: give only one granularity, not files and lines\n$/],
    [['top', '--divide-by', '0', cpu], /^proflens: zero divisor specified\n$/],
    [['top'], /^proflens: missing required argument 'source' \(see proflens --help\)\n$/],
    [['frobnicate', cpu], /^proflens: unknown command 'frobnicate' \(see proflens --help\)\n$/],
  ];
  for (const [args, want] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, want, args.join(' '));
  }
});

test('the installed binary runs as a process', () => {
  const bin = join(repoRoot, 'dist', 'bin', 'proflens.js');
  const ok = spawnSync(process.execPath, [bin, '-top', '-nodecount=2', cpu], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Showing top 2 nodes out of 8/);
  const bad = spawnSync(process.execPath, [bin, 'top', '/nonexistent.pb.gz'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'proflens: /nonexistent.pb.gz: no such file\n');
  // The bundle finds package.json from its own folder, as the compiled CLI does.
  const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout, `${packageVersion}\n`);
});

test('--version and -V print the version; help lists it', async () => {
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag]);
    assert.equal(r.code, 0, flag);
    assert.equal(r.stdout, `${packageVersion}\n`, flag);
  }
  assert.match((await runCli(['--help'])).stdout, /-V, --version\s+print the version of proflens/);
});
