// The four latency profiles of a Go execution trace, as `go tool trace -pprof=net|sync|syscall|sched`
// builds them (Go 1.19, cmd/trace/pprof.go), as ordinary Profiles, so every pprof view reads them.
//
// For traces of the generational format, Go 1.22+'s tool leaves GC-assist waits out of the sync
// profile, and so does this (the switch is src/trace/rules.ts). Its other changes (the sched
// profile counting every runnable interval, preemptions too) are not followed yet.
//
// Go's rules: every event of the kind's types that has a link, a stack id and a non-empty stack
// contributes the time from it to its linked event (the unblock, the syscall's exit, the start),
// when that time is above zero; events with the same stack id become one sample whose values are
// [count, nanoseconds] (sample types contentions/count and delay/nanoseconds, period type
// trace/count, period 1). Locations are keyed by PC (address = PC, no mapping), functions by file and
// name; a location has the one line of its frame.

import type { Profile } from '../profile/model.js';
import { StringTable } from '../profile/string-table.js';
import { Growable } from '../profile/growable.js';
import { EventType, type Trace } from './model.js';
import { traceRules } from './rules.js';

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
 * includes GoBlockGC (a GC assist wait, not synchronization) because Go 1.19 counts it there; Go
 * 1.22+'s tool keeps only block reasons that name a channel, select or sync (see syncEvents1022).
 */
const latencyEvents: Record<LatencyKind, readonly number[]> = {
  net: [EventType.GoBlockNet],
  sync: [EventType.GoBlockSend, EventType.GoBlockRecv, EventType.GoBlockSelect, EventType.GoBlockSync, EventType.GoBlockCond, EventType.GoBlockGC],
  syscall: [EventType.GoSysCall],
  sched: [EventType.GoUnblock, EventType.GoCreate],
} satisfies Record<LatencyKind, readonly number[]>;

/** syncEvents1022 is `sync` under Go 1.22+'s rules: Go 1.19's without the GC-assist wait. */
const syncEvents1022 = latencyEvents.sync.filter((ty) => ty !== EventType.GoBlockGC);

/** countedEvents is the event types a kind counts under the rules that apply to trace t. */
function countedEvents(t: Trace, kind: LatencyKind): readonly number[] {
  return kind === 'sync' && traceRules(t) === 'go1.22' ? syncEvents1022 : latencyEvents[kind];
}

/** latencyTotals sums, per stack (an Events.stack value), how many events and how many ns. */
function latencyTotals(t: Trace, kind: LatencyKind): { stacks: number[]; count: Map<number, number>; ns: Map<number, number> } {
  const wanted = new Uint8Array(256);
  for (const ty of countedEvents(t, kind)) wanted[ty] = 1;
  const ev = t.events;
  const frameStart = t.stacks.frameStart;
  const stacks: number[] = [];
  const count = new Map<number, number>();
  const ns = new Map<number, number>();
  for (let i = 0; i < ev.length; i++) {
    if (wanted[ev.type[i]!] === 0) continue;
    const link = ev.link[i]!;
    const stack = ev.stack[i]!;
    if (link < 0 || stack === 0 || frameStart[stack] === frameStart[stack + 1]) continue;
    const d = ev.ts[link]! - ev.ts[i]!;
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
 * order, and `traces` prints the same samples.
 */
export function latencyProfile(t: Trace, kind: LatencyKind): Profile {
  const { stacks, count, ns } = latencyTotals(t, kind);
  const st = t.stacks;
  const strings = new StringTable();
  const fnKey = new Map<string, number>();
  const fnName = new Growable(Uint32Array);
  const fnFile = new Growable(Uint32Array);
  const locByPc = new Map<number, number>();
  const locAddress: bigint[] = [];
  const locFunction = new Growable(Int32Array);
  const locLine = new Growable(Float64Array);
  const stackStart = new Uint32Array(stacks.length + 1);
  const locations = new Growable(Uint32Array);
  const values = new Float64Array(stacks.length * 2);
  stacks.forEach((k, s) => {
    for (let f = st.frameStart[k]!; f < st.frameStart[k + 1]!; f++) {
      const pc = st.pc[f]!;
      let loc = locByPc.get(pc);
      if (loc === undefined) {
        const name = t.strings[st.fn[f]!]!;
        const file = t.strings[st.file[f]!]!;
        // Go keys functions by file+name concatenated; a separator that no path holds keeps
        // ("a/b", "c") and ("a", "b/c") apart, which Go would merge only by accident.
        const key = `${file}\n${name}`;
        let fn = fnKey.get(key);
        if (fn === undefined) {
          fn = fnName.length;
          fnKey.set(key, fn);
          fnName.push(strings.add(name));
          fnFile.push(strings.add(file));
        }
        loc = locAddress.length;
        locByPc.set(pc, loc);
        locAddress.push(BigInt(pc));
        locFunction.push(fn);
        locLine.push(st.line[f]!);
      }
      locations.push(loc);
    }
    stackStart[s + 1] = locations.length;
    values[2 * s] = count.get(k)!;
    values[2 * s + 1] = ns.get(k)!;
  });
  const nFn = fnName.length;
  const nLoc = locAddress.length;
  const names = fnName.finish();
  return {
    strings: strings.list,
    sampleTypes: [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    defaultSampleType: '',
    samples: { length: stacks.length, stackStart, locations: locations.finish(), values },
    mappings: [],
    locations: {
      length: nLoc,
      id: Float64Array.from({ length: nLoc }, (_, i) => i + 1),
      mapping: new Int32Array(nLoc).fill(-1),
      address: BigUint64Array.from(locAddress),
      isFolded: new Uint8Array(nLoc),
      lineStart: Uint32Array.from({ length: nLoc + 1 }, (_, i) => i),
      lineFunction: locFunction.finish(),
      lineNumber: locLine.finish(),
      lineColumn: new Float64Array(nLoc),
    },
    functions: {
      length: nFn,
      id: Float64Array.from({ length: nFn }, (_, i) => i + 1),
      name: names,
      systemName: names,
      filename: fnFile.finish(),
      startLine: new Float64Array(nFn),
    },
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: { type: 'trace', unit: 'count' },
    period: 1,
    comments: [],
    docUrl: '',
  };
}
