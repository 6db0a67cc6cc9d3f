// Brendan Gregg's folded stacks, the input of flamegraph.pl, inferno and many other tools: one
// line per distinct stack, frames root first joined by `;`, then a space and the stack's value.

import type { CallTree } from '../web/call-tree.js';
import { childLists } from '../web/call-tree.js';

/**
 * foldedFrame makes a name fit the format, which has no escapes: a `;` would split the frame and
 * a line break would start a new stack, so both become `_` (every name is untrusted).
 */
export function foldedFrame(name: string): string {
  return name.replace(/[;\r\n\u2028\u2029]/g, '_');
}

/** foldedStacks writes the self value of every stack of the tree (column 0) that has one, depth first. */
export function foldedStacks(t: CallTree): string {
  const { start, list } = childLists(t);
  const cum = t.cum[0]!;
  const names = t.names.map(foldedFrame);
  const out: string[] = [];
  // Each node's stack text extends its parent's: built once per node, not once per line from its frames.
  const stackText: string[] = new Array<string>(t.length);
  stackText[0] = '';
  // An explicit stack: a deep profile must not overflow the call stack.
  const work: number[] = [0];
  while (work.length > 0) {
    const node = work.pop()!;
    if (node !== 0) {
      const up = stackText[t.parent[node]!]!;
      stackText[node] = up === '' ? names[t.frame[node]!]! : `${up};${names[t.frame[node]!]!}`;
    }
    let self = cum[node]!;
    for (let k = start[node]!; k < start[node + 1]!; k++) self -= cum[list[k]!]!;
    // Sums of fractional values (after --divide-by) may leave rounding dust, not a stack.
    if (node !== 0 && self > cum[node]! * 1e-12) out.push(`${stackText[node]} ${formatValue(self)}\n`);
    for (let k = start[node + 1]! - 1; k >= start[node]!; k--) work.push(list[k]!);
  }
  return out.join('');
}

/** formatValue writes whole values as integers, others with up to 6 decimals (after --divide-by or --mean). */
function formatValue(v: number): string {
  return Number.isInteger(v) ? v.toFixed(0) : String(Math.round(v * 1e6) / 1e6);
}
