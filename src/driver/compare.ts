// The comparison views beyond pprof's: `diff` (base vs new, node by node) and `trend` (a series of
// snapshots, the nodes that grow at every step). Each profile gets the same filters and the same
// sample type, chosen on the newest profile, and the units are aligned first.

import { UsageError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { resolveSampleType } from './profile-info.js';
import type { DiffView } from '../report/diff.js';
import type { GateRule } from '../report/gate-rules.js';
import type { GateView } from '../report/gate.js';
import type { TrendView } from '../report/trend.js';
import { scaleProfiles } from './combine.js';
import type { Config } from './config.js';
import { type ViewContext, prepareReport } from './driver.js';
import { withLabelFrames } from './label-frames.js';

/**
 * sameTypeConfig fixes the sample type by name, as the newest profile resolves it. (The views are
 * untrimmed: nodeValues sees to that.)
 */
function sameTypeConfig(newest: Profile, cfg: Config): Config {
  return { ...cfg, sampleIndex: resolveSampleType(newest, cfg.sampleIndex) };
}

/** diffProfiles computes the diff view of base → next. */
export async function diffProfiles(base: Profile, next: Profile, cfg: Config, ctx: ViewContext = {}): Promise<{ data: DiffView; text: string }> {
  const c = sameTypeConfig(next, cfg);
  const [b, n] = withLabelFrames(scaleProfiles([base, next]), cfg, ctx);
  const [rb, rn] = await Promise.all([prepareReport(b!, c, ctx), prepareReport(n!, c, ctx)]);
  const { diffView, renderDiff } = await import('../report/diff.js');
  const data = diffView(rb, rn, { cum: cfg.cum, nodeCount: Math.max(cfg.nodeCount, 0) }, ctx);
  return { data, text: renderDiff(data) };
}

/** gateProfiles checks the growth base → next against the rules of `diff --fail-on`. */
export async function gateProfiles(base: Profile, next: Profile, cfg: Config, rules: readonly GateRule[], ctx: ViewContext = {}): Promise<{ data: GateView; text: string }> {
  const c = sameTypeConfig(next, cfg);
  const [b, n] = withLabelFrames(scaleProfiles([base, next]), cfg, ctx);
  const [rb, rn] = await Promise.all([prepareReport(b!, c, ctx), prepareReport(n!, c, ctx)]);
  const { gateView, renderGate } = await import('../report/gate.js');
  const data = gateView(rb, rn, rules);
  return { data, text: renderGate(data) };
}

/** trendProfiles computes the trend view of snapshots, ordered by their time (given order on ties). */
export async function trendProfiles(snapshots: readonly Profile[], cfg: Config, ctx: ViewContext = {}, stackCount = 5): Promise<{ data: TrendView; text: string }> {
  if (snapshots.length < 2) throw new UsageError(`trend needs at least two profiles, got ${snapshots.length}`);
  const ordered = snapshots.map((p, i) => ({ p, i })).sort((a, b) => a.p.timeNanos - b.p.timeNanos || a.i - b.i).map((x) => x.p);
  const c = sameTypeConfig(ordered[ordered.length - 1]!, cfg);
  const reports = await Promise.all(withLabelFrames(scaleProfiles(ordered), cfg, ctx).map((p) => prepareReport(p, c, ctx)));
  const { trendView, renderTrend } = await import('../report/trend.js');
  const data = trendView(reports, { nodeCount: Math.max(cfg.nodeCount, 0), stackCount }, ctx);
  return { data, text: renderTrend(data) };
}
