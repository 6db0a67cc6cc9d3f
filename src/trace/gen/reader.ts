// The generational reader (Go 1.22+): generation by generation, read the batches and tables
// (batches.ts), order the events (order.ts) and say them in the model's words (build.ts).

import { EventType as E, type Stacks, type Trace, newStacks } from '../model.js';
import { TraceFormatError } from '../old/wire.js';
import { type Generation, GenerationReader } from './batches.js';
import { ModelBuilder } from './build.js';
import { Orderer } from './order.js';
import { genSpecs, genVersions } from './spec.js';

export { genVersions };

/** Which argument slots (dt excluded) of each event type hold stack ids and string ids. */
const stackArgs: readonly (readonly number[])[] = genSpecs.map(([, args]) => args.flatMap((a, i) => (a === 'stack' || a === 'new_stack' ? [i - 1] : [])));
const stringArgs: readonly (readonly number[])[] = genSpecs.map(([, args]) => args.flatMap((a, i) => (a.endsWith('_string') ? [i - 1] : [])));

/** checkIds refuses an event naming a stack or string its generation does not define. */
function checkIds(g: Generation, type: number, a: Float64Array): void {
  if (type >= genSpecs.length) return;
  for (const k of stackArgs[type]!) {
    const id = a[k]!;
    if (id !== 0 && !g.stacks.has(id)) throw new TraceFormatError(`found invalid stack ID ${id} for event ${genSpecs[type]![0]}`);
  }
  for (const k of stringArgs[type]!) {
    const id = a[k]!;
    if (id !== 0 && !g.strings.has(id)) throw new TraceFormatError(`found invalid string ID ${id} for event ${genSpecs[type]![0]}`);
  }
}

/** readGenTrace reads a whole Go 1.22+ trace; throws TraceFormatError when Go would refuse it. */
export function readGenTrace(buf: Uint8Array, ver: number): Trace {
  const gens = new GenerationReader(buf, ver);
  const b = new ModelBuilder(ver, buf.length);
  const order = new Orderer(buf, ver, b, checkIds);
  let ticksPerSecond = 0;
  // Per generation, its earliest batch time: Go 1.22+'s reader puts the generation's sync there.
  const genStarts: number[] = [];
  for (let g = gens.next(); g !== undefined; g = gens.next()) {
    if (ticksPerSecond === 0) ticksPerSecond = g.ticksPerSecond;
    genStarts.push(Math.trunc(g.minTicks * g.nsPerTick));
    b.startGeneration(g);
    order.orderGeneration(g, (s, t) => {
      if (s.stack !== 0 && !g!.stacks.has(s.stack)) throw new TraceFormatError(`found invalid stack ID ${s.stack} for event CPUSample`);
      b.cpuSample(s, t);
    });
  }
  // A trace may hold no event the model has words for (Go reads it as empty too).
  const n = b.n;
  const ts = b.ts.subarray(0, n);
  const t0 = n === 0 ? 0 : ts[0]!;
  for (let i = 0; i < n; i++) ts[i] = ts[i]! - t0;
  for (let i = 0; i < n; i++) if (b.type[i] === E.CPUSample) b.setArg(E.CPUSample, i, 0, ts[i]!); // its ts argument is its time
  const fastSyscallEnds = new Map<number, number>();
  for (const [i, end] of b.fastSyscallEnds) fastSyscallEnds.set(i, end - t0);
  const generationStarts = genStarts.map((s) => s - t0);
  const stringIds = new Map<number, number>();
  for (let i = 0; i < b.strings.length; i++) stringIds.set(i, i);
  const stacks = buildStacks(b.stackFrames);
  return {
    version: ver,
    ticksPerSecond,
    events: {
      length: n,
      type: b.type.subarray(0, n),
      ts,
      p: b.p.subarray(0, n),
      g: b.g.subarray(0, n),
      off: b.off.subarray(0, n),
      args: b.args.subarray(0, n * 3),
      wideArgs: b.wideArgs,
      stack: b.stack.subarray(0, n),
      link: b.link.subarray(0, n),
    },
    stacks: stacks.table,
    strings: b.strings,
    stringIds,
    stackIds: stacks.ids,
    timerGoroutines: new Set(),
    bigArgs: new Map(),
    fastSyscallEnds,
    generationStarts,
  };
}

/** buildStacks lays the stacks out as the model's table; a stack's id is its index. */
function buildStacks(list: number[][]): { table: Stacks; ids: Map<number, number> } {
  let frames = 0;
  for (const f of list) frames += f.length / 4;
  const len = list.length;
  const table = newStacks(len, frames);
  const { id, frameStart, pc, fn, file, line } = table;
  const ids = new Map<number, number>();
  let f = 0;
  for (let k = 0; k < len; k++) {
    id[k] = k;
    if (k > 0) ids.set(k, k);
    frameStart[k] = f;
    const fr = list[k]!;
    for (let x = 0; x < fr.length; x += 4, f++) {
      pc[f] = fr[x]!;
      fn[f] = fr[x + 1]!;
      file[f] = fr[x + 2]!;
      line[f] = fr[x + 3]!;
    }
  }
  frameStart[len] = f;
  return { table, ids };
}
