// Go 1.22+'s goroutine analysis on traces of the generational format (issue 17): time by state
// transitions, block time per reason, syscall time, and "Unknown time" for a goroutine older than
// the trace. The trace (oneThreadSyscallTrace in trace-gen-text.ts) is in Go's text form; every
// expected number is worked out by hand from its dt values, by the rules of Go 1.22+'s
// internal/trace summarizer (the working is beside the trace).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { goroutineAnalysis } from '../src/trace/goroutine-analysis.js';
import { readTrace } from '../src/trace/read.js';
import { runCli, sharedDir } from './helpers.js';
import { lostPTrace, oneThreadSyscallTrace, textToWire } from './trace-gen-text.js';



test("a Go 1.22+ trace's goroutines get Go 1.22+'s columns, worked out by hand", () => {
  const stats = goroutineAnalysis(readTrace(textToWire(oneThreadSyscallTrace), 'g.trace'));
  const g1 = stats.get(1)!;
  const g7 = stats.get(7)!;
  assert.equal(g1.totalTime, 61);
  assert.deepEqual(g1.columns, { 'Execution time': 24, 'Block time (chan receive)': 20, 'Sched wait time': 15, 'Unknown time': 2 });
  assert.equal(g1.endTime, 60);
  assert.equal(g7.totalTime, 55);
  assert.deepEqual(g7.columns, { 'Execution time': 21, 'Sched wait time': 15, 'Syscall execution time': 4, 'Block time (wait for debug call)': 15 });
  assert.equal(g7.name, 'main.worker');
  // The old fields, which the summary's "blocked longest" reads, keep their meaning: a channel
  // wait is sync block, a debug-call wait is not; a syscall is syscall time.
  assert.deepEqual([g1.blockTime, g7.blockTime, g7.syscallTime, g7.execTime, g7.schedWaitTime], [20, 0, 4, 21, 15]);
});

test('the same events under Go 1.19 rules have no such columns', () => {
  const t = readTrace(textToWire(oneThreadSyscallTrace), 'g.trace');
  const old = goroutineAnalysis({ ...t, version: 1021 });
  assert.equal(old.get(7)!.columns, undefined);
});

test('trace goroutines prints and --json gives Go 1.22+ columns for a Go 1.22+ trace', async () => {
  const wire = textToWire(oneThreadSyscallTrace);
  const text = await runCli(['trace', 'goroutines', '--group', 'main.worker', '-'], wire);
  assert.equal(text.code, 0, text.stderr);
  const [head, row] = text.stdout.split('\n');
  assert.deepEqual(head!.trim().split(/\s{2,}/), ['Goroutine', 'Total', 'Execution time', 'Block time (wait for debug call)', 'Sched wait time', 'Syscall execution time', 'Start function']);
  assert.match(row!, /^\s*7\s+55ns\s+21ns 38\.2%\s+15ns 27\.3%\s+15ns 27\.3%\s+4ns 7\.3%\s+main\.worker$/);
  const json = await runCli(['trace', 'goroutines', '--group', 'main.worker', '--json', '-'], wire);
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as { id: number; columns: Record<string, number> }[];
  assert.deepEqual(rows[0]!.columns, { 'Execution time': 21, 'Sched wait time': 15, 'Syscall execution time': 4, 'Block time (wait for debug call)': 15 });
});

const json125 = join(sharedDir, 'peer-trace/traces/go1.25/test-encoding-json.trace');

test("on the real Go 1.25 trace every goroutine's columns add up to its total", { skip: !existsSync(json125) && 'needs ../shared/peer-trace' }, () => {
  const stats = goroutineAnalysis(readTrace(readFileSync(json125), 'json.trace'));
  assert.ok(stats.size > 600);
  let unknown = 0;
  for (const g of stats.values()) {
    const cols = g.columns!;
    let sum = 0;
    for (const [k, v] of Object.entries(cols)) {
      assert.ok(v > 0, `goroutine ${g.id}: ${k} is ${v}`);
      sum += v;
    }
    assert.equal(sum, g.totalTime, `goroutine ${g.id}: ${JSON.stringify(cols)} against ${g.totalTime}`);
    unknown += cols['Unknown time'] ?? 0;
  }
  // Goroutines older than the trace are unknown until their first event; the test binary's
  // goroutines, all created during the trace, are known throughout (Unknown time only for old ones).
  assert.ok(unknown > 0);
  for (const g of stats.values()) if (g.name === 'testing.tRunner' && g.creationTime > 0) assert.equal(g.columns!['Unknown time'], undefined, `goroutine ${g.id}`);
});

// lostPTrace (trace-gen-text.ts), worked by hand: G1: exec 1→10 = 9, syscall 10→20 = 10, "Block
// time (syscall)" 20→40 = 20, total 40−(−1) = 41, unknown 2. G2 runs on M1 from its status at 3
// to the end: exec 37, unknown 4.

test('a syscall that lost its P: syscall time until the loss, then "Block time (syscall)"', () => {
  const stats = goroutineAnalysis(readTrace(textToWire(lostPTrace), 'steal.trace'));
  assert.equal(stats.get(1)!.totalTime, 41);
  assert.deepEqual(stats.get(1)!.columns, { 'Execution time': 9, 'Syscall execution time': 10, 'Block time (syscall)': 20, 'Unknown time': 2 });
  assert.deepEqual(stats.get(2)!.columns, { 'Execution time': 37, 'Unknown time': 4 });
});
