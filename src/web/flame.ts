// The flame graph's data: one sample type of the filtered profile as a speedscope JSON file.
//
// speedscope reads pprof protobuf too, but we hand it its own format: the call tree is computed
// here from the report (sample type, filters and granularity chosen in the page, frames named as
// `top` names them), identical stacks are merged, and frames too small to ever be a pixel wide are
// folded into their parent, so that a 1M-sample profile reaches the browser as a few MB of JSON
// that speedscope imports in a fraction of a second, instead of the whole protobuf it would have to
// decode and walk sample by sample.

import type { Report } from '../report/report.js';
import { type CallTree, buildCallTree, childLists } from './call-tree.js';

/** speedscope's value units; anything else is shown as a plain number. */
const speedscopeUnits = new Set(['nanoseconds', 'microseconds', 'milliseconds', 'seconds', 'bytes']);

/**
 * Frames below this fraction of the total are folded, per parent, into one frame named
 * `foldedName`: at 1e-4 a frame is a fifth of a pixel wide on a 2,000-pixel screen. Profiles of up
 * to 50,000 samples are shown whole; a 1M-sample one shrinks from millions of frames to thousands.
 */
export const minFrameFraction = 1e-4;
export const foldedName = '(frames under 0.01% of the total)';

/** flameTree is the call tree of the report's sample type, positive values only (speedscope draws no negative weight). */
export function flameTree(rpt: Report): CallTree {
  const o = rpt.options;
  return buildCallTree([{ profile: rpt.profile, sampleIndex: o.sampleIndex, keep: (v) => v > 0 }], o.aggregation, minFrameFraction);
}

/** speedscopeJson renders a one-column call tree as a speedscope file with one evented profile. */
export function speedscopeJson(t: CallTree, rpt: Report, title: string): string {
  const cum = t.cum[0]!;
  const total = cum[0]!;
  const { start, list } = childLists(t);
  // Only frames that are drawn go in the frame table.
  const frameOut = new Int32Array(t.names.length).fill(-1);
  const frames: string[] = [];
  const events: string[] = [];
  let foldedFrame = -1;
  const frameIndex = (f: number): number => {
    if (frameOut[f] === -1) {
      frameOut[f] = frames.length;
      frames.push(`{"name":${JSON.stringify(t.names[f])}}`);
    }
    return frameOut[f]!;
  };
  // Depth-first, children in the order first met: speedscope's Time Order then follows the profile.
  // Each open node keeps a cursor: where its next child starts (children first, its self value last).
  const nodes: number[] = [0];
  const starts: number[] = [0];
  const cursors: number[] = [0];
  const nextChild: number[] = [start[0]!];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top]!;
    if (nextChild[top]! < start[node + 1]!) {
      const child = list[nextChild[top]!++]!;
      events.push(`{"type":"O","frame":${frameIndex(t.frame[child]!)},"at":${cursors[top]}}`);
      nodes.push(child);
      starts.push(cursors[top]!);
      cursors.push(cursors[top]!);
      nextChild.push(start[child]!);
      continue;
    }
    const small = t.folded[0]![node]!;
    if (small > 0) {
      if (foldedFrame === -1) {
        foldedFrame = frames.length;
        frames.push(`{"name":${JSON.stringify(foldedName)}}`);
      }
      events.push(`{"type":"O","frame":${foldedFrame},"at":${cursors[top]}}`, `{"type":"C","frame":${foldedFrame},"at":${cursors[top]! + small}}`);
    }
    const end = starts[top]! + cum[node]!;
    if (node !== 0) events.push(`{"type":"C","frame":${frameOut[t.frame[node]!]},"at":${end}}`);
    nodes.pop();
    starts.pop();
    cursors.pop();
    nextChild.pop();
    if (top > 0) cursors[top - 1] = end;
  }
  const o = rpt.options;
  const unit = speedscopeUnits.has(o.sampleUnit) ? o.sampleUnit : 'none';
  return (
    `{"$schema":"https://www.speedscope.app/file-format-schema.json","exporter":"proflens","name":${JSON.stringify(title)},` +
    `"activeProfileIndex":0,"shared":{"frames":[${frames.join(',')}]},` +
    `"profiles":[{"type":"evented","name":${JSON.stringify(`${title} — ${o.sampleType}`)},"unit":"${unit}",` +
    `"startValue":0,"endValue":${total},"events":[${events.join(',')}]}]}`
  );
}
