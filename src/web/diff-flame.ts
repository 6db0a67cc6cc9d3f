// The diff flame graph's data: the call tree of the current profile with, for every frame, its
// value in the base too. The page draws it itself (speedscope has no notion of a second profile)
// and colours each frame by how much it grew or shrank.

import type { Report } from '../report/report.js';
import { buildCallTree, childLists } from './call-tree.js';

/** Frames below this fraction of both totals are folded, as in the speedscope flame graph. */
const minFraction = 1e-4;

/** DiffTree is what the page receives: parallel arrays, parents before children, siblings largest first. */
export interface DiffTree {
  readonly sampleType: string;
  readonly unit: string;
  readonly names: readonly string[];
  readonly parent: readonly number[];
  readonly frame: readonly number[];
  /** Value in the current profile (the width of the frame). */
  readonly current: readonly number[];
  readonly base: readonly number[];
}

/** diffTreeJson builds the diff tree of two filtered reports of the same sample type. */
export function diffTreeJson(cur: Report, base: Report): DiffTree {
  const t = buildCallTree(
    [
      { profile: cur.profile, sampleIndex: cur.options.sampleIndex },
      { profile: base.profile, sampleIndex: base.options.sampleIndex },
    ],
    cur.options.aggregation,
    minFraction,
  );
  const [now, then] = t.cum as [Float64Array, Float64Array];
  const { start, list } = childLists(t);
  // Depth-first from the root, siblings by current value, so the page can lay frames out in one pass.
  const order: number[] = [];
  const stack = [0];
  while (stack.length > 0) {
    const n = stack.pop()!;
    order.push(n);
    const kids = Array.from(list.subarray(start[n]!, start[n + 1]!)).sort((a, b) => now[a]! - now[b]!);
    for (const k of kids) stack.push(k);
  }
  const pos = new Map<number, number>(order.map((n, i) => [n, i]));
  return {
    sampleType: cur.options.sampleType,
    unit: cur.options.sampleUnit,
    names: t.names,
    parent: order.map((n) => (n === 0 ? -1 : pos.get(t.parent[n]!)!)),
    frame: order.map((n) => t.frame[n]!),
    current: order.map((n) => now[n]!),
    base: order.map((n) => then[n]!),
  };
}
