// The profiles a Go execution trace yields (`--pprof KIND`): Go's four latency profiles, and the
// CPU profile of the CPU samples the trace holds; a latency profile for the whole trace, or for one
// goroutine group (`--group`, go tool trace's /block?id=PC) or region type (`--region`, /regionblock?type=).

import { UsageError } from '../profile/errors.js';
import { compileGoRegExp } from '../profile/go-regexp.js';
import type { Profile } from '../profile/model.js';
import { regionTypes } from './annotations.js';
import { cpuProfile } from './cpu-profile.js';
import { goroutineAnalysis } from './goroutine-analysis.js';
import { type LatencyKind, latencyKinds, latencyProfile } from './latency-profile.js';
import { type LatencyWeight, groupIntervals, overlapWeight, regionIntervals } from './latency-scope.js';
import type { Trace } from './model.js';

/** TraceProfileKind names one profile of a trace. */
export type TraceProfileKind = LatencyKind | 'cpu';

/** traceProfileKinds lists them: Go's latency profiles in Go's order, then cpu. */
export const traceProfileKinds: readonly TraceProfileKind[] = [...latencyKinds, 'cpu'];

/** TraceProfileScope narrows a latency profile to one goroutine group or one region type, as the user wrote it. */
export interface TraceProfileScope {
  /** A group's start PC (decimal, as go tool trace's /goroutine?id=PC), or a regex of start functions (every matching group). */
  readonly group?: string;
  /** A region type: the regions of that name (go tool trace's /regionblock?type=NAME). */
  readonly region?: string;
}

/** traceProfile builds the kind profile of a trace, of the whole trace or of a scope. */
export function traceProfile(t: Trace, kind: TraceProfileKind, scope: TraceProfileScope = {}): Profile {
  if (kind === 'cpu') {
    if (scope.group !== undefined || scope.region !== undefined) throw new UsageError('--group and --region choose the waits of a latency profile (net, sync, syscall, sched), not cpu');
    return cpuProfile(t);
  }
  return latencyProfile(t, kind, scopeWeight(t, scope));
}

/** scopeWeight is how much of each wait the scope counts (undefined: all of it, the whole trace). */
function scopeWeight(t: Trace, { group, region }: TraceProfileScope): LatencyWeight | undefined {
  if (group !== undefined && region !== undefined) throw new UsageError('--group and --region: give one (go tool trace profiles a goroutine group or a region type)');
  if (group !== undefined) {
    const stats = goroutineAnalysis(t, { regions: false });
    const pc = /^\d+$/.test(group) ? Number(group) : undefined;
    const intervals = groupIntervals(t, stats, pc !== undefined ? (g) => g.pc === pc : nameMatcher(group));
    if (intervals.size === 0) throw new UsageError(`--group: no goroutine group ${pc !== undefined ? 'has start PC' : 'starts in a function matching'} ${group} (proflens trace goroutines lists them)`);
    return overlapWeight(t, intervals);
  }
  if (region !== undefined) {
    const rows = regionTypes(t, goroutineAnalysis(t, { regions: true }));
    if (!rows.some((r) => r.type === region)) {
      const names = [...new Set(rows.map((r) => JSON.stringify(r.type)))];
      throw new UsageError(`--region: no region of type ${JSON.stringify(region)} (${names.length > 0 ? `the trace has ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}` : 'the trace has no user regions'})`);
    }
    return overlapWeight(t, regionIntervals(rows, { type: region }));
  }
  return undefined;
}

/** nameMatcher matches groups by start function with a Go-syntax regex (RE2: linear time), as `trace goroutines --group` does. */
function nameMatcher(regex: string): (g: { name: string }) => boolean {
  try {
    const re = compileGoRegExp(regex);
    return (g) => re.test(g.name);
  } catch (e) {
    throw new UsageError(`--group: ${(e as Error).message}`);
  }
}
