// Reading a trace where a profile is expected: `proflens top --pprof sync trace.out` parses the
// source as a Go execution trace and hands on the latency profile it asks for.

import { ProfileError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { type LatencyKind, latencyProfile } from './latency-profile.js';
import { readTrace, traceVersion } from './read.js';

/** latencyParser returns a parse function (bytes → Profile) that reads traces as `kind` profiles. */
export function latencyParser(kind: LatencyKind): (bytes: Uint8Array, source: string) => Profile {
  return (bytes, source) => {
    if (bytes.length >= 16 && traceVersion(bytes) === undefined) {
      throw new ProfileError(`${source}: not a Go execution trace (--pprof ${kind} builds a profile from a trace, such as /debug/pprof/trace)`);
    }
    return latencyProfile(readTrace(bytes, source), kind);
  };
}
