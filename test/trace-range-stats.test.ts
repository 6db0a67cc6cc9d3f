// Range statistics (src/trace/range-stats.ts): where the goroutines' time went inside [from, to).
// Over the whole trace they are the goroutine analysis's totals (what `proflens trace goroutines
// --json` reports, itself checked against Go's pages); split ranges add up to the whole; and a
// hand-made goroutine's time in a range is worked out by hand.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { goroutineAnalysis } from '../src/trace/goroutine-analysis.js';
import type { ExecStat } from '../src/trace/goroutine-stats.js';
import { EventType, type Trace } from '../src/trace/model.js';
import { rangeStats, type RangeTimes } from '../src/trace/range-stats.js';
import { readTrace } from '../src/trace/read.js';
import { repoRoot, runCli, sharedDir } from './helpers.js';
import { modelTrace } from './trace-model.js';

const traceFile = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const go125 = join(sharedDir, 'peer-trace', 'traces', 'go1.25', 'test-encoding-json.trace');
const fields = ['execTime', 'schedWaitTime', 'ioTime', 'blockTime', 'syscallTime', 'gcTime', 'sweepTime', 'totalTime'] as const;

const pick = (s: ExecStat | RangeTimes): Record<string, number> => Object.fromEntries(fields.map((f) => [f, s[f]]));

function sums(stats: Iterable<ExecStat>): Record<string, number> {
  const out = Object.fromEntries(fields.map((f) => [f, 0]));
  for (const s of stats) for (const f of fields) out[f]! += s[f];
  return out;
}

/** assertWholeTraceIsTotals checks that the range over the whole trace is the analysis's totals, in all and per group. */
function assertWholeTraceIsTotals(t: Trace): void {
  const end = t.events.ts[t.events.length - 1]!;
  const stats = [...goroutineAnalysis(t, { regions: false }).values()];
  // From -∞: a Go 1.22+ goroutine known from a status event lives from its generation's start,
  // which may precede the first event (time 0).
  const r = rangeStats(t, -Infinity, Infinity);
  assert.deepEqual(pick(r.total), sums(stats));
  for (const g of r.groups) assert.deepEqual(pick(g), sums(stats.filter((s) => s.pc === g.pc)), `group ${g.name}`);
  // A range split in three adds up to the whole, column by column and group by group, and no
  // part is negative (Go 1.19 drops a wait it overwrites: no range may count it).
  const cuts = [-Infinity, Math.round(end / 3), Math.round(end / 1.7), Infinity];
  const parts = cuts.slice(1).map((to, k) => rangeStats(t, cuts[k]!, to));
  for (const f of fields) assert.equal(parts.reduce((n, p) => n + p.total[f], 0), r.total[f], f);
  for (const [k, v] of Object.entries(r.total.columns)) assert.equal(parts.reduce((n, p) => n + (p.total.columns[k] ?? 0), 0), v, k);
  for (const g of r.groups) {
    const inParts = parts.map((p) => p.groups.find((x) => x.pc === g.pc));
    assert.equal(inParts.reduce((n, x) => n + (x?.execTime ?? 0), 0), g.execTime, `group ${g.name}`);
  }
  for (const p of parts) for (const g of p.groups) for (const f of fields) assert.ok(g[f] >= 0, `${g.name} ${f} ${g[f]} in [${p.from}, ${p.to})`);
}

test('over the whole fixture trace, range statistics are the goroutine analysis\'s totals; two halves add up to them', async () => {
  const t = readTrace(readFileSync(traceFile), traceFile);
  assertWholeTraceIsTotals(t);
  // The totals the CLI reports for every goroutine (--group '' matches every start function).
  const cli = await runCli(['trace', 'goroutines', '--group', '', '--json', traceFile]);
  assert.equal(cli.code, 0, cli.stderr);
  const r = rangeStats(t, 0, t.events.ts[t.events.length - 1]!);
  assert.deepEqual(pick(r.total), sums(JSON.parse(cli.stdout) as ExecStat[]));
  assert.equal(r.rules, 'go1.19');
  // 100–200 ms: Go 1.19's analysis drops a wait it overwrites, and a difference of snapshots gave
  // the GC workers, bgsweep and bgscavenge negative scheduler wait here (-199 ms, -100 ms, -100 ms).
  for (const g of rangeStats(t, 100e6, 200e6).groups) for (const f of fields) assert.ok(g[f] >= 0, `${g.name} ${f} ${g[f]}`);
  assert.ok(r.total.columns['Execution']! > 0 && r.total.columns['Scheduler wait']! > 0, JSON.stringify(r.total.columns));
});

test('over a whole Go 1.25 trace, range statistics are Go 1.22+\'s columns totals', { skip: existsSync(go125) ? false : `${go125} is absent` }, () => {
  const t = readTrace(readFileSync(go125), go125);
  assertWholeTraceIsTotals(t);
  const r = rangeStats(t, -Infinity, Infinity);
  assert.equal(r.rules, 'go1.22');
  const columns: Record<string, number> = {};
  for (const s of goroutineAnalysis(t, { regions: false }).values()) for (const [k, v] of Object.entries(s.columns ?? {})) columns[k] = (columns[k] ?? 0) + v;
  assert.deepEqual(r.total.columns, columns);
});

test('a hand-made goroutine\'s time in a range, worked out by hand', () => {
  const E = EventType;
  // Goroutine 1: created at 1000, runs 1010–1030, blocked on a channel 1030–1050, runnable
  // 1050–1060, runs 1060–1100, ends. In [1020, 1070): running 1020–1030 and 1060–1070 (20),
  // blocked 1030–1050 (20), runnable 1050–1060 (10). (Not at time 0: Go 1.19's analysis takes a
  // wait that began at 0 for no wait.)
  const t = modelTrace([
    [E.GoCreate, 0, 0, 0, [3, 0], -1],
    [E.GoCreate, 1000, 0, 0, [1, 0], 2],
    [E.GoStart, 1010, 0, 1, [1, 0], 3],
    [E.GoBlockRecv, 1030, 0, 1, [], 4],
    [E.GoUnblock, 1050, 1, 0, [1, 0], 5],
    [E.GoStart, 1060, 0, 1, [1, 0], 6],
    [E.GoEnd, 1100, 0, 1, [], -1],
    [E.GoCreate, 1120, 1, 0, [2, 0], -1],
  ]);
  const r = rangeStats(t, 1020, 1070);
  // Goroutine 3 exists all along and never runs (its wait began at 0, so counts nowhere): it adds
  // its life (50) only. Neither has a stack, so both are the group of start PC 0.
  assert.deepEqual(pick(r.total), { execTime: 20, schedWaitTime: 10, ioTime: 0, blockTime: 20, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 100 });
  assert.deepEqual(r.total.columns, { Execution: 20, 'Sync block': 20, 'Scheduler wait': 10 });
  assert.deepEqual(r.groups.map((g) => [g.pc, g.goroutines, g.totalTime]), [[0, 2, 100]]);
  // Before goroutine 1 first runs: it waits to run (1000–1010).
  assert.deepEqual(pick(rangeStats(t, 990, 1010).total), { execTime: 0, schedWaitTime: 10, ioTime: 0, blockTime: 0, syscallTime: 0, gcTime: 0, sweepTime: 0, totalTime: 30 });
  // Goroutine 2 appears at the last event: no time. A range after goroutine 1 ended: goroutine 3 only.
  assert.deepEqual(rangeStats(t, 1110, 1115).groups.map((g) => g.goroutines), [1]);
  assert.deepEqual(pick(rangeStats(t, 1070, 1020).total), pick(rangeStats(t, 1070, 1070).total));
});
