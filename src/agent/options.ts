// The agent's settings, their defaults, and the checks that turn a mistake in them into an error
// when the agent is created rather than a surprise when someone asks for a profile.

import { dirname } from 'node:path';
import { type Registry, defaultRegistry } from '../vars/registry.js';

/** AgentOptions configure a proflens agent; every field is optional. */
export interface AgentOptions {
  /** Lets non-loopback clients in when they send `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The longest CPU profile a client may ask for, in seconds (default 300). */
  readonly maxProfileSeconds?: number;
  /** Time between CPU samples in milliseconds (default 10, Go's 100 Hz). */
  readonly cpuIntervalMs?: number;
  /**
   * Record CPU time beside wall time (sample type `cpu`, reported by default). @datadog/pprof
   * collects CPU time only per function, not per line, so this trades line numbers for it; when
   * the runtime cannot, the agent falls back to wall time with lines. Default false.
   */
  readonly cpuTime?: boolean;
  /** Start the sampling heap profiler with the agent (default true). */
  readonly heapProfiler?: boolean;
  /** Average bytes allocated between heap samples (default 512 KiB, Go's MemProfileRate). */
  readonly heapIntervalBytes?: number;
  /** Deepest stack recorded for a heap sample (default 64). */
  readonly heapStackDepth?: number;
  /**
   * Folders searched (recursively, without node_modules) for source maps, so profiles of
   * TypeScript name .ts files and lines; false turns maps off. Default: the main script's folder.
   */
  readonly sourceMaps?: false | readonly string[];
  /** The variables served on /debug/vars beside the runtime's (default: the process-wide registry). */
  readonly registry?: Registry;
  /** Receives errors inside the agent; the agent never throws them into the service. */
  readonly onError?: (error: Error) => void;
}

/** Settings are AgentOptions with every default filled in. */
export interface Settings {
  readonly token: string | undefined;
  readonly maxProfileSeconds: number;
  readonly cpuIntervalMicros: number;
  readonly cpuTime: boolean;
  readonly heapProfiler: boolean;
  readonly heapIntervalBytes: number;
  readonly heapStackDepth: number;
  readonly sourceMapDirs: readonly string[];
  readonly registry: Registry;
  readonly onError: (error: Error) => void;
}

/** settingsFrom checks the options and fills in defaults; it throws a TypeError on a bad one. */
export function settingsFrom(o: AgentOptions = {}): Settings {
  const positive = (name: string, v: number | undefined, fallback: number, integer = false): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
      throw new TypeError(`proflens agent: ${name} must be a positive ${integer ? 'whole number' : 'number'}, not ${String(v)}`);
    }
    return v;
  };
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token.length < 8)) {
    throw new TypeError('proflens agent: token must be a string of at least 8 characters');
  }
  const main = process.argv[1];
  const onError = o.onError;
  return {
    token: o.token,
    maxProfileSeconds: positive('maxProfileSeconds', o.maxProfileSeconds, 300),
    cpuIntervalMicros: Math.round(positive('cpuIntervalMs', o.cpuIntervalMs, 10) * 1000),
    cpuTime: o.cpuTime === true,
    heapProfiler: o.heapProfiler !== false,
    heapIntervalBytes: positive('heapIntervalBytes', o.heapIntervalBytes, 512 * 1024, true),
    heapStackDepth: positive('heapStackDepth', o.heapStackDepth, 64, true),
    sourceMapDirs: o.sourceMaps === false ? [] : (o.sourceMaps ?? (main ? [dirname(main)] : [])),
    registry: o.registry ?? defaultRegistry,
    onError: (e) => {
      try {
        onError?.(e);
      } catch {
        // An error handler that throws must not take the service down either.
      }
    },
  };
}
