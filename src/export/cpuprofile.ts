// V8's .cpuprofile (what Chrome DevTools, VS Code and `node --cpu-prof` read and write): a tree of
// nodes, the node of each sample in order, and the time between samples in microseconds.
//
// A pprof profile keeps values, not the order of the samples: each node's samples are written one
// after another, each lasting its share of the node's time. DevTools gives sample i the time up
// to sample i+1 (the last one: up to endTime), so timeDeltas[0] is 0 and timeDeltas[i+1] is the
// length of sample i.

import { UsageError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import type { Report } from '../report/report.js';
import { type CallTree, childLists } from '../web/call-tree.js';

/** CpuProfileNode is one node of V8's tree. */
interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
  hitCount: number;
  children?: number[];
}

/** CpuProfile is the whole document. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const nanosPer: Record<string, number> = { nanoseconds: 1, microseconds: 1e3, milliseconds: 1e6, seconds: 1e9 };

/**
 * cpuSampleColumns picks what a .cpuprofile needs of a profile: its time per sample (the chosen
 * sample type, in a time unit) and, when the profile has one, its sample count. Profiles of other
 * things (memory, contentions, goroutines, delays) are refused: V8's format holds CPU samples.
 */
export function cpuSampleColumns(rpt: Report, source: string): { time: number; count: number | undefined; nanos: number } {
  const p = rpt.profile;
  const o = rpt.options;
  const kind = p.periodType?.type ?? '';
  const nanos = nanosPer[o.sampleUnit];
  if (!(kind === 'cpu' || kind === 'wall') || nanos === undefined || o.mean) {
    const what = `${o.sampleType} (${o.sampleUnit || 'no unit'})${kind ? ` of a ${kind} profile` : ''}`;
    throw new UsageError(`--format cpuprofile: ${source}: ${what} is not CPU time; V8's .cpuprofile holds CPU samples only (Go CPU or Node wall/CPU profiles)`);
  }
  const count = p.sampleTypes.findIndex((t) => (t.type === 'samples' || t.type === 'sample') && t.unit === 'count');
  return { time: o.sampleIndex, count: count === -1 ? undefined : count, nanos };
}

/**
 * v8CpuProfile writes the tree as a .cpuprofile: column 0 holds each node's time (in units of
 * `nanos` nanoseconds), column 1, when present, its sample count; without counts, a node's samples
 * are its time over the profile's period (at least one).
 */
export function v8CpuProfile(t: CallTree, p: Profile, nanos: number): CpuProfile {
  const { start, list } = childLists(t);
  const time = t.cum[0]!;
  const counts = t.cum[1];
  const period = p.periodType && nanosPer[p.periodType.unit] !== undefined && p.period > 0 ? (p.period * nanosPer[p.periodType.unit]!) / nanos : 0;
  const micros = nanos / 1e3;
  const nodes: CpuProfileNode[] = [];
  const samples: number[] = [];
  const timeDeltas: number[] = [0];
  // V8 numbers nodes from 1, the root being "(root)"; tree node i is id i+1.
  for (let i = 0; i < t.length; i++) {
    const children: number[] = [];
    let selfTime = time[i]!;
    let selfCount = counts ? counts[i]! : 0;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const c = list[k]!;
      children.push(c + 1);
      selfTime -= time[c]!;
      if (counts) selfCount -= counts[c]!;
    }
    if (selfTime < time[i]! * 1e-12) selfTime = 0;
    let hits = 0;
    if (selfTime > 0) hits = Math.max(1, Math.round(counts ? selfCount : period > 0 ? selfTime / period : 1));
    const name = i === 0 ? '(root)' : t.names[t.frame[i]!]!;
    nodes.push({
      id: i + 1,
      callFrame: { functionName: name, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
      hitCount: hits,
      ...(children.length > 0 && { children }),
    });
    // Each hit lasts the same share of the node's time, in whole microseconds that add up exactly.
    let written = 0;
    for (let h = 1; h <= hits; h++) {
      const upTo = Math.round((selfTime * micros * h) / hits);
      samples.push(i + 1);
      timeDeltas.push(upTo - written);
      written = upTo;
    }
  }
  // The last delta is the last sample's length: it goes into endTime instead.
  const last = samples.length > 0 ? timeDeltas.pop()! : 0;
  if (samples.length === 0) timeDeltas.pop();
  const startTime = Math.round(p.timeNanos / 1e3);
  const total = timeDeltas.reduce((a, b) => a + b, 0) + last;
  return { nodes, startTime, endTime: startTime + total, samples, timeDeltas };
}
