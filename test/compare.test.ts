// The leak hunt: `diff` of two snapshots, `fetch` of a series from a real leaking Go service, and
// `trend` naming the leaking function.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasGo, startGoFixture } from './go-fixture.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const fx = (name: string): string => join(repoRoot, 'fixtures', 'profiles', name);

test('diff: base, new, delta and delta% per function, growth first, as rows and as JSON', async () => {
  const r = await runCli(['diff', fx('go-heap-early.pb.gz'), fx('go-heap.pb.gz')]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 2), ['File: heap', 'Type: inuse_space']);
  assert.match(lines[3]!, /^New: .*, 57\.24MB total \(\+36MB, \+169\.53%\)$/);
  const header = lines.indexOf('      base        new      delta   delta%');
  assert.ok(header > 0, r.stdout);
  assert.equal(lines[header + 1], '         0       24MB      +24MB      new  main.allocateBigger');
  assert.equal(lines[header + 2], '         0       12MB      +12MB      new  main.allocateBig');

  const json = await runCli(['diff', '--json', fx('go-heap-early.pb.gz'), fx('go-heap.pb.gz')]);
  const data = JSON.parse(json.stdout) as { rows: { name: string; base: number; new: number; delta: number; deltaPercent: number | null }[] };
  assert.equal(data.rows.length, lines.length - header - 2);
  for (let i = 1; i < data.rows.length; i++) assert.ok(data.rows[i - 1]!.delta >= data.rows[i]!.delta, 'sorted by growth');
  const big = data.rows.find((x) => x.name === 'main.allocateBigger')!;
  assert.deepEqual(big, { ...big, base: 0, delta: big.new, deltaPercent: null });
  assert.ok(big.new >= 24 << 20 && big.new < (24 << 20) + 4096, String(big.new));

  // --cum compares cum values: the callers grow too; --sample-index picks the type in both.
  const cum = await runCli(['diff', '--cum', '--sample-index', 'inuse_objects', fx('go-goroutine-early.pb.gz'), fx('go-goroutine.pb.gz')]);
  assert.equal(cum.code, 2);
  assert.match(cum.stderr, /sample_index "inuse_objects" must be one of: \[goroutine\]/);
  const g = await runCli(['diff', '--cum', fx('go-goroutine-early.pb.gz'), fx('go-goroutine.pb.gz')]);
  assert.match(g.stdout, /\n {9}5 {9}10 {9}\+5 {4}\+100%  main\.waitForever\n/);
});

test('diff: every delta is what go tool pprof -top -base prints for that function (flat and cum)', { skip: !hasGo && 'go is not installed' }, async () => {
  for (const cum of [false, true]) {
    const pprof = execFileSync('go', ['tool', 'pprof', '-top', '-unit=B', '-nodefraction=0', `-base=${fx('go-heap-early.pb.gz')}`, fx('go-heap.pb.gz')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const want = new Map<string, number>();
    for (const line of pprof.split('\n')) {
      const m = /^\s*(-?\d+)B?\s+\S+\s+\S+\s+(-?\d+)B?\s+\S+\s+(.+)$/.exec(line);
      if (m && Number(m[cum ? 2 : 1]) !== 0) want.set(m[3]!.replace(/ \(inline\)$/, ''), Number(m[cum ? 2 : 1]));
    }
    const r = await runCli(['diff', '--json', ...(cum ? ['--cum'] : []), fx('go-heap-early.pb.gz'), fx('go-heap.pb.gz')]);
    const rows = (JSON.parse(r.stdout) as { rows: { name: string; delta: number }[] }).rows;
    assert.ok(want.size >= 4, pprof);
    assert.deepEqual(new Map(rows.map((x) => [x.name, x.delta])), want);
  }
});

test('fetch --every --count saves a series; trend names the leaking function', { skip: !hasGo && 'go is not installed' }, async () => {
  const svc = await startGoFixture('goroutine');
  const dir = scratchDir('series');
  try {
    const f = await runCli(['fetch', '--every', '450ms', '--count', '3', '--dir', dir, `${svc.url}/debug/pprof/goroutine`]);
    assert.equal(f.code, 0, f.stderr);
    const saved = readdirSync(dir).sort();
    assert.deepEqual(saved, ['001', '002', '003'].map((n) => `pprof.goroutine.goroutine.${n}.pb.gz`));
    assert.equal(f.stdout, saved.map((n) => join(dir, n) + '\n').join(''));

    const t = await runCli(['trend', dir]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^File: goroutine\nType: goroutine\nSnapshots: 3, .* to .* \(\d/);
    const rows = t.stdout.split('\n');
    const first = rows[rows.indexOf('     first       last     growth   growth/h') + 1]!;
    assert.match(first, /^\s+\d+\s+\d+\s+\+\d+\s+\+\d+  main\.waitForever$/);
    const growth = Number(first.trim().split(/\s+/)[2]);
    assert.ok(growth >= 2, `goroutines leak every 200 ms, got ${growth} in 900 ms`);
    assert.match(t.stdout, /Stacks that grow in every step:\n-+\+-+\n +\+\d+ \| \d+ → \d+ → \d+ \(\+\d+\/h\)\n +\| runtime\.gopark\n/);

    const json = JSON.parse((await runCli(['trend', '--json', dir])).stdout) as { functions: { name: string; values: number[]; ownCode: boolean }[] };
    assert.equal(json.functions[0]!.name, 'main.waitForever');
    assert.equal(json.functions[0]!.ownCode, true);
    assert.equal(json.functions[0]!.values.length, 3);
  } finally {
    await svc.stop();
  }
});

test('fetch, diff and trend refuse what they cannot use', async () => {
  const file = await runCli(['fetch', fx('go-heap.pb.gz')]);
  assert.equal(file.code, 2);
  assert.match(file.stderr, /^proflens: fetch: .*go-heap\.pb\.gz is not a URL/);
  const every = await runCli(['fetch', '--every', 'soon', 'localhost:1/x']);
  assert.equal(every.code, 2);
  assert.equal(every.stderr, 'proflens: --every: "soon" is not a duration such as 30s or 5m\n');
  const one = await runCli(['trend', fx('go-heap.pb.gz')]);
  assert.equal(one.code, 2);
  assert.equal(one.stderr, 'proflens: trend needs at least two profiles, got 1\n');
  // A port nobody listens on: bound, then closed again.
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  const refused = await runCli(['fetch', `127.0.0.1:${port}/debug/pprof/heap`]);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `proflens: http://127.0.0.1:${port}/debug/pprof/heap: connection refused\n`);
});
