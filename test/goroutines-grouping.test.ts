// `proflens goroutines` grouping options (issue 19.3): by default frames that differ only in their
// arguments share a bucket; --exact-args keeps them apart; --depth N compares only the top N frames,
// so the same wait reached from different callers is one bucket. The dump is written by hand in
// the runtime's layout, so every count below is known by construction.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, scratchDir } from './helpers.js';

/** goroutine prints one goroutine as the runtime does: parked in main.wait(arg), called from caller. */
const goroutine = (id: number, arg: string, caller: string, line: number): string =>
  `goroutine ${id} [chan receive]:\nmain.wait(${arg})\n\t/src/main.go:10 +0x1d\nmain.${caller}()\n\t/src/main.go:${line} +0x25\ncreated by main.main in goroutine 1\n\t/src/main.go:30 +0x45\n`;

// 5 and 6 differ only in wait's argument; 7 reaches the same wait from another caller.
const dump = [goroutine(5, '0xc000010000', 'a', 20), goroutine(6, '0xc000010080', 'a', 20), goroutine(7, '0xc000010000', 'b', 25)].join('\n');
const stdin = Buffer.from(dump);

test('by default arguments are ignored: 5 and 6 share a bucket, 7 (another caller) has its own', async () => {
  const r = await runCli(['goroutines', '-'], stdin);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^3 goroutines in 2 buckets/);
  assert.match(r.stdout, /\n\n2 goroutines \[chan receive\] created by main\.main\n  \* main\.wait  \/src\/main\.go:10\n  \* main\.a  \/src\/main\.go:20\n/);
});

test('--exact-args: frames with other arguments are another bucket, and the arguments are shown', async () => {
  const r = await runCli(['goroutines', '--exact-args', '-'], stdin);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^3 goroutines in 3 buckets/);
  assert.match(r.stdout, /^ {2}\* main\.wait\(0xc000010080\)  \/src\/main\.go:10$/m);
  const json = JSON.parse((await runCli(['goroutines', '--exact-args', '--json', '-'], stdin)).stdout) as { buckets: { goids: number[] }[] };
  assert.deepEqual(json.buckets.map((b) => b.goids), [[5], [6], [7]]);
});

test('--depth 1: the same wait from two callers is one bucket; deeper frames are said to be left out', async () => {
  const r = await runCli(['goroutines', '--depth', '1', '-'], stdin);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    '3 goroutines in 1 bucket (* marks your own code)\n\n3 goroutines [chan receive] created by main.main\n  * main.wait  /src/main.go:10\n    ...deeper frames not compared (3 of these goroutines have some)...\n',
  );
  // A depth as deep as the stacks changes nothing.
  const deep = await runCli(['goroutines', '--depth', '2', '-'], stdin);
  assert.match(deep.stdout, /^3 goroutines in 2 buckets/);
});

test('--depth applies to a comparison too; --depth 0 is a usage error', async () => {
  const old = join(scratchDir('goroutines-grouping'), 'old.txt');
  writeFileSync(old, goroutine(5, '0xc000010000', 'a', 20));
  const r = await runCli(['goroutines', '--depth', '1', '--base', old, '-'], stdin);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\+2 \(1 → 3\) 3 goroutines \[chan receive\]/);
  const bad = await runCli(['goroutines', '--depth', '0', '-'], stdin);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--depth must be at least 1/);
});

test('a bucket of 150,000 goroutines (a large leak) is counted, not a stack overflow', async () => {
  const many = Array.from({ length: 150_000 }, (_, i) => `goroutine ${i + 1} [chan receive, ${1 + (i % 9)} minutes]:\nmain.wait(0x1)\n\t/src/main.go:10 +0x1d\n`).join('\n');
  const r = await runCli(['goroutines', '-'], Buffer.from(many));
  assert.equal(r.code, 0, r.stderr);
  // Waits cycle through 1..9 minutes.
  assert.match(r.stdout, /\n\n150000 goroutines \[chan receive, 1–9 min\]\n/);
});
