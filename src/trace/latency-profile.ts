// The four latency profiles of a Go execution trace, as `go tool trace -pprof=net|sync|syscall|sched`
// builds them (Go 1.19, cmd/trace/pprof.go), as ordinary Profiles, so every pprof view reads them.
//
// For traces of the generational format, Go 1.22+'s tool leaves GC-assist waits out of the sync
// profile, counts preemptions in the sched profile and every syscall (fast ones too, from
// Trace.fastSyscallEnds) in the syscall profile, and so does this (the switch is
// src/trace/rules.ts).
//
// Go's rules: every event of the kind's types that has a link, a stack id and a non-empty stack
// contributes the time from it to its linked event (the unblock, the syscall's exit, the start),
// when that time is above zero; events with the same stack id become one sample whose values are
// [count, nanoseconds] (sample types contentions/count and delay/nanoseconds, period type
// trace/count, period 1).

import type { Profile } from '../profile/model.js';
import type { LatencyWeight } from './latency-scope.js';
import { EventType, type Trace } from './model.js';
import { traceRules } from './rules.js';
import { traceStackProfile } from './stack-profile.js';

/** LatencyKind names one latency profile, in Go's spelling (`-pprof=sync`). */
export type LatencyKind = 'net' | 'sync' | 'syscall' | 'sched';

/** latencyKinds lists the kinds, in the order Go's documentation gives them. */
export const latencyKinds: readonly LatencyKind[] = ['net', 'sync', 'syscall', 'sched'];

/** isLatencyKind tells whether s names a latency profile. */
export function isLatencyKind(s: string): s is LatencyKind {
  return (latencyKinds as readonly string[]).includes(s);
}

/**
 * latencyEvents is, per kind, the event types whose time to their linked event counts. `sync`
 * includes GoBlockGC (a GC assist wait, not synchronization) because Go 1.19 counts it there (see
 * latencyEvents1022 for Go 1.22+'s).
 */
const latencyEvents: Record<LatencyKind, readonly number[]> = {
  net: [EventType.GoBlockNet],
  sync: [EventType.GoBlockSend, EventType.GoBlockRecv, EventType.GoBlockSelect, EventType.GoBlockSync, EventType.GoBlockCond, EventType.GoBlockGC],
  syscall: [EventType.GoSysCall],
  sched: [EventType.GoUnblock, EventType.GoCreate],
} satisfies Record<LatencyKind, readonly number[]>;

/**
 * latencyEvents1022 is what Go 1.22+'s tool counts instead (cmd/trace/pprof.go: time in a state,
 * from a transition with a stack): `sync` is waiting for a reason naming chan, sync or select, so
 * no GC-assist wait; `sched` is every runnable interval, so a preempted or yielding goroutine's
 * wait for its P (GoPreempt, GoSched, linked to its next GoStart) counts as well.
 */
const latencyEvents1022: Partial<Record<LatencyKind, readonly number[]>> = {
  sync: latencyEvents.sync.filter((ty) => ty !== EventType.GoBlockGC),
  sched: [...latencyEvents.sched, EventType.GoPreempt, EventType.GoSched],
};

/** countedEvents is the event types a kind counts under the rules that apply to trace t. */
function countedEvents(t: Trace, kind: LatencyKind): readonly number[] {
  return (traceRules(t) === 'go1.22' && latencyEvents1022[kind]) || latencyEvents[kind];
}

/** latencyTotals sums, per stack (an Events.stack value), how many events and how many ns. */
function latencyTotals(t: Trace, kind: LatencyKind, weigh?: LatencyWeight): { stacks: number[]; count: Map<number, number>; ns: Map<number, number> } {
  const wanted = new Uint8Array(256);
  for (const ty of countedEvents(t, kind)) wanted[ty] = 1;
  const ev = t.events;
  const frameStart = t.stacks.frameStart;
  const stacks: number[] = [];
  const count = new Map<number, number>();
  const ns = new Map<number, number>();
  // Go 1.22+ counts every syscall to its return; the model links only those that lost their P.
  const fastEnds = kind === 'syscall' && traceRules(t) === 'go1.22' ? t.fastSyscallEnds : undefined;
  for (let i = 0; i < ev.length; i++) {
    if (wanted[ev.type[i]!] === 0) continue;
    const link = ev.link[i]!;
    const stack = ev.stack[i]!;
    const end = link >= 0 ? ev.ts[link]! : fastEnds?.get(i);
    if (end === undefined || stack === 0 || frameStart[stack] === frameStart[stack + 1]) continue;
    const d = weigh === undefined ? end - ev.ts[i]! : weigh(i, ev.ts[i]!, end);
    if (!(d > 0)) continue;
    const n = count.get(stack);
    if (n === undefined) {
      stacks.push(stack);
      count.set(stack, 1);
      ns.set(stack, d);
    } else {
      count.set(stack, n + 1);
      ns.set(stack, ns.get(stack)! + d);
    }
  }
  return { stacks, count, ns };
}

/**
 * latencyProfile builds one latency profile of a trace. Samples come in the order their stacks
 * first block; Go's come in map order, so only views that sort (all but `traces`) print the same
 * order, and `traces` prints the same samples. `weigh`, when given, says how much of each wait
 * counts (a goroutine group's or a region type's profile: src/trace/latency-scope.ts; the web
 * UI's time range).
 */
export function latencyProfile(t: Trace, kind: LatencyKind, weigh?: LatencyWeight): Profile {
  const { stacks, count, ns } = latencyTotals(t, kind, weigh);
  const values = new Float64Array(stacks.length * 2);
  stacks.forEach((k, s) => {
    values[2 * s] = count.get(k)!;
    values[2 * s + 1] = ns.get(k)!;
  });
  return traceStackProfile(t, {
    stacks,
    values,
    sampleTypes: [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    periodType: { type: 'trace', unit: 'count' },
    period: 1,
  });
}
