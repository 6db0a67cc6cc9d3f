// V8's sampling heap profile (`.heapprofile`: what `node --heap-prof`, DevTools and the
// inspector's HeapProfiler.stopSampling write) as a pprof Profile.
//
// The format (DevTools protocol, HeapProfiler.SamplingHeapProfile): `head` is the allocation
// call tree (callFrame, selfSize: the bytes of its sampled objects still live, children), and
// `samples` lists each sampled object still live: its node, its size and its ordinal. V8 writes
// a sample's size already scaled up to the bytes it stands for (object size × the estimated
// number of objects it represents); a node's selfSize is about the sum of its samples' sizes (V8
// scales all objects of one size together for it, so the two differ by rounding). The samples
// are the finer record, and the profile is made of them.
//
// The file does not say how many objects a sample stands for, so the profile cannot have
// @datadog/pprof's inuse_objects (which it reads from V8's native API); it has `samples` (the
// sampled objects, unscaled, as a CPU profile counts its samples) and `inuse_space`, named as
// @datadog/pprof and Go name live bytes, so --inuse-space and --sample-index work alike.

import { ProfileError } from '../profile/errors.js';
import { Growable } from '../profile/growable.js';
import type { Profile } from '../profile/model.js';
import { isCallFrame } from './cpuprofile.js';
import { type CallFrame, FrameTables, NodeStacks, type V8ConvertOptions, isRoot, v8Profile } from './frames.js';

/** HeapProfileNode is one node of a .heapprofile's tree. */
interface HeapProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapProfileNode[];
}

/** HeapProfileJson is a .heapprofile as parsed JSON, checked by isHeapProfile. */
export interface HeapProfileJson {
  readonly head: HeapProfileNode;
  readonly samples?: readonly { readonly size: number; readonly nodeId: number; readonly ordinal?: number }[];
}

/** isHeapProfile tells whether parsed JSON has a .heapprofile's shape (its head checked). */
export function isHeapProfile(v: unknown): v is HeapProfileJson {
  if (typeof v !== 'object' || v === null) return false;
  const head = (v as Record<string, unknown>).head;
  if (typeof head !== 'object' || head === null) return false;
  const h = head as Record<string, unknown>;
  return isCallFrame(h.callFrame) && typeof h.selfSize === 'number' && Array.isArray(h.children);
}

/** heapProfileToProfile converts a .heapprofile; errors say which part is malformed. */
export function heapProfileToProfile(p: HeapProfileJson, o: V8ConvertOptions & { readonly intervalBytes?: number } = {}): Profile {
  const fail = (why: string): never => {
    throw new ProfileError(`malformed V8 heap profile: ${why}`);
  };
  // The tree, walked without recursion: nodes by id and each node's parent.
  const byId = new Map<number, HeapProfileNode>();
  const parents = new Map<number, number>();
  const todo: HeapProfileNode[] = [p.head];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (typeof n !== 'object' || n === null || !Number.isFinite(n.id) || !isCallFrame(n.callFrame)) fail('a node has no id or call frame');
    if (typeof n.selfSize !== 'number' || !(n.selfSize >= 0)) fail(`node ${n.id}: selfSize is not a size`);
    if (!Array.isArray(n.children)) fail(`node ${n.id}: children is not an array`);
    if (byId.has(n.id)) fail(`node id ${n.id} appears twice`);
    byId.set(n.id, n);
    for (const c of n.children) {
      if (typeof c === 'object' && c !== null) parents.set(c.id, n.id);
      todo.push(c);
    }
  }
  const frames = new FrameTables(o.mapFrame);
  const stacks = new NodeStacks(frames, byId, parents);

  // One pprof sample per V8 sample; a file without samples (older writers) gives one per node
  // with live bytes, its sampled-object count unknown (0).
  const list: { node: HeapProfileNode; count: number; size: number }[] = [];
  let orphans = 0;
  if (Array.isArray(p.samples) && p.samples.length > 0) {
    p.samples.forEach((s, i) => {
      if (typeof s !== 'object' || s === null || typeof s.size !== 'number' || !(s.size >= 0)) fail(`sample ${i}: size is not a size`);
      const node = byId.get(s.nodeId);
      // V8 builds the tree, then lists the samples: an object sampled in between (the profiler's
      // own allocations while it builds the tree) names a node the tree does not have.
      if (node) list.push({ node, count: 1, size: s.size });
      else orphans++;
    });
  } else {
    for (const n of byId.values()) if (n.selfSize > 0) list.push({ node: n, count: 0, size: n.selfSize });
  }
  stacks.checkSize(list.map((s) => s.node));
  const stackStart = new Uint32Array(list.length + 1);
  const locations = new Growable(Uint32Array, list.length * 8);
  const values = new Float64Array(list.length * 2);
  list.forEach((s, i) => {
    if (!isRoot(s.node)) {
      locations.push(frames.location(s.node.callFrame));
      stacks.pushCallers(s.node, locations);
    }
    stackStart[i + 1] = locations.length;
    values[2 * i] = s.count;
    values[2 * i + 1] = s.size;
  });
  return v8Profile(frames, { length: list.length, stackStart, locations: locations.finish(), values }, {
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ],
    defaultSampleType: 'inuse_space',
    periodType: { type: 'space', unit: 'bytes' },
    // The file does not record the sampling interval; attach knows it and passes it.
    period: o.intervalBytes ?? 0,
    timeNanos: 0,
    durationNanos: 0,
    comments: orphans > 0 ? [`${orphans} sample${orphans === 1 ? '' : 's'} named no node of the tree and ${orphans === 1 ? 'was' : 'were'} left out`] : [],
  });
}
