// `proflens heap` on real V8 heap snapshots (issue 20): fixtures/node/heapsnapshot.mjs keeps N
// LeakedSession objects in the global array `sessions` and N CacheEntry objects in the global Map
// `cache`, writes a snapshot, keeps K more of each and writes another. The Summary must count
// exactly N of each, the Comparison exactly K new and none deleted, and the largest new object's
// retainer path must run from the global object through the array or the Map.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const N = 250;
const K = 40;
const dir = scratchDir('heap-command');
execFileSync(process.execPath, [join(repoRoot, 'fixtures', 'node', 'heapsnapshot.mjs'), dir, String(N), String(K)]);
const before = join(dir, 'before.heapsnapshot');
const after = join(dir, 'after.heapsnapshot');

interface SummaryJson { rows: { name: string; count: number; shallowSize: number; retainedSize: number }[]; totalSize: number }
interface CompareJson {
  rows: { name: string; newCount: number; deletedCount: number; countDelta: number }[];
  newObjects: { className: string; path: { node: string; edge: string }[]; fromRoot: boolean }[];
}

test('heap: the Summary counts exactly the N objects of each class the program keeps', async () => {
  const r = await runCli(['heap', '--json', before]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as SummaryJson;
  for (const name of ['LeakedSession', 'CacheEntry']) {
    const rows = s.rows.filter((x) => x.name === name);
    assert.equal(rows.length, 1, name);
    assert.equal(rows[0]!.count, N, name);
    // Each object is at least its header; the class retains at least what its objects take.
    assert.ok(rows[0]!.retainedSize >= rows[0]!.shallowSize && rows[0]!.shallowSize >= N * 12, name);
  }
  // Largest retained first.
  assert.deepEqual(s.rows.map((x) => x.retainedSize), [...s.rows.map((x) => x.retainedSize)].sort((a, b) => b - a));
  const text = await runCli(['heap', '--nodecount', '3', before]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^File: .*before\.heapsnapshot\nType: V8 heap snapshot, \d+ nodes\nTotal size: [\d.]+[kM]B \(retained by the root\)\nShowing top 3 constructors out of \d+\ncount +shallow +shallow% +retained +retained% +constructor\n/);
  assert.equal(text.stdout.trimEnd().split('\n').length, 5 + 3);
});

test('heap --base: exactly K new objects of each class, none deleted, and the path that keeps them', async () => {
  const r = await runCli(['heap', '--json', '--base', before, after]);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as CompareJson;
  for (const name of ['LeakedSession', 'CacheEntry']) {
    const row = c.rows.find((x) => x.name === name);
    assert.deepEqual(row && [row.newCount, row.deletedCount, row.countDelta], [K, 0, K], name);
  }
  const path = (name: string) => {
    const o = c.newObjects.find((x) => x.className === name);
    assert.ok(o, `a path for ${name}`);
    assert.ok(o.fromRoot, name);
    return o.path.map((s) => `${s.node}${s.edge}`);
  };
  // global.sessions → Array[i] → LeakedSession
  const sessions = path('LeakedSession');
  assert.deepEqual(sessions.slice(0, 1), ['global.sessions']);
  assert.match(sessions[1]!, /^Array\[\d+\]$/);
  assert.equal(sessions.at(-1), 'LeakedSession');
  // global.cache → Map{table} → … → CacheEntry
  const entries = path('CacheEntry');
  assert.deepEqual(entries.slice(0, 2), ['global.cache', 'Map{table}']);
  assert.equal(entries.at(-1), 'CacheEntry');

  // Two snapshots given without --base: the first is the base. The text shows the same rows.
  const text = await runCli(['heap', before, after]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^ *${K} +0 +\\+${K} +\\S+ +0 +\\+\\S+ +LeakedSession$`, 'm'));
  assert.match(text.stdout, /^ {4}global\.sessions → Array\[\d+\] → LeakedSession @\d+$/m);
});

test('heap: bad input is one line naming the file, exit 1, no stack trace', async () => {
  const d = scratchDir('heap-bad');
  const whole = readFileSync(before);
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['truncated.heapsnapshot', whole.subarray(0, Math.floor(whole.length / 2)), /truncated V8 heap snapshot \(the file ends inside "(nodes|edges|strings)"\)/],
    ['profile.pb.gz', readFileSync(join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz')), /not a V8 heap snapshot: it does not start with '\{'/],
    ['meta.heapsnapshot', whole.toString('latin1').replace('"edge_fields":["type"', '"edge_fields":["kind"'), /"snapshot\.meta\.edge_fields" has no "type"/],
  ];
  for (const [name, data, want] of cases) {
    const file = join(d, name);
    writeFileSync(file, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    const r = await runCli(['heap', file]);
    assert.equal(r.code, 1, name);
    assert.equal(r.stdout, '', name);
    assert.match(r.stderr, want, name);
    assert.ok(r.stderr.startsWith(`proflens: ${file}: `), r.stderr);
    assert.equal(r.stderr.split('\n').length, 2, `${name}: one line: ${r.stderr}`);
  }
  const missing = await runCli(['heap', join(d, 'missing.heapsnapshot')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^proflens: .*missing\.heapsnapshot: ENOENT/);
  const three = await runCli(['heap', before, after, after]);
  assert.equal(three.code, 2);
});

test('top on a heap snapshot says to use proflens heap, in one line', async () => {
  const r = await runCli(['top', before]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /before\.heapsnapshot: not a pprof profile \(it is a V8 heap snapshot: use proflens heap\)\n$/);
  assert.equal(r.stderr.split('\n').length, 2);
});
