// Reading a trace where a profile is expected: `proflens top --pprof sync trace.out` parses the
// source as a Go execution trace and hands on the profile it asks for (a latency profile, or cpu).

import { ProfileError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { type TraceProfileKind, type TraceProfileScope, traceProfile } from './trace-profiles.js';
import { readTrace, traceVersion } from './read.js';

/** latencyParser returns a parse function (bytes → Profile) that reads traces as `kind` profiles (of a group or region type, when `scope` says). */
export function latencyParser(kind: TraceProfileKind, scope: TraceProfileScope = {}): (bytes: Uint8Array, source: string) => Profile {
  return (bytes, source) => {
    if (bytes.length >= 16 && traceVersion(bytes) === undefined) {
      throw new ProfileError(`${source}: not a Go execution trace (--pprof ${kind} builds a profile from a trace, such as /debug/pprof/trace)`);
    }
    return traceProfile(readTrace(bytes, source), kind, scope);
  };
}
