// The timeline's server side on a large trace: the time to compute the timeline once, its memory,
// and the time of the range queries the page makes (lanes at 1,500 px for the whole trace and for
// 1 ms, counters, a range's statistics). `node dist/bench/trace-timeline.js TRACE`.

import { readFileSync } from 'node:fs';
import { readTrace } from '../src/trace/read.js';
import { readVmHwm } from './measure.js';
import { buildTimeline, completeTimelineStep, sliceCount } from '../src/trace/timeline.js';
import { counterPoints, laneBlocks, selectionStats } from '../src/trace/timeline-query.js';

/** timeQuery runs f a few times and returns the median time (ms). */
function timeQuery(f: () => unknown, runs = 7): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[runs >> 1]!;
}

const file = process.argv[2];
if (!file) throw new Error('usage: node dist/bench/trace-timeline.js TRACE');
const t0 = performance.now();
const trace = readTrace(readFileSync(file), file);
const t1 = performance.now();
// As the server builds it: the P lanes first, the goroutine lanes filled after (between requests).
const tl = buildTimeline(trace, { deferGoroutineLanes: true });
const t2 = performance.now();
// Step by step, as the server fills them between requests: the longest step is what a request may wait.
let longestStep = 0;
for (;;) {
  const s0 = performance.now();
  const more = completeTimelineStep(tl);
  longestStep = Math.max(longestStep, performance.now() - s0);
  if (!more) break;
}
const t3 = performance.now();
const rss = process.memoryUsage().rss;
const width = 1500;
const procs = tl.lanes.flatMap((l, i) => (l.kind !== 'goroutine' && l.kind !== 'thread' ? [i] : []));
const goroutines = tl.lanes.flatMap((l, i) => (l.kind === 'goroutine' ? [i] : [])).slice(0, 40);
const lanes = (list: number[], a: number, b: number): number => list.reduce((n, l) => n + laneBlocks(tl, l, a, b, width).s.length, 0);
const mid = tl.end / 2;
console.log(`${file}: ${trace.events.length.toLocaleString('en')} events, ${sliceCount(tl).toLocaleString('en')} slices in ${tl.lanes.length} lanes`);
console.log(`read ${((t1 - t0) / 1000).toFixed(1)} s, timeline ${((t2 - t1) / 1000).toFixed(2)} s to the P lanes, ${((t3 - t2) / 1000).toFixed(2)} s more for the goroutine lanes (longest step ${longestStep.toFixed(0)} ms), RSS ${(rss / 2 ** 20).toFixed(0)} MB, peak ${((readVmHwm(process.pid) ?? 0) / 1024).toFixed(0)} MB`);
const byKind = new Map<string, { lanes: number; slices: number }>();
tl.lanes.forEach((l, i) => {
  const k = byKind.get(l.kind) ?? { lanes: 0, slices: 0 };
  k.lanes++;
  k.slices += tl.laneStart[i + 1]! - tl.laneStart[i]!;
  byKind.set(l.kind, k);
});
console.log(`lanes (slices): ${[...byKind].map(([k, v]) => `${k} ${v.lanes} (${v.slices.toLocaleString('en')})`).join(', ')}; counter points: ${tl.counters.map((c) => `${c.name} ${c.at.length.toLocaleString('en')}`).join(', ')}`);
const f0 = performance.now();
lanes(procs, 0, tl.end);
const f1 = performance.now();
counterPoints(tl, 0, tl.end, width);
const f2 = performance.now();
console.log(`first procs view, whole trace (builds the levels of detail): ${(f1 - f0).toFixed(0)} ms; first counters (their block maxima): ${(f2 - f1).toFixed(0)} ms`);
console.log(`procs view, whole trace: ${timeQuery(() => lanes(procs, 0, tl.end)).toFixed(1)} ms (${lanes(procs, 0, tl.end)} blocks)`);
console.log(`procs view, 1 ms: ${timeQuery(() => lanes(procs, mid, mid + 1e6)).toFixed(2)} ms (${lanes(procs, mid, mid + 1e6)} blocks)`);
console.log(`40 goroutine lanes, whole trace: ${timeQuery(() => lanes(goroutines, 0, tl.end)).toFixed(1)} ms`);
console.log(`counters, whole trace: ${timeQuery(() => counterPoints(tl, 0, tl.end, width)).toFixed(1)} ms; 1 ms: ${timeQuery(() => counterPoints(tl, mid, mid + 1e6, width)).toFixed(2)} ms`);
console.log(`range statistics, whole trace: ${timeQuery(() => selectionStats(tl, 0, tl.end), 3).toFixed(0)} ms; 1 ms: ${timeQuery(() => selectionStats(tl, mid, mid + 1e6)).toFixed(1)} ms`);
