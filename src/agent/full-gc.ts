// A full garbage collection on demand, without asking the service to start with --expose-gc.
//
// Why the agent needs one: V8's CPU profiler learns where compiled code lives from code events.
// When a profile starts it logs the code that already exists, but only the code attached to
// functions; code compiled for on-stack replacement (OSR: a long loop switched to optimized code
// while running) lives in a cache beside the function and is not logged. Until the function gets
// ordinary optimized code, every call re-enters that cached OSR code, the profiler cannot name the
// frame, drops it, and charges its samples to the caller: the hot function vanishes from the
// first profile of a fresh process (issue 15.7). A full collection empties the OSR cache of
// functions not running at that moment (none are: the agent runs between event-loop turns), so the
// loops are compiled again while the profiler listens, and their code is known. `node --cpu-prof`
// never sees this because it listens from the first line of the program.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

let collect: Collect | undefined | null = null;

/**
 * fullGc runs a full (major, synchronous) collection. It returns false when the runtime does not
 * allow one, so the caller can go on without it.
 */
export function fullGc(): boolean {
  if (collect === null) collect = findCollector();
  if (!collect) return false;
  collect();
  return true;
}

/** findCollector finds gc(): the global one under --expose-gc, else one from a fresh context. */
function findCollector(): Collect | undefined {
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return global as Collect;
  try {
    // The flag only decides whether new contexts get a gc() global; turn it off again at once so
    // the service's own contexts stay as they were.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    return typeof gc === 'function' ? (gc as Collect) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
