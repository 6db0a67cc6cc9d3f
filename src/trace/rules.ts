// Which `go tool trace` an analysis follows for a trace. Go 1.22 rewrote the tool together with the
// trace format, and changed what some answers mean (the sync profile stopped counting GC-assist
// waits, goroutine analysis went by state transitions). Each analysis asks here, so that the
// version switch lives in one place rather than as `version >= 1022` scattered through them.

import type { Trace } from './model.js';

/** TraceRules names the tool whose meaning an analysis follows: Go 1.19's or Go 1.22+'s. */
export type TraceRules = 'go1.19' | 'go1.22';

/** traceRules picks the rules for a trace: Go 1.22+'s for the generational format it introduced. */
export function traceRules(t: Pick<Trace, 'version'>): TraceRules {
  return t.version >= 1022 ? 'go1.22' : 'go1.19';
}
