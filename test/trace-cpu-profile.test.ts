// The CPU profile of a trace's CPU samples (issue 17, part 2): `--pprof cpu`. The small trace is
// written here in Go's text form; its expected profile is counted by hand from the samples below.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Profile } from '../src/profile/model.js';
import { cpuProfile } from '../src/trace/cpu-profile.js';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { runCli, scratchDir, sharedDir } from './helpers.js';
import { NoThread, textToWire } from './trace-gen-text.js';


/**
 * G1 runs on P0 from time 101 to 160 (ticks = ns at 1 GHz) in main.spin, creating G7, which runs
 * from 160 to 190. The profiler took five samples: three in G1 at stack 1 (main.spin), one in G7 at
 * stack 2 (main.work), one on thread 1 outside any goroutine (g=0) at stack 2.
 * So, at runtime/pprof's default 10 ms a sample: main.spin 3 samples = 30 ms, main.work 2 = 20 ms;
 * goroutine 1 has 30 ms, goroutine 7 has 10 ms, 10 ms has no goroutine label.
 */
const trace = `Trace Go1.23
EventBatch gen=1 m=${NoThread} time=100 size=*
Frequency freq=1000000000
EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
String id=1
	data="main.spin"
String id=2
	data="/src/main.go"
String id=3
	data="main.work"
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
Stack id=1 nframes=1
	pc=4096 func=1 file=2 line=10
Stack id=2 nframes=1
	pc=8192 func=3 file=2 line=20
EventBatch gen=1 m=${NoThread} time=100 size=*
CPUSamples
CPUSample time=110 m=1 p=0 g=1 stack=1
CPUSample time=120 m=1 p=0 g=1 stack=1
CPUSample time=130 m=1 p=0 g=1 stack=1
CPUSample time=170 m=1 p=0 g=7 stack=2
CPUSample time=175 m=1 p=0 g=0 stack=2
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=1 gstatus=2
GoCreate dt=10 new_g=7 new_stack=2 stack=1
GoDestroy dt=48
GoStart dt=0 g=7 g_seq=1
GoDestroy dt=30
ProcStop dt=5
`;

/** rows lists a CPU profile's samples as [leaf function, goroutine label or '-', count, ns]. */
function rows(p: Profile): [string, string, number, number][] {
  const s = p.samples;
  const out: [string, string, number, number][] = [];
  for (let i = 0; i < s.length; i++) {
    const loc = s.locations[s.stackStart[i]!]!;
    const fn = p.locations.lineFunction[p.locations.lineStart[loc]!]!;
    const l = s.labels;
    let g = '-';
    if (l) for (let k = l.start[i]!; k < l.start[i + 1]!; k++) if (p.strings[l.key[k]!] === 'goroutine') g = p.strings[l.str[k]!]!;
    out.push([p.strings[p.functions.name[fn]!]!, g, s.values[2 * i]!, s.values[2 * i + 1]!]);
  }
  return out.sort();
}

test('a trace with CPU samples becomes a CPU profile with each sample\'s goroutine as a label', () => {
  const p = cpuProfile(readTrace(textToWire(trace), 'cpu.trace'));
  assert.deepEqual(p.sampleTypes, [
    { type: 'samples', unit: 'count' },
    { type: 'cpu', unit: 'nanoseconds' },
  ]);
  assert.deepEqual(p.periodType, { type: 'cpu', unit: 'nanoseconds' });
  assert.equal(p.period, 10_000_000);
  assert.deepEqual(rows(p), [
    ['main.spin', '1', 3, 30_000_000],
    ['main.work', '-', 1, 10_000_000],
    ['main.work', '7', 1, 10_000_000],
  ]);
});

test('top --pprof cpu and trace summary --pprof cpu show it', async () => {
  const dir = scratchDir('trace-cpu');
  const file = join(dir, 'cpu.trace');
  writeFileSync(file, textToWire(trace));
  const top = await runCli(['top', '--pprof', 'cpu', file]);
  assert.equal(top.code, 0, top.stderr);
  assert.match(top.stdout, /^Type: cpu$/m);
  assert.match(top.stdout, /Showing nodes accounting for 50ms, 100% of 50ms total/);
  assert.match(top.stdout, /^ +30ms 60\.00% 60\.00% +30ms 60\.00% +main\.spin$/m);
  assert.match(top.stdout, /^ +20ms 40\.00% +100% +20ms 40\.00% +main\.work$/m);
  const g7 = await runCli(['top', '--pprof', 'cpu', '--tagfocus', 'goroutine=^7$', file]);
  assert.match(g7.stdout, /accounting for 10ms, 20\.00% of 50ms total/);
  const out = join(dir, 'cpu.pb.gz');
  const r = await runCli(['trace', 'summary', '--pprof', 'cpu', '--output', out, file], undefined, { stdoutIsTTY: false });
  assert.equal(r.code, 0, r.stderr);
  const again = await runCli(['top', out]);
  assert.match(again.stdout, /Showing nodes accounting for 50ms, 100% of 50ms total/);
});

test('the Go 1.25 trace\'s CPU samples all reach the CPU profile', { skip: !existsSync(join(sharedDir, 'peer-trace')) && 'needs ../shared/peer-trace' }, () => {
  const t = readTrace(readFileSync(join(sharedDir, 'peer-trace/traces/go1.25/test-encoding-json.trace')), 'json.trace');
  let n = 0;
  const goroutines = new Set<number>();
  for (let i = 0; i < t.events.length; i++) {
    if (t.events.type[i] === EventType.CPUSample) n++;
    else if (t.events.type[i] === EventType.GoStart) goroutines.add(t.events.g[i]!);
  }
  assert.ok(n > 0, 'the trace holds CPU samples');
  const p = cpuProfile(t);
  let count = 0;
  for (let i = 0; i < p.samples.length; i++) count += p.samples.values[2 * i]!;
  assert.equal(count, n);
  // Every labelled goroutine is one the trace ran.
  for (const [, g] of rows(p)) if (g !== '-') assert.ok(goroutines.has(Number(g)), `goroutine ${g} ran`);
});

test('the 100 Hz period fits a program whose CPU time is known: fgprof spends 30% of 3 s in main', { skip: !existsSync(join(sharedDir, 'peer-trace')) && 'needs ../shared/peer-trace' }, () => {
  // fgprof.go.txt: runtime/pprof at its default rate, trace stopped after 3 s; main's loop is a
  // 60 ms request, 30 ms of CPU in main.cpuIntensiveTask, a 10 ms sleep: about 0.3 × 3 s = 900 ms
  // (a little less, as the request takes longer than 60 ms). Another period would be 10× off.
  const t = readTrace(readFileSync(join(sharedDir, 'peer-trace/traces/go1.21/fgprof.trace')), 'fgprof.trace');
  const hot = rows(cpuProfile(t)).filter(([fn]) => fn === 'main.cpuIntensiveTask');
  const ns = hot.reduce((sum, [, , , v]) => sum + v, 0);
  assert.ok(ns >= 600e6 && ns <= 950e6, `main.cpuIntensiveTask: ${ns / 1e6} ms`);
  assert.deepEqual(new Set(hot.map(([, g]) => g)), new Set(['1']), 'it runs on main, goroutine 1');
});
