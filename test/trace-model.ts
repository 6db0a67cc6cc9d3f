// Hand-made Trace models for tests of analyses: a few events written out, no trace file, so a test
// can hold exactly the case it works out by hand.

import { argsPerEvent, type Trace } from '../src/trace/model.js';

/** ModelEvent is one hand-made event: [type, ts, p, g, args, link]. */
export type ModelEvent = [number, number, number, number, number[], number];

/** modelTrace builds a Trace from hand-made events (in order; no stacks; string id k is strings[k]). */
export function modelTrace(evs: readonly ModelEvent[], strings: readonly string[] = [''], version = 1019): Trace {
  const n = evs.length;
  const events = {
    length: n,
    type: Uint8Array.from(evs.map((e) => e[0])),
    ts: Float64Array.from(evs.map((e) => e[1])),
    p: Int32Array.from(evs.map((e) => e[2])),
    g: Float64Array.from(evs.map((e) => e[3])),
    off: new Uint32Array(n),
    args: new Float64Array(n * argsPerEvent),
    stack: new Uint32Array(n),
    link: Int32Array.from(evs.map((e) => e[5])),
  };
  evs.forEach((e, i) => e[4].forEach((a, k) => (events.args[i * argsPerEvent + k] = a)));
  const stacks = { length: 1, id: new Float64Array(1), frameStart: new Uint32Array(2), pc: new Float64Array(0), fn: new Uint32Array(0), file: new Uint32Array(0), line: new Float64Array(0) };
  return {
    version,
    ticksPerSecond: 1e9,
    events,
    stacks,
    strings,
    stringIds: new Map(strings.map((_, i) => [i, i])),
    stackIds: new Map(),
    timerGoroutines: new Set(),
    bigArgs: new Map(),
  };
}
