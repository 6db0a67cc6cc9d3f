// Minimum mutator utilization (src/trace/mmu.ts) against go tool trace's /mmuPlot and /mmuDetails:
// the answers Go's tool served for the fixture trace (fixtures/expected-trace, written by
// fixtures/regen-trace.sh) and, when go is installed, Go's tool itself; then the rules on small
// hand-made traces whose utilization is worked out by hand below.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MMUCurve, MutatorUtilizationError, UtilFlags, mmuPlot, mutatorUtilization, utilFlagsFromNames, type UtilSeries } from '../src/trace/mmu.js';
import { EventType, type Trace } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { hasGo } from './go-fixture.js';
import { withGoTraceServer } from './go-trace-server.js';
import { repoRoot, runCli } from './helpers.js';
import { type ModelEvent, modelTrace } from './trace-model.js';

const traceFile = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const expectedDir = join(repoRoot, 'fixtures', 'expected-trace');
/** The flag sets regen-trace.sh asked Go about, as /mmuPlot?flags= spells them. */
const flagSets = ['stw|background|assist', 'perProc|stw|background|assist|sweep', 'sweep', ''];

interface GoPlot {
  xMin: number;
  xMax: number;
  curve: [number, number][];
}
interface GoWindow {
  Time: number;
  MutatorUtil: number;
}

const fixture = readTrace(readFileSync(traceFile), traceFile);

function curveFor(t: Trace, flags: string): MMUCurve {
  const f = utilFlagsFromNames(flags.split('|'));
  assert.ok('flags' in f, flags);
  return new MMUCurve(mutatorUtilization(t, f.flags));
}

/** assertLikeGo compares our plot and worst windows with Go's answers for one flag set: equal to the bit. */
function assertLikeGo(curve: MMUCurve, flags: string, plot: GoPlot, details: Record<number, GoWindow[] | null>): void {
  const ours = mmuPlot(curve);
  assert.deepEqual({ xMin: ours.xMin, xMax: ours.xMax }, { xMin: plot.xMin, xMax: plot.xMax }, `flags ${flags}: window range`);
  assert.deepEqual(ours.curve, plot.curve, `flags ${flags}: curve`);
  for (const [window, worst] of Object.entries(details)) {
    const got = curve.worstWindows(Number(window), 10).map((w) => [w.time, w.mutatorUtil]);
    assert.deepEqual(got, (worst ?? []).map((w) => [w.Time, w.MutatorUtil]), `flags ${flags}: worst ${window} ns windows`);
  }
}

test('the MMU curve and worst windows of the fixture trace are the ones go tool trace served (saved answers)', async () => {
  const t = await fixture;
  for (const flags of flagSets) {
    const tag = flags.replaceAll('|', '+') || 'none';
    const read = (name: string): unknown => JSON.parse(readFileSync(join(expectedDir, `tracesvc.trace.${name}`), 'utf8'));
    const details: Record<number, GoWindow[] | null> = { 1000000: read(`mmuDetails.${tag}.1000000.json`) as GoWindow[] };
    if (tag === 'stw+background+assist') details[12345] = read(`mmuDetails.${tag}.12345.json`) as GoWindow[];
    assertLikeGo(curveFor(t, flags), flags, read(`mmuPlot.${tag}.json`) as GoPlot, details);
  }
});

test('the MMU answers equal go tool trace -http run now on the fixture trace', { skip: hasGo ? false : 'go is not installed', timeout: 120_000 }, async () => {
  const t = await fixture;
  await withGoTraceServer(traceFile, async (get) => {
    for (const flags of ['stw|background|assist', 'perProc|stw|assist', 'stw|sweep']) {
      const plot = JSON.parse(await get(`/mmuPlot?flags=${flags}`)) as GoPlot;
      // A window from Go's own curve, and an odd one.
      const w = plot.curve[60]![0];
      const details = { [w]: JSON.parse(await get(`/mmuDetails?flags=${flags}&window=${w}`)) as GoWindow[], 777: JSON.parse(await get(`/mmuDetails?flags=${flags}&window=777`)) as GoWindow[] };
      assertLikeGo(curveFor(t, flags), flags, plot, details);
    }
  });
});

test('proflens trace mmu prints the curve, and the worst windows in the words of Go\'s page', async () => {
  const json = await runCli(['trace', 'mmu', '--json', traceFile]);
  assert.equal(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout) as { flags: string[]; curve: [number, number][]; window: number; worst: { time: number; mutatorUtil: number }[] };
  const goPlot = JSON.parse(readFileSync(join(expectedDir, 'tracesvc.trace.mmuPlot.stw+background+assist.json'), 'utf8')) as GoPlot;
  assert.deepEqual(r.flags, ['stw', 'background', 'assist']);
  assert.deepEqual(r.curve, goPlot.curve);
  assert.equal(r.window, 1e6);
  // Go's /mmuDetails for 1 ms windows begins {"Time":162163831,"MutatorUtil":0.4079075}.
  assert.deepEqual(r.worst[0], { time: 162163831, mutatorUtil: 0.4079075 });

  const text = await runCli(['trace', 'mmu', '--window', '12345ns', '--mmu-flags', 'stw,perproc', traceFile]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^Minimum mutator utilization \(flags: stw, perProc\)\n/);
  assert.match(text.stdout, /\n {2}window {2}MMU\n/);
  assert.match(text.stdout, /\nLowest mutator utilization in 12\.345µs windows:\n/);

  const bad = await runCli(['trace', 'mmu', '--mmu-flags', 'stw,gc', traceFile]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--mmu-flags: "gc" is not one of stw, background, assist, sweep, perproc/);
  const zero = await runCli(['trace', 'mmu', '--window', '0s', traceFile]);
  assert.equal(zero.code, 2);
  assert.equal(zero.stderr, 'proflens: --window: "0s" is not a window of at least 1ns\n');
});

type Ev = ModelEvent;

const E = EventType;
// Two Ps. A pause of the world 100–150; goroutine 5 assists on P0 200–300; a background mark worker
// (goroutine 9, labelled "GC (fractional)") runs on P1 320–340; P1 sweeps 400–450; the trace ends at 500.
const handMade: Ev[] = [
  [E.Gomaxprocs, 0, 0, 0, [2], -1],
  [E.GCSTWStart, 100, 0, 0, [0], 2],
  [E.GCSTWDone, 150, 0, 0, [], -1],
  [E.GCMarkAssistStart, 200, 0, 5, [], 4],
  [E.GCMarkAssistDone, 300, 0, 5, [], -1],
  [E.GoStartLabel, 320, 1, 9, [9, 1, 1], 6],
  [E.GoBlock, 340, 1, 9, [], -1],
  [E.GoCreate, 350, 1, 1, [10, 0], -1],
  [E.GCSweepStart, 400, 1, 0, [], 9],
  [E.GCSweepDone, 450, 1, 0, [0, 0], -1],
  [E.GoUnblock, 500, 1, 0, [10, 0], -1],
];
const handStrings = ['', 'GC (fractional)'];

const series = (s: UtilSeries): [number, number][] => s.time.map((t, k) => [t, s.util[k]!]);

test('mutator utilization follows Go 1.19: the world stopped is 0, a P in GC is 1/GOMAXPROCS, flags choose', () => {
  const t = modelTrace(handMade, handStrings);
  const { stw, background, assist, sweep, perProc } = UtilFlags;
  // Worked by hand: 1 until the pause, 0 in it, ½ while one of two Ps assists or runs the worker.
  assert.deepEqual(mutatorUtilization(t, stw | background | assist).map(series), [
    [[0, 1], [100, 0], [150, 1], [200, 0.5], [300, 1], [320, 0.5], [340, 1], [500, 0]],
  ]);
  assert.deepEqual(mutatorUtilization(t, sweep).map(series), [[[0, 1], [400, 0.5], [450, 1], [500, 0]]]);
  assert.deepEqual(mutatorUtilization(t, 0).map(series), [[[0, 1], [500, 0]]]);
  // Per P: each P's own 1 or 0; the pause stops both.
  assert.deepEqual(mutatorUtilization(t, perProc | stw | assist | background | sweep).map(series), [
    [[0, 1], [100, 0], [150, 1], [200, 0], [300, 1], [500, 0]],
    [[0, 1], [100, 0], [150, 1], [320, 0], [340, 1], [400, 0], [450, 1], [500, 0]],
  ]);
  // Per P, a dedicated worker does not count (it keeps every goroutine off its P).
  const dedicated = modelTrace(handMade, ['', 'GC (dedicated)']);
  assert.deepEqual(mutatorUtilization(dedicated, perProc | background).map(series)[1], [[0, 1], [500, 0]]);
  assert.deepEqual(mutatorUtilization(modelTrace(handMade, ['', 'GC (idle)']), background).map(series), [[[0, 1], [500, 0]]]);
});

test('on a Go 1.22+ trace only stop-the-world pauses for GC count, as Go 1.22+ decides', () => {
  // Go 1.21+'s reasons: kind 1 is "GC mark termination", kind 7 "read mem stats".
  const withKind = (kind: number): Ev[] => handMade.map((e) => (e[0] === E.GCSTWStart ? [E.GCSTWStart, 100, 0, 0, [kind], 2] : e));
  const { stw } = UtilFlags;
  assert.deepEqual(mutatorUtilization(modelTrace(withKind(1), handStrings, 1022), stw).map(series), [[[0, 1], [100, 0], [150, 1], [500, 0]]]);
  assert.deepEqual(mutatorUtilization(modelTrace(withKind(7), handStrings, 1022), stw).map(series), [[[0, 1], [500, 0]]]);
  // Go 1.19's rules count every pause.
  assert.deepEqual(mutatorUtilization(modelTrace(withKind(7), handStrings, 1021), stw).map(series), [[[0, 1], [100, 0], [150, 1], [500, 0]]]);
});

test('the MMU of a hand-worked series: the worst window of each size, and disjoint worst windows', () => {
  // Utilization 1 on [0,10), 0 on [10,20), 1 on [20,100): a window of w ≥ 10 loses at most 10 ns.
  const curve = new MMUCurve([{ time: [0, 10, 20, 100], util: [1, 0, 1, 0] }]);
  assert.equal(curve.mmu(5), 0);
  assert.equal(curve.mmu(10), 0);
  assert.equal(curve.mmu(20), 0.5);
  assert.equal(curve.mmu(50), 0.8);
  assert.equal(curve.mmu(100), 0.9);
  assert.equal(curve.mmu(1000), 0.9); // clipped to the series' length
  assert.equal(curve.mmu(0), 0);
  const worst = curve.worstWindows(50, 3);
  // Any 50 ns window starting in [0,10] holds the whole dip (0.8); the only window disjoint from
  // it starts at 50 (utilization 1).
  assert.deepEqual(worst.map((w) => w.mutatorUtil), [0.8, 1]);
  assert.ok(worst[0]!.time >= 0 && worst[0]!.time <= 10 && worst[1]!.time >= worst[0]!.time + 50, JSON.stringify(worst));
  assert.deepEqual(mmuPlot(new MMUCurve([])), { xMin: 0, xMax: 0, curve: [] });
});

test('a trace asking for billions of Ps is refused in one line, not followed into memory exhaustion', () => {
  const E = EventType;
  const huge = modelTrace([[E.Gomaxprocs, 0, 0, 0, [2 ** 40], -1], [E.GoCreate, 10, 0, 0, [1, 0], -1]]);
  assert.throws(() => mutatorUtilization(huge, UtilFlags.perProc), MutatorUtilizationError);
  // Growing and shrinking GOMAXPROCS again and again is bounded the same way.
  const flapping: Ev[] = [];
  for (let k = 0; k < 10; k++) flapping.push([E.Gomaxprocs, 2 * k, 0, 0, [1 << 20], -1], [E.Gomaxprocs, 2 * k + 1, 0, 0, [1], -1]);
  assert.throws(() => mutatorUtilization(modelTrace(flapping), UtilFlags.perProc), /more Ps than the mutator utilization follows/);
});
