// The profiles a Go execution trace yields (`--pprof KIND`): Go's four latency profiles, and the
// CPU profile of the CPU samples the trace holds.

import type { Profile } from '../profile/model.js';
import { cpuProfile } from './cpu-profile.js';
import { type LatencyKind, latencyKinds, latencyProfile } from './latency-profile.js';
import type { Trace } from './model.js';

/** TraceProfileKind names one profile of a trace. */
export type TraceProfileKind = LatencyKind | 'cpu';

/** traceProfileKinds lists them: Go's latency profiles in Go's order, then cpu. */
export const traceProfileKinds: readonly TraceProfileKind[] = [...latencyKinds, 'cpu'];

/** traceProfile builds the kind profile of a trace. */
export function traceProfile(t: Trace, kind: TraceProfileKind): Profile {
  return kind === 'cpu' ? cpuProfile(t) : latencyProfile(t, kind);
}
