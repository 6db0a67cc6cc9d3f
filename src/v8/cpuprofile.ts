// V8's CPU profile (`.cpuprofile`: what `node --cpu-prof`, DevTools and the inspector's
// Profiler.stop write) as a pprof Profile.
//
// The format (DevTools protocol, Profiler.Profile): `nodes` is the call tree (id, callFrame,
// children, hitCount, positionTicks: the 1-based lines its own samples were on), `samples` the
// leaf node of each sample in the order taken, `timeDeltas` the microseconds from the previous
// sample (the first from `startTime`). V8 may record a few samples out of order (negative
// deltas); DevTools sorts them by time, and so do we.
//
// Each V8 sample becomes one pprof sample, in time order, valued `samples` = 1 and `cpu` = the
// time since the previous sample, so the cpu total is the last sample's time − startTime, the sum
// of the file's timeDeltas, and the web UI's Time Order view (stacks in the order first met) shows
// them in the order they first ran. A leaf frame's line comes from positionTicks: a node's k-th
// sample goes to the line its ticks reach at k (the ticks give the count per line, not which
// sample was where).

import { ProfileError } from '../profile/errors.js';
import { Growable } from '../profile/growable.js';
import type { Profile } from '../profile/model.js';
import { type CallFrame, FrameTables, NodeStacks, type V8ConvertOptions, isRoot, v8Profile } from './frames.js';

/** CpuProfileNode is one node of a .cpuprofile's tree. */
interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
  readonly positionTicks?: readonly { readonly line: number; readonly ticks: number }[];
}

/** CpuProfileJson is a .cpuprofile as parsed JSON, checked by isCpuProfile. */
export interface CpuProfileJson {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** isCpuProfile tells whether parsed JSON has a .cpuprofile's shape (its first node checked). */
export function isCpuProfile(v: unknown): v is CpuProfileJson {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o.nodes) && typeof o.startTime === 'number' && typeof o.endTime === 'number' && (o.nodes.length === 0 || isNode(o.nodes[0]));
}

function isNode(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const n = v as Record<string, unknown>;
  return typeof n.id === 'number' && isCallFrame(n.callFrame);
}

/** isCallFrame tells whether a value is a Runtime.CallFrame as V8's profiles write it. */
export function isCallFrame(v: unknown): v is CallFrame {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return typeof f.functionName === 'string' && typeof f.url === 'string' && typeof f.lineNumber === 'number' && typeof f.columnNumber === 'number';
}

/** cpuProfileToProfile converts a .cpuprofile; errors say which part is malformed. */
export function cpuProfileToProfile(p: CpuProfileJson, o: V8ConvertOptions = {}): Profile {
  const fail = (why: string): never => {
    throw new ProfileError(`malformed V8 CPU profile: ${why}`);
  };
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  if (!Array.isArray(samples) || !Array.isArray(deltas)) fail('samples and timeDeltas must be arrays');
  if (samples.length !== deltas.length) fail(`${samples.length} samples but ${deltas.length} timeDeltas`);
  const byId = new Map<number, CpuProfileNode>();
  const parents = new Map<number, number>();
  p.nodes.forEach((n, i) => {
    if (!isNode(n)) fail(`node ${i} has no id or call frame`);
    if (byId.has(n.id)) fail(`node id ${n.id} appears twice`);
    byId.set(n.id, n);
  });
  for (const n of p.nodes) {
    if (n.children !== undefined && !Array.isArray(n.children)) fail(`node ${n.id}: children is not an array`);
    if (n.positionTicks !== undefined && !(Array.isArray(n.positionTicks) && n.positionTicks.every(isTick))) {
      fail(`node ${n.id}: positionTicks must be {line, ticks} pairs of whole numbers`);
    }
    for (const c of n.children ?? []) {
      if (!byId.has(c)) fail(`node ${n.id} has a child ${c} that is no node`);
      if (parents.has(c)) fail(`node ${c} has two parents`);
      parents.set(c, n.id);
    }
  }
  rejectCycles(byId, parents, fail);

  // Sample times, then the samples sorted by them (stable: equal times keep the file's order).
  const times = new Float64Array(samples.length);
  let t = p.startTime;
  for (let i = 0; i < samples.length; i++) {
    const d = deltas[i];
    if (typeof d !== 'number' || !Number.isFinite(d)) fail(`timeDeltas[${i}] is not a number`);
    t += d!;
    times[i] = t;
    if (!byId.has(samples[i]!)) fail(`sample ${i} names node ${samples[i]}, which is not in the tree`);
  }
  const order = Array.from({ length: samples.length }, (_, i) => i);
  if (times.some((x, i) => i > 0 && x < times[i - 1]!)) order.sort((a, b) => times[a]! - times[b]! || a - b);

  const frames = new FrameTables(o.mapFrame);
  const stacks = new NodeStacks(frames, byId, parents);
  stacks.checkSize(samples.map((id) => byId.get(id)!));
  const lineOf = leafLines(byId);
  const stackStart = new Uint32Array(samples.length + 1);
  const locations = new Growable(Uint32Array, samples.length * 8);
  const values = new Float64Array(samples.length * 2);
  let prev = p.startTime;
  order.forEach((s, i) => {
    const node = byId.get(samples[s]!)!;
    if (!isRoot(node)) {
      locations.push(frames.location(node.callFrame, lineOf(node)));
      stacks.pushCallers(node, locations);
    }
    stackStart[i + 1] = locations.length;
    values[2 * i] = 1;
    // Microseconds to nanoseconds; a sample stamped before startTime counts for nothing.
    values[2 * i + 1] = Math.max(0, Math.round((times[s]! - prev) * 1000));
    prev = Math.max(prev, times[s]!);
  });
  const intervalMicros = samples.length > 1 ? (times[order[samples.length - 1]!]! - times[order[0]!]!) / (samples.length - 1) : 0;
  return v8Profile(frames, { length: samples.length, stackStart, locations: locations.finish(), values }, {
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    defaultSampleType: 'cpu',
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    // The mean interval between samples: V8 records no sampling interval in the file.
    period: Math.round(intervalMicros * 1000),
    timeNanos: 0,
    durationNanos: Math.max(0, Math.round((p.endTime - p.startTime) * 1000)),
    comments: [],
  });
}

/**
 * leafLines hands out, for each node, the lines of its own samples from its positionTicks:
 * undefined (the function's first line) when it has none.
 */
function leafLines(byId: ReadonlyMap<number, CpuProfileNode>): (n: CpuProfileNode) => number | undefined {
  const taken = new Map<number, number>();
  return (n) => {
    const ticks = n.positionTicks;
    if (!Array.isArray(ticks) || ticks.length === 0 || !byId.has(n.id)) return undefined;
    const k = taken.get(n.id) ?? 0;
    taken.set(n.id, k + 1);
    let reach = 0;
    for (const pt of ticks) {
      reach += pt.ticks;
      if (k < reach) return pt.line;
    }
    // More samples than ticks (V8 counts them apart): the last line takes the rest.
    return ticks[ticks.length - 1]!.line;
  };
}

function isTick(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return Number.isInteger(t.line) && (t.line as number) > 0 && Number.isInteger(t.ticks) && (t.ticks as number) >= 0;
}

/** rejectCycles fails when following parents from some node comes back to it. */
export function rejectCycles(byId: ReadonlyMap<number, unknown>, parents: ReadonlyMap<number, number>, fail: (why: string) => never): void {
  const done = new Set<number>();
  for (const id of byId.keys()) {
    const path = new Set<number>();
    let cur: number | undefined = id;
    while (cur !== undefined && !done.has(cur)) {
      if (path.has(cur)) fail(`node ${cur} is its own ancestor`);
      path.add(cur);
      cur = parents.get(cur);
    }
    for (const x of path) done.add(x);
  }
}
