// The call tree behind the flame graphs: every distinct stack path (root first) is one node with
// the summed value of the samples passing through it. Frames are graph nodes at the report's
// granularity, named as the text views name them, so the flame graph and `top` agree on names.
//
// The tree is built top-down by splitting the samples on their next frame, and a group worth less
// than a given fraction of the total is not split further: its value is kept, per parent, as a
// "folded" amount. A frame that small is never a pixel wide, and a 1M-sample profile whose stacks
// are all different then costs a few passes over its samples instead of a trie of millions of
// nodes.
//
// A tree has one value column per input: the profile shown, and for the diff flame graph a base,
// whose samples join the same tree by frame name.

import { buildNodeIndex } from '../graph/build.js';
import { type AggregationOptions, printableName } from '../graph/node-info.js';
import { Growable } from '../profile/growable.js';
import type { Profile } from '../profile/model.js';

/** TreeInput is one profile to add into a column of the tree. */
export interface TreeInput {
  readonly profile: Profile;
  readonly sampleIndex: number;
  /** Which values count (the speedscope flame graph keeps only positive ones). */
  readonly keep?: (v: number) => boolean;
}

/** CallTree: node 0 is the root (no frame); every parent precedes its children, siblings in the order first met. */
export interface CallTree {
  /** Frame names; a node's frame indexes this. */
  readonly names: readonly string[];
  readonly length: number;
  readonly parent: Int32Array;
  readonly frame: Int32Array;
  /** Per column: the value of the samples passing through the node (cum[c][0] is the total). */
  readonly cum: readonly Float64Array[];
  /** Per column: the value of the node's children too small to be split out. */
  readonly folded: readonly Float64Array[];
}

/** Up to this many samples, nothing is folded. */
const unfoldedEntries = 50_000;

/**
 * buildCallTree builds the tree of the inputs (one column each), frames aggregated as
 * `aggregation` says; groups below minFraction of their column's total (in every column) are
 * folded, in profiles of more than 50,000 samples.
 */
export function buildCallTree(inputs: readonly TreeInput[], aggregation: AggregationOptions, minFraction: number): CallTree {
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  // Every kept sample of every input, as one list of entries: its column, value and frames (root first).
  const column = new Growable(Uint8Array, 1024);
  const value = new Growable(Float64Array, 1024);
  const seqStart = new Growable(Uint32Array, 1024);
  const seq = new Growable(Int32Array, 4096);
  const totals = inputs.map(() => 0);
  inputs.forEach((input, c) => {
    const p = input.profile;
    const index = buildNodeIndex(p, aggregation);
    const ids = index.info.map((info) => {
      const name = printableName(info);
      let id = nameIds.get(name);
      if (id === undefined) {
        id = names.length;
        names.push(name);
        nameIds.set(name, id);
      }
      return id;
    });
    const { locNodeStart, locNodes } = index;
    const { stackStart, locations, values } = p.samples;
    const nTypes = p.sampleTypes.length;
    for (let s = 0; s < p.samples.length; s++) {
      const v = values[s * nTypes + input.sampleIndex]!;
      if (v === 0 || (input.keep && !input.keep(v)) || stackStart[s] === stackStart[s + 1]) continue;
      column.push(c);
      value.push(v);
      seqStart.push(seq.length);
      totals[c] += Math.abs(v);
      // Root first: the stack is leaf first, and so are the inlined frames of a location.
      for (let k = stackStart[s + 1]! - 1; k >= stackStart[s]!; k--) {
        const l = locations[k]!;
        for (let j = locNodeStart[l + 1]! - 1; j >= locNodeStart[l]!; j--) seq.push(ids[locNodes[j]!]!);
      }
    }
  });
  seqStart.push(seq.length);
  // Small profiles are shown whole: folding pays only where there are many samples.
  const fraction = column.length <= unfoldedEntries ? 0 : minFraction;
  return splitTree(names, column.finish(), value.finish(), seqStart.finish(), seq.finish(), inputs.length, totals.map((t) => t * fraction));
}

/** splitTree groups the entries level by level; see buildCallTree. */
function splitTree(
  names: readonly string[],
  column: Uint8Array,
  value: Float64Array,
  seqStart: Uint32Array,
  seq: Int32Array,
  columns: number,
  minValue: readonly number[],
): CallTree {
  const n = column.length;
  const parent = new Growable(Int32Array, 256);
  const frame = new Growable(Int32Array, 256);
  const cum = Array.from({ length: columns }, () => new Growable(Float64Array, 256));
  const folded = Array.from({ length: columns }, () => new Growable(Float64Array, 256));
  const addNode = (p: number, f: number): number => {
    parent.push(p);
    frame.push(f);
    for (let c = 0; c < columns; c++) {
      cum[c]!.push(0);
      folded[c]!.push(0);
    }
    return parent.length - 1;
  };
  addNode(-1, -1);
  for (let i = 0; i < n; i++) cum[column[i]!]!.data[0] += Math.abs(value[i]!);

  // Work items: a node and its entries, perm[lo..hi), all with `depth` frames matched so far.
  const perm = new Uint32Array(n);
  const scratch = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const work: [node: number, lo: number, hi: number, depth: number][] = [[0, 0, n, 0]];
  // Group of each frame within the current item, -1 when none; reset after each item.
  const groupOf = new Int32Array(names.length).fill(-1);
  while (work.length > 0) {
    const [node, lo, hi, depth] = work.pop()!;
    // Group the entries that go deeper by their next frame, in the order first met.
    const groupFrame: number[] = [];
    const groupCount: number[] = [];
    const groupSum: number[][] = [];
    for (let k = lo; k < hi; k++) {
      const e = perm[k]!;
      const at = seqStart[e]! + depth;
      if (at >= seqStart[e + 1]!) continue; // the stack ends here: self value
      const f = seq[at]!;
      let g = groupOf[f]!;
      if (g === -1) {
        g = groupFrame.length;
        groupOf[f] = g;
        groupFrame.push(f);
        groupCount.push(0);
        groupSum.push(new Array<number>(columns).fill(0));
      }
      groupCount[g]!++;
      groupSum[g]![column[e]!] += Math.abs(value[e]!);
    }
    if (groupFrame.length === 0) continue;
    // Lay the groups out contiguously, in order (a stable counting sort through scratch); entries
    // whose stack ended here drop out of the range.
    const groupStart: number[] = [];
    let pos = lo;
    for (const c of groupCount) {
      groupStart.push(pos);
      pos += c;
    }
    const fill = [...groupStart];
    for (let k = lo; k < hi; k++) {
      const e = perm[k]!;
      const at = seqStart[e]! + depth;
      if (at < seqStart[e + 1]!) scratch[fill[groupOf[seq[at]!]!]!++] = e;
    }
    for (const f of groupFrame) groupOf[f] = -1;
    perm.set(scratch.subarray(lo, pos), lo);
    const items: (typeof work)[number][] = [];
    for (let g = 0; g < groupFrame.length; g++) {
      const sums = groupSum[g]!;
      if (sums.every((s, c) => s < minValue[c]!)) {
        for (let c = 0; c < columns; c++) folded[c]!.data[node] += sums[c]!;
        continue;
      }
      const child = addNode(node, groupFrame[g]!);
      for (let c = 0; c < columns; c++) cum[c]!.data[child] = sums[c]!;
      items.push([child, groupStart[g]!, groupStart[g]! + groupCount[g]!, depth + 1]);
    }
    // Reversed onto the stack, so that the first child's subtree is built first.
    for (let k = items.length - 1; k >= 0; k--) work.push(items[k]!);
  }
  return {
    names,
    length: parent.length,
    parent: parent.finish(),
    frame: frame.finish(),
    cum: cum.map((c) => c.finish()),
    folded: folded.map((f) => f.finish()),
  };
}

/** childLists returns each node's children, siblings in the order first met, as offsets into one array. */
export function childLists(t: CallTree): { start: Uint32Array; list: Uint32Array } {
  const start = new Uint32Array(t.length + 1);
  for (let i = 1; i < t.length; i++) start[t.parent[i]! + 1]!++;
  for (let i = 0; i < t.length; i++) start[i + 1] = start[i + 1]! + start[i]!;
  const fill = start.slice(0, t.length);
  const list = new Uint32Array(start[t.length]!);
  for (let i = 1; i < t.length; i++) list[fill[t.parent[i]!]!++] = i;
  return { start, list };
}
