// The graph of the visual reports (dot, callgrind), trimmed as pprof's newTrimmedGraph trims it:
// drop nodes below the node fraction, sort (by entropy for pictures), keep the top nodecount
// (tags counted as nodes in pictures), then drop light tags and edges and, in pictures, redundant
// residual edges. Call trees (--call-tree) are trimmed in place rather than rebuilt.

import { buildGraph, buildNodeIndex } from '../graph/build.js';
import { type LinkedGraph, type LinkedGraphOptions, callTree, linkedGraph } from '../graph/linked-graph.js';
import {
  nodesAboveCutoff,
  removeRedundantEdges,
  selectTopNodes,
  sortLinkedNodes,
  trimLowFrequencyEdges,
  trimLowFrequencyTags,
  trimTree,
} from '../graph/linked-graph-ops.js';
import { numLabelUnits } from '../profile/label-units.js';
import { scaledLabel } from '../units/measurement.js';
import type { Report, TrimInfo } from './report.js';

/** LinkedTrimOptions say which report the graph is for. */
export interface LinkedTrimOptions {
  /** A picture (dot): entropy order, tags count as nodes, redundant edges removed. */
  readonly visualMode: boolean;
  /** One node per call path (pprof's -call_tree). */
  readonly callTree: boolean;
  /** Keep object file names on nodes (callgrind). */
  readonly objNames: boolean;
  /** Compute label and numeric tags (dot's nodelets). */
  readonly tags: boolean;
}

/** linkedTrimmedGraph builds and trims the graph of a visual report. */
export function linkedTrimmedGraph(rpt: Report, t: LinkedTrimOptions): { graph: LinkedGraph; trim: Omit<TrimInfo, 'flatSum'> } {
  const o = rpt.options;
  const p = rpt.profile;
  const index = buildNodeIndex(p, { ...o.aggregation, objNames: t.objNames });
  const values = { sampleIndex: o.sampleIndex, meanDivisorIndex: o.mean ? 0 : -1 };
  let tags: LinkedGraphOptions['tags'];
  if (t.tags && p.samples.labels) {
    // pprof keeps only the `bytes` numeric label on graph nodes.
    const unit = numLabelUnits(p).units.get('bytes');
    tags = { numericKeys: new Map(unit === undefined ? [] : [['bytes', unit]]), format: (v, u) => scaledLabel(v, u, o.outputUnit) };
  }
  const gopts: LinkedGraphOptions = { ...values, dropNegative: o.dropNegative, ...(tags && { tags }) };

  // Node values do not depend on which other nodes are kept, so the node cut is decided on the
  // fast columnar graph and the linked graph is built once for the nodes above it.
  const full = buildGraph(p, index, values);
  let totalValue = 0;
  let inGraph = 0;
  for (let i = 0; i < index.info.length; i++) {
    if (full.cum[i] === 0 && full.flat[i] === 0) continue;
    if (o.dropNegative && (full.flat[i]! < 0 || (full.flat[i] === 0 && full.cum[i]! < 0))) continue;
    inGraph++;
    totalValue += full.flat[i]!;
  }
  const nodeCutoff = Math.abs(Math.trunc(totalValue * o.nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * o.edgeFraction));

  let g: LinkedGraph;
  let droppedNodes = 0;
  if (t.callTree) {
    g = callTree(p, index, gopts);
    if (nodeCutoff > 0) {
      const kept = nodesAboveCutoff(g, nodeCutoff);
      if (kept.length !== g.nodes.length) {
        droppedNodes = g.nodes.length - kept.length;
        trimTree(g, new Set(kept));
      }
    }
  } else {
    let kept: Uint8Array | undefined;
    if (nodeCutoff > 0) {
      kept = new Uint8Array(index.info.length);
      let n = 0;
      for (let i = 0; i < index.info.length; i++) {
        if ((full.cum[i] !== 0 || full.flat[i] !== 0) && Math.abs(full.cum[i]!) >= nodeCutoff) {
          if (o.dropNegative && (full.flat[i]! < 0 || (full.flat[i] === 0 && full.cum[i]! < 0))) continue;
          kept[i] = 1;
          n++;
        }
      }
      droppedNodes = inGraph - n;
      if (droppedNodes === 0) kept = undefined;
    }
    g = linkedGraph(p, index, { ...gopts, ...(kept && { kept }) });
  }
  const origCount = g.nodes.length;

  sortLinkedNodes(g, o.cumSort, t.visualMode);
  if (o.nodeCount > 0) {
    trimLowFrequencyTags(g, nodeCutoff);
    trimLowFrequencyEdges(g, edgeCutoff);
    const top = selectTopNodes(g, o.nodeCount, t.visualMode);
    if (top.length !== g.nodes.length) {
      if (t.callTree) {
        trimTree(g, new Set(top));
      } else {
        const ids = new Map(index.info.map((info, i) => [info, i]));
        const kept = new Uint8Array(index.info.length);
        for (const n of top) kept[ids.get(n.info)!] = 1;
        g = linkedGraph(p, index, { ...gopts, kept });
      }
      sortLinkedNodes(g, o.cumSort, t.visualMode);
    }
  }
  trimLowFrequencyTags(g, nodeCutoff);
  const droppedEdges = trimLowFrequencyEdges(g, edgeCutoff);
  if (t.visualMode) removeRedundantEdges(g);
  return { graph: g, trim: { origCount, droppedNodes, droppedEdges, nodeCount: g.nodes.length } };
}
