// Latency profiles of one goroutine group and of one region type against what Debian's Go 1.19
// go tool trace serves for them (/block?id=PC, /regionblock?type=T, … with raw=1, then go tool
// pprof -top/-traces; fixtures/expected-trace/latency, written by fixtures/regen-trace.sh): through
// the CLI (`--pprof KIND --group PC`, `--region TYPE`) and the web UI's mounts (pprof-KIND-gPC,
// pprof-KIND-tN, pprof-KIND-tN-bM), on the fixture trace and, when ../shared is there, for every
// group of a Go 1.19 peer trace.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../src/driver/config.js';
import { generateView } from '../src/driver/driver.js';
import type { Profile } from '../src/profile/model.js';
import { goroutineAnalysis } from '../src/trace/goroutine-analysis.js';
import { latencyProfile } from '../src/trace/latency-profile.js';
import { groupIntervals, overlapWeight } from '../src/trace/latency-scope.js';
import { readTrace } from '../src/trace/read.js';
import { TraceSession } from '../src/web/trace-session.js';
import { repoRoot, runCli, scratchDir, sharedDir } from './helpers.js';
import { textToWire } from './trace-gen-text.js';
import { samples } from './trace-pages.js';

const traceFile = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const latencyDir = join(repoRoot, 'fixtures', 'expected-trace', 'latency');
const files = readdirSync(latencyDir).filter((f) => f.startsWith('tracesvc.trace.'));
const expected = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

/** text is a text view of p: top as go tool pprof -top -nodecount=30 prints it, or traces. */
async function view(p: Profile, v: 'top' | 'traces'): Promise<string> {
  const r = await generateView(p, v, v === 'top' ? { ...defaultConfig(), nodeCount: 30 } : defaultConfig());
  assert.ok('text' in r);
  return r.text;
}

/** assertSame compares a profile's view with Go's file of that view (traces: the same samples, in any order). */
async function assertSame(p: Profile, dir: string, file: string): Promise<void> {
  if (file.endsWith('.top')) assert.equal(await view(p, 'top'), expected(dir, file), file);
  else assert.deepEqual(samples(await view(p, 'traces')), samples(expected(dir, file)), file);
}

/** profileOf is the profile the web UI mounts under name. */
function profileOf(session: TraceSession, name: string): Profile {
  const s = session.scopedProfile(name);
  assert.ok(s, name);
  return s.profile;
}

const session = new TraceSession(readTrace(readFileSync(traceFile), traceFile), 'tracesvc.trace');

test("every goroutine group's four latency profiles are go tool trace's /io, /block, /syscall, /sched ?id=PC", async () => {
  const groupFiles = files.filter((f) => /\.group-\d+\./.test(f));
  assert.equal(groupFiles.length, session.groups().length * 8, 'every group, four kinds, top and traces');
  for (const f of groupFiles) {
    const [, pc, kind] = /\.group-(\d+)\.([a-z]+)\./.exec(f)!;
    await assertSame(profileOf(session, `pprof-${kind}-g${pc}`), latencyDir, f);
  }
});

test("every region type's latency profiles, and each histogram bucket's, are go tool trace's /regionblock?type=…", async () => {
  const rows = session.regions();
  const typeFiles = files.filter((f) => /\.region-[^.]+\.[a-z]+\.(top|traces)$/.test(f));
  assert.equal(typeFiles.length, rows.length * 8);
  for (const f of typeFiles) {
    const [, type, kind] = /\.region-([^.]+)\.([a-z]+)\./.exec(f)!;
    // Each type of the fixture starts in one place, so the page's type (name and PC) is Go's type=.
    const n = rows.findIndex((r) => r.type === type);
    assert.ok(n >= 0, type);
    await assertSame(profileOf(session, `pprof-${kind}-t${n}`), latencyDir, f);
  }
  const bucketFiles = files.filter((f) => f.includes('.bucket-'));
  assert.ok(bucketFiles.length > 10);
  for (const f of bucketFiles) {
    const [, type, k] = /\.region-([^.]+)\.bucket-(\d+)\./.exec(f)!;
    const n = rows.findIndex((r) => r.type === type);
    // Go links only the buckets that hold regions: the K-th link is the K-th non-empty bucket.
    const b = rows[n]!.histogram.map((h, i) => (h.count > 0 ? i : -1)).filter((i) => i >= 0)[Number(k)];
    assert.ok(b !== undefined, f);
    await assertSame(profileOf(session, `pprof-sync-t${n}-b${b}`), latencyDir, f);
  }
});

test('top --pprof KIND --group PC|REGEX and --region TYPE print what go tool pprof printed for go tool trace', async () => {
  const worker = session.groups().find((g) => g.name === 'main.worker')!;
  const byPc = await runCli(['top', '--pprof', 'sched', '--group', String(worker.pc), '--nodecount', '30', traceFile]);
  assert.equal(byPc.stderr, '');
  assert.equal(byPc.stdout, expected(latencyDir, `tracesvc.trace.group-${worker.pc}.sched.top`));
  const byName = await runCli(['top', '-pprof=sync', '--group', '^main\\.worker$', '-nodecount=30', traceFile]);
  assert.equal(byName.stdout, expected(latencyDir, `tracesvc.trace.group-${worker.pc}.sync.top`));
  const region = await runCli(['traces', '--pprof', 'sched', '--region', 'compute', traceFile]);
  assert.deepEqual(samples(region.stdout), samples(expected(latencyDir, 'tracesvc.trace.region-compute.sched.traces')));
  // The profile itself, as go tool trace's ?raw=1 download gives it.
  const out = join(scratchDir('trace-latency-scope'), 'region.pb.gz');
  const saved = await runCli(['trace', '--pprof', 'sync', '--region', 'count', '--output', out, traceFile]);
  assert.equal(saved.code, 0, saved.stderr);
  assert.equal((await runCli(['top', '--nodecount', '30', out])).stdout, expected(latencyDir, 'tracesvc.trace.region-count.sync.top'));
});

test('--group and --region: a wrong name is one line saying what the trace has, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['top', '--group', '1', traceFile], /^proflens: --group chooses the waits of a trace's latency profile: give --pprof KIND too\n$/],
    [['top', '--pprof', 'sync', '--region', 'nope', traceFile], /^proflens: --region: no region of type "nope" \(the trace has "allocate", "compute", "count"\)\n$/],
    [['top', '--pprof', 'sync', '--group', '12345', traceFile], /^proflens: --group: no goroutine group has start PC 12345 /],
    [['top', '--pprof', 'sync', '--group', '(', traceFile], /^proflens: --group: .*missing closing \)/],
    [['top', '--pprof', 'cpu', '--group', 'main', traceFile], /not cpu\n$/],
    [['trace', '--pprof', 'sync', '--group', 'main', '--region', 'count', '--output', join(scratchDir('trace-latency-scope'), 'x.pb.gz'), traceFile], /give one/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('the web session runs the goroutine analysis once when Regions opens first', () => {
  const t = readTrace(readFileSync(traceFile), traceFile);
  const runs: boolean[] = [];
  const counted: typeof goroutineAnalysis = (tr, o) => (runs.push(!!o?.regions), goroutineAnalysis(tr, o));
  const regionsFirst = new TraceSession(t, 'x', counted);
  regionsFirst.regions();
  const groups = regionsFirst.groups();
  regionsFirst.scopedProfile(`pprof-sync-g${groups[0]!.pc}`);
  regionsFirst.scopedProfile('pprof-sync-t0');
  assert.deepEqual(runs, [true], 'one analysis, with regions, serves the groups too');
  // The same numbers as the analysis without regions.
  assert.deepEqual(groups, new TraceSession(t, 'y', (tr, o) => goroutineAnalysis(tr, { ...o, regions: false })).groups());
});

/**
 * A Go 1.25 trace (Go's text form; clock 1 GHz, first event at time 0): G1 runs, creates G7 (t=11,
 * no stack) and blocks (21); G7 runs (26), wakes G1 (46, stack main.wakeOne) and blocks (49); G1
 * runs (54), wakes G7 (84, stack main.wakeTwo) and ends (89); G7 runs (94) and ends (99).
 * Sched waits: G1 runnable 46→54 (8 ns), G7 runnable 84→94 (10 ns).
 */
const wakeTrace = `Trace Go1.25
EventBatch gen=1 m=18446744073709551615 time=100 size=*
Sync
Frequency freq=1000000000
ClockSnapshot dt=0 mono=1 sec=1 nsec=0
EventBatch gen=1 m=18446744073709551615 time=100 size=*
Strings
String id=1
	data="chan receive"
String id=2
	data="main.wakeOne"
String id=3
	data="main.wakeTwo"
String id=4
	data="/src/main.go"
EventBatch gen=1 m=18446744073709551615 time=100 size=*
Stacks
Stack id=1 nframes=1
	pc=4096 func=2 file=4 line=10
Stack id=2 nframes=1
	pc=8192 func=3 file=4 line=20
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=1 gstatus=2
GoCreate dt=10 new_g=7 new_stack=2 stack=0
GoBlock dt=10 reason_string=1 stack=1
GoStart dt=5 g=7 g_seq=1
GoUnblock dt=20 g=1 g_seq=1 stack=1
GoBlock dt=3 reason_string=1 stack=2
GoStart dt=5 g=1 g_seq=2
GoUnblock dt=30 g=7 g_seq=2 stack=2
GoDestroy dt=5
GoStart dt=5 g=7 g_seq=3
GoDestroy dt=5
ProcStop dt=5
`;

test("a goroutine's sched profile: Go 1.22+ counts the waits it had, Go 1.19 the waits it caused by waking others", () => {
  const t = readTrace(textToWire(wakeTrace), 'wake.trace');
  const g7 = (tr: typeof t): Profile => latencyProfile(tr, 'sched', overlapWeight(tr, groupIntervals(tr, goroutineAnalysis(tr), (g) => g.id === 7)));
  const leafAndNs = (p: Profile): [string, number][] =>
    Array.from({ length: p.samples.length }, (_, i) => {
      const loc = p.samples.locations[p.samples.stackStart[i]!]!;
      return [p.strings[p.functions.name[p.locations.lineFunction[p.locations.lineStart[loc]!]!]!]!, p.samples.values[2 * i + 1]!];
    });
  // Go 1.22+ (cmd/trace/v2/pprof.go): G7 was runnable 84→94, woken from main.wakeTwo.
  assert.deepEqual(leafAndNs(g7(t)), [['main.wakeTwo', 10]]);
  // Go 1.19 (cmd/trace/pprof.go) counts ev.G's events: G7 woke G1 at 46 from main.wakeOne, which ran at 54.
  assert.deepEqual(leafAndNs(g7({ ...t, version: 1021 })), [['main.wakeOne', 8]]);
});

const peerDir = join(latencyDir, 'peer');
for (const name of ['test-encoding-json.trace', 'trace.bin']) {
  const peerTrace = join(sharedDir, 'peer-trace', 'traces', 'go1.19', name);
  test(`${name} (Go 1.19): every group profile is go tool trace's /io, /block, /syscall, /sched ?id=PC`, { skip: existsSync(peerTrace) ? false : `${peerTrace} is absent (the peer traces live in ../shared)` }, async () => {
    const peer = new TraceSession(readTrace(readFileSync(peerTrace), peerTrace), name);
    const peerFiles = readdirSync(peerDir).filter((f) => f.startsWith(`${name}.`));
    assert.equal(peerFiles.length, peer.groups().length * 8);
    for (const f of peerFiles) {
      const [, pc, kind] = /\.group-(\d+)\.([a-z]+)\./.exec(f)!;
      await assertSame(profileOf(peer, `pprof-${kind}-g${pc}`), peerDir, f);
    }
  });
}
