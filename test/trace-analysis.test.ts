// The trace analyses on proflens's own fixture trace (fixtures/traces, collected over HTTP from
// fixtures/go/cmd/tracesvc) against what Debian's Go 1.19 go tool trace said about it
// (fixtures/expected-trace, written by fixtures/regen-trace.sh): the four latency profiles through
// every pprof view's --pprof, the goroutine statistics to the nanosecond, the Goroutine analysis
// pages, and the `proflens trace` subcommands.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { decodeProfileProto } from '../src/profile/decode.js';
import type { RegionTypeRow, TaskTypeRow } from '../src/trace/annotations.js';
import { goroutineStats } from '../src/trace/goroutine-stats.js';
import { latencyKinds } from '../src/trace/latency-profile.js';
import { niceDuration } from '../src/trace/nice-duration.js';
import { readTrace } from '../src/trace/read.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';
import { annotationsPage, assertMatchesPages, samples } from './trace-pages.js';

const traceFile = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const expectedDir = join(repoRoot, 'fixtures', 'expected-trace');
const expected = (suffix: string): string => readFileSync(join(expectedDir, `tracesvc.trace.${suffix}`), 'utf8');
const trace = readTrace(readFileSync(traceFile), traceFile);

for (const kind of latencyKinds) {
  test(`top --pprof ${kind} of the fixture trace is go tool pprof -top of go tool trace -pprof=${kind}`, async () => {
    const r = await runCli(['top', '--pprof', kind, '--nodecount', '30', traceFile]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, expected(`${kind}.top`));
  });
  test(`traces --pprof ${kind} holds the samples go tool pprof -traces prints`, async () => {
    const r = await runCli(['traces', `-pprof=${kind}`, traceFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(samples(r.stdout), samples(expected(`${kind}.traces`)));
  });
}

test('goroutine statistics equal Go 1.19 GoroutineStats to the nanosecond, for every goroutine', () => {
  const stats = goroutineStats(trace);
  const want = JSON.parse(expected('goroutines.json')) as Record<string, number | string>[];
  const field: Record<string, string> = { ID: 'id', PC: 'pc', Name: 'name', CreationTime: 'creationTime', StartTime: 'startTime', EndTime: 'endTime', ExecTime: 'execTime' };
  Object.assign(field, { SchedWaitTime: 'schedWaitTime', IOTime: 'ioTime', BlockTime: 'blockTime', SyscallTime: 'syscallTime', GCTime: 'gcTime', SweepTime: 'sweepTime', TotalTime: 'totalTime' });
  assert.equal(stats.size, want.length);
  for (const w of want) {
    const g = stats.get(w.ID as number) as unknown as Record<string, unknown> | undefined;
    assert.ok(g, `goroutine ${w.ID}`);
    for (const [goName, ours] of Object.entries(field)) assert.equal(g[ours], w[goName], `goroutine ${w.ID} ${goName}`);
  }
  // The fixture exercises every column, or the comparison above would prove less than it says.
  for (const k of ['ioTime', 'blockTime', 'syscallTime', 'schedWaitTime', 'gcTime', 'execTime'] as const) {
    assert.ok([...stats.values()].some((g) => g[k] > 0), `some goroutine has ${k}`);
  }
});

test('goroutine groups and group pages are what go tool trace /goroutines and /goroutine?id= show', () => {
  assert.ok(assertMatchesPages(goroutineStats(trace), expectedDir, 'tracesvc.trace') > 200);
});

/** runTrace runs `proflens trace ARGS` in-process; binary output is kept in `bytes`. */
async function runTrace(args: string[]): Promise<{ code: number; stdout: string; stderr: string; bytes?: Uint8Array }> {
  let bytes: Uint8Array | undefined;
  const r = await runCli(['trace', ...args], undefined, { stdoutIsTTY: false, stdoutBytes: (b) => (bytes = b) });
  return { ...r, ...(bytes && { bytes }) };
}

test('trace goroutines lists the groups, largest execution first; --json gives them in ns', async () => {
  const text = await runTrace(['goroutines', traceFile]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^Goroutines: \d+ in 12 groups/);
  assert.match(text.stdout, /net\/http\.\(\*connReader\)\.backgroundRead/);
  const json = await runTrace(['goroutines', '--json', traceFile]);
  const groups = JSON.parse(json.stdout) as { name: string; count: number; execTime: number }[];
  assert.equal(groups.length, 12);
  assert.deepEqual(
    groups.map((g) => g.execTime),
    groups.map((g) => g.execTime).sort((a, b) => b - a),
  );
  assert.equal(groups.find((g) => g.name === 'main.worker')?.count, 2);
});

test('trace goroutines --group REGEX --sort KEY lists the members of matching groups, sorted', async () => {
  const r = await runTrace(['goroutines', '--group', '^main\\.(client|worker)$', '--sort', 'sync', '--json', traceFile]);
  const rows = JSON.parse(r.stdout) as { id: number; name: string; blockTime: number }[];
  assert.deepEqual(new Set(rows.map((g) => g.name)), new Set(['main.client', 'main.worker']));
  assert.equal(rows.length, 5);
  assert.deepEqual(
    rows.map((g) => g.blockTime),
    rows.map((g) => g.blockTime).sort((a, b) => b - a),
  );
  const text = await runTrace(['goroutines', '--group', 'journal', traceFile]);
  assert.match(text.stdout, /Goroutine +Total +Execution +Network wait +Sync block +Blocking syscall +Scheduler wait +GC sweeping +GC pause/);
  assert.match(text.stdout, /main\.journal\n$/);
  const bad = await runTrace(['goroutines', '--group', 'x', '--sort', 'bogus', traceFile]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^proflens: --sort: "bogus" is not one of total, exec, net, sync, syscall, sched, sweep, gc/);
  const none = await runTrace(['goroutines', '--group', 'nothing-matches-this', traceFile]);
  assert.equal(none.code, 2);
});

test('trace goroutines --goroutine ID: its life, creation stack and longest waits', async () => {
  const stats = goroutineStats(trace);
  const journal = [...stats.values()].find((g) => g.name === 'main.journal')!;
  const r = await runTrace(['goroutines', '--goroutine', String(journal.id), '--json', traceFile]);
  const d = JSON.parse(r.stdout) as { goroutine: { id: number; syscallTime: number }; startStack: { fn: string }[]; createdAt: { fn: string }[]; waits: { kind: string; ns: number; stack: { fn: string }[] }[] };
  assert.equal(d.goroutine.id, journal.id);
  assert.equal(d.goroutine.syscallTime, journal.syscallTime);
  assert.equal(d.startStack[0]?.fn, 'main.journal');
  assert.deepEqual(
    d.waits.map((w) => w.ns),
    d.waits.map((w) => w.ns).sort((a, b) => b - a),
  );
  // It sleeps 5 ms between writes: sleeping is where it waits longest.
  assert.equal(d.waits[0]?.kind, 'sleep');
  assert.ok(d.waits.some((w) => w.kind === 'syscall' && w.stack.some((f) => f.fn === 'syscall.Fsync')));
  // A goroutine created during the trace names the `go` statement that created it.
  const reader = [...stats.values()].find((g) => g.name === 'net/http.(*connReader).backgroundRead' && g.creationTime > 100e6)!;
  const c = JSON.parse((await runTrace(['goroutines', '--goroutine', String(reader.id), '--json', traceFile])).stdout) as typeof d;
  assert.equal(c.createdAt[0]?.fn, 'net/http.(*connReader).startBackgroundRead');
  const missing = await runTrace(['goroutines', '--goroutine', '999999999', traceFile]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /has no goroutine 999999999/);
});

test('trace --pprof KIND writes the gzipped profile that go tool trace -pprof writes', async () => {
  const out = join(scratchDir('trace-pprof'), 'sync.pb.gz');
  const r = await runTrace(['--pprof', 'sync', '--output', out, traceFile]);
  assert.equal(r.code, 0);
  const p = decodeProfileProto(gunzipSync(readFileSync(out)));
  assert.deepEqual(p.sampleTypes, [
    { type: 'contentions', unit: 'count' },
    { type: 'delay', unit: 'nanoseconds' },
  ]);
  assert.deepEqual(p.periodType, { type: 'trace', unit: 'count' });
  const top = await runCli(['top', '--nodecount', '30', out]);
  assert.equal(top.stdout, expected('sync.top'));
  const piped = await runTrace(['--pprof', 'sched', traceFile]);
  assert.ok(piped.bytes && piped.bytes[0] === 0x1f && piped.bytes[1] === 0x8b, 'gzip on a pipe');
  assert.equal((await runTrace(['--pprof', 'heap', '--output', out, traceFile])).code, 2);
  // Go's spelling, as go tool trace takes it: -pprof=KIND, and one-dash long options.
  const goOut = join(scratchDir('trace-pprof-go'), 'sync.pb.gz');
  const go = await runTrace(['-pprof=sync', `-output=${goOut}`, traceFile]);
  assert.equal(go.code, 0, go.stderr);
  assert.deepEqual(readFileSync(goOut), readFileSync(out));
});

test('trace summary: duration, goroutines, GC and where to look next', async () => {
  const r = await runTrace(['summary', '--json', traceFile]);
  const s = JSON.parse(r.stdout) as { goVersion: string; duration: number; goroutines: { total: number; ended: number }; gc: { cycles: number; stwPauses: number }; topBlocked: { name: string }[] };
  const stats = goroutineStats(trace);
  assert.equal(s.goVersion, '1.19');
  assert.equal(s.goroutines.total, stats.size);
  assert.equal(s.goroutines.ended, [...stats.values()].filter((g) => g.endTime !== 0).length);
  // go tool trace -d lists the GC cycles and stop-the-world pauses of the fixture.
  const events = gunzipSync(readFileSync(join(expectedDir, 'tracesvc.trace.d.txt.gz'))).toString();
  assert.equal(s.gc.cycles, events.match(/ GCStart /g)!.length);
  assert.equal(s.gc.stwPauses, events.match(/ GCSTWStart /g)!.length);
  assert.equal(s.duration, Number(/^(\d+) /m.exec(events.trimEnd().split('\n').at(-1)!)![1]));
  const text = await runTrace(['summary', traceFile]);
  assert.match(text.stdout, /^Go 1\.19 execution trace, \d+ events over 1\d{3}ms, GOMAXPROCS \d+\n/);
  assert.match(text.stdout, /proflens top --pprof sched /);
});

test('--pprof on a profile, or a damaged trace, is one line naming the file, exit 1', async () => {
  const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
  const r = await runCli(['top', '--pprof', 'sync', heap]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `proflens: ${heap}: not a Go execution trace (--pprof sync builds a profile from a trace, such as /debug/pprof/trace)\n`);
  const cut = join(scratchDir('trace-cut'), 'cut.trace');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(cut, readFileSync(traceFile).subarray(0, 5000));
  const c = await runCli(['top', '--pprof', 'net', cut]);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /^proflens: .*cut\.trace: [^\n]+\n$/);
});

test('trace tasks: task types, counts and duration distributions are go tool trace /usertasks', async () => {
  const r = await runTrace(['tasks', '--json', traceFile]);
  const rows = JSON.parse(r.stdout) as TaskTypeRow[];
  const page = annotationsPage(expected('usertasks.html'));
  assert.deepEqual(
    rows.map((t) => ({ type: t.type, count: t.count, buckets: t.histogram.map((b) => [niceDuration(b.from), b.count]) })),
    page,
  );
  assert.ok(page.length > 0 && page[0]!.buckets.length > 3, 'the fixture has tasks');
  assert.match((await runTrace(['tasks', traceFile])).stdout, /^request: \d+ tasks, \d+ complete\n/);
});

test('trace regions: region types, counts and duration distributions are go tool trace /userregions', async () => {
  const r = await runTrace(['regions', '--json', traceFile]);
  const rows = JSON.parse(r.stdout) as RegionTypeRow[];
  const page = annotationsPage(expected('userregions.html'));
  assert.deepEqual(
    rows.map((t) => ({
      type: t.type,
      where: t.frame ? `${t.frame.fn} ${t.frame.file}:${t.frame.line} ${t.frame.pc.toString(16)}` : ' :0 0',
      count: t.count,
      buckets: t.histogram.map((b) => [niceDuration(b.from), b.count]),
    })),
    page,
  );
  assert.deepEqual(new Set(page.map((p) => p.type)), new Set(['allocate', 'compute', 'count']));
});
