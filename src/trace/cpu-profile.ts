// The CPU profile inside a Go execution trace: when runtime/pprof's CPU profiler runs while the
// program is traced, each of its samples also goes into the trace (CPUSample events, Go 1.19+),
// with the goroutine it interrupted. This turns them back into a CPU profile that every view reads.
//
// Go's runtime/pprof writes sample types samples/count and cpu/nanoseconds, period type
// cpu/nanoseconds. A trace does not record the profiler's rate, so the period is runtime/pprof's
// default rate, 100 Hz: each sample is 10 ms, as `go tool pprof` would count it for a default
// profile. Each sample keeps its goroutine as the label `goroutine`, so that a timeline can place it
// and `--tagfocus goroutine=^N$` can pick one goroutine (a bare number is a numeric range in pprof); a sample outside any goroutine has none.

import type { Profile } from '../profile/model.js';
import { EventType, type Trace } from './model.js';
import { traceStackProfile } from './stack-profile.js';

/** cpuSamplePeriodNs is the time one CPU sample stands for: runtime/pprof's default 100 Hz. */
export const cpuSamplePeriodNs = 10_000_000;

/**
 * cpuProfile builds the CPU profile of a trace's CPUSample events: one sample per distinct (stack,
 * goroutine), in the order first seen, values [count, count × 10 ms]. A sample the runtime could
 * not take a stack for stays, with an empty stack, so the total is every sample's.
 */
export function cpuProfile(t: Trace): Profile {
  const ev = t.events;
  const stacks: number[] = [];
  const goroutines: number[] = [];
  const counts: number[] = [];
  const byKey = new Map<string, number>();
  for (let i = 0; i < ev.length; i++) {
    if (ev.type[i] !== EventType.CPUSample) continue;
    const stack = ev.stack[i]!;
    const g = ev.g[i]!;
    const key = `${stack}/${g}`;
    const s = byKey.get(key);
    if (s !== undefined) {
      counts[s]!++;
      continue;
    }
    byKey.set(key, stacks.length);
    stacks.push(stack);
    goroutines.push(g);
    counts.push(1);
  }
  const values = new Float64Array(stacks.length * 2);
  counts.forEach((n, s) => {
    values[2 * s] = n;
    values[2 * s + 1] = n * cpuSamplePeriodNs;
  });
  return traceStackProfile(t, {
    stacks,
    values,
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: cpuSamplePeriodNs,
    // Goroutine 0 is the runtime's "no goroutine" (the sample hit a thread outside any goroutine).
    labels: goroutines.map((g) => (g > 0 ? [['goroutine', String(g)] as const] : [])),
  });
}
