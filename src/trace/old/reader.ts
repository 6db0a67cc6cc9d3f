// The old-format reader (Go 1.5–1.21): the passes of Go 1.19's parser, each in its own module —
// wire (bytes → raw events in file order), order (→ Go's order, real syscall exit times),
// futile (drop futile wakeups), link (check states, link events) — ending in the Trace model.

import { type Events, type Stacks, type Trace, EventType as E, SpecialP, argsPerEvent } from '../model.js';
import { removeFutile } from './futile.js';
import { linkEvents } from './link.js';
import { orderEvents } from './order.js';
import { type RawEvents, type RawTables, bigStackId, readRawEvents } from './wire.js';

/** oldVersions are the old-format versions Go wrote (1020 never was: Go 1.20 writes go 1.19). */
export const oldVersions: readonly number[] = [1005, 1007, 1008, 1009, 1010, 1011, 1019, 1021];

/** readOldTrace reads a whole old-format trace; throws TraceFormatError when Go would refuse it. */
export function readOldTrace(buf: Uint8Array, ver: number): Trace {
  const { events: raw, tables } = readRawEvents(buf, ver);
  let order = orderEvents(raw, ver);
  // Times count from the first event, before futile wakeups are dropped (as in Go).
  const minTicks = raw.ticks[order[0]!]!;
  // The stream column is not read after ordering: futile wakeups use it as scratch.
  order = removeFutile(raw, order, raw.stream);
  const stacks = buildStacks(tables, ver);
  const events = buildEvents(raw, tables, order, minTicks, stacks.ids);
  const stringIds = tables.stringIds;
  const strings = tables.strings;
  linkEvents(
    events,
    ver,
    (id) => stacks.ids.get(id) ?? 0,
    (i) => strings[stringIds.get(events.args[i * argsPerEvent + 2]!) ?? 0]!,
  );
  return {
    version: ver,
    ticksPerSecond: tables.ticksPerSecond,
    events,
    stacks: stacks.table,
    strings,
    stringIds,
    stackIds: stacks.ids,
    timerGoroutines: tables.timerGoroutines,
    bigArgs: remapBigArgs(tables.bigArgs, order),
  };
}

/**
 * buildEvents lays the ordered events out in their final columns: times in nanoseconds, timer
 * unblocks and syscall exits on their special Ps, stacks resolved to table indexes. The raw
 * columns are reused in place (each gathered into one scratch array, then written back), so a
 * trace's events are in memory once, not twice; `raw` must not be used afterwards.
 */
function buildEvents(raw: RawEvents, tables: RawTables, order: Uint32Array, minTicks: number, stackIds: ReadonlyMap<number, number>): Events {
  const n = order.length;
  const tmp = new Float64Array(n);
  // The P first: it depends on the type and goroutine of the event before they move.
  const timers = tables.timerGoroutines;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const t = raw.type[i]!;
    tmp[k] = t === E.GoSysExit ? SpecialP.SyscallP : t === E.GoUnblock && timers.size > 0 && timers.has(raw.g[i]!) ? SpecialP.TimerP : raw.p[i]!;
  }
  const p = raw.p.subarray(0, n);
  p.set(tmp.subarray(0, n));
  // Stacks: trace ids → table indexes, into the stack id column's own memory.
  const resolve = idResolver(stackIds);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const id = raw.stackId[i]!;
    tmp[k] = resolve(id < bigStackId ? id : raw.bigStackIds.get(i)!);
  }
  const stack = raw.stackId.subarray(0, n);
  stack.set(tmp.subarray(0, n));
  // Go converts ticks with floating point to avoid overflow; so do we, to get its very numbers.
  const nsPerTick = 1e9 / tables.ticksPerSecond;
  for (let k = 0; k < n; k++) tmp[k] = Math.trunc((raw.ticks[order[k]!]! - minTicks) * nsPerTick);
  const ts = raw.ticks.subarray(0, n);
  ts.set(tmp.subarray(0, n));
  const g = permute(raw.g, order, tmp);
  const off = permute(raw.off, order, tmp);
  const type = permute(raw.type, order, tmp);
  const args = raw.args.subarray(0, n * argsPerEvent);
  for (let s = 0; s < argsPerEvent; s++) {
    // Gathering a whole slot before writing it back reads every value before it is overwritten.
    for (let k = 0; k < n; k++) tmp[k] = raw.args[order[k]! * argsPerEvent + s]!;
    for (let k = 0; k < n; k++) args[k * argsPerEvent + s] = tmp[k]!;
  }
  // The stream column is not needed after ordering: it becomes the links.
  const link = raw.stream.subarray(0, n).fill(-1);
  return { length: n, type, ts, p, g, off, args, stack, link };
}

/** permute reorders col in place by order (col[k] = old col[order[k]]), through tmp; returns col's first n. */
function permute<T extends Uint8Array | Uint32Array | Float64Array>(col: T, order: Uint32Array, tmp: Float64Array): T {
  const n = order.length;
  for (let k = 0; k < n; k++) tmp[k] = col[order[k]!]!;
  const out = col.subarray(0, n) as T;
  out.set(tmp.subarray(0, n));
  return out;
}

/** buildStacks turns the EvStack entries into the Stacks table (index 0: the empty stack). */
function buildStacks(tables: RawTables, ver: number): { table: Stacks; ids: Map<number, number> } {
  const raw = tables.stacks;
  let frames = 0;
  for (let s = 0; s < raw.length; s++) frames += raw.count[s]!;
  const len = raw.length + 1;
  const id = new Float64Array(len);
  const frameStart = new Uint32Array(len + 1);
  const pc = new Float64Array(frames);
  const fn = new Uint32Array(frames);
  const file = new Uint32Array(frames);
  const line = new Float64Array(frames);
  const ids = new Map<number, number>();
  const str = idResolver(tables.stringIds);
  const rf = raw.frames;
  let f = 0;
  for (let s = 0; s < raw.length; s++) {
    const k = s + 1;
    id[k] = raw.id[s]!;
    ids.set(raw.id[s]!, k);
    const end = (raw.start[s]! + raw.count[s]!) * 4;
    for (let x = raw.start[s]! * 4; x < end; x += 4, f++) {
      pc[f] = rf[x]!;
      if (ver >= 1007) {
        fn[f] = str(rf[x + 1]!);
        file[f] = str(rf[x + 2]!);
        line[f] = rf[x + 3]!;
      }
    }
    frameStart[k + 1] = f;
  }
  return { table: { length: len, id, frameStart, pc, fn, file, line }, ids };
}

/**
 * idResolver maps a trace's ids (of stacks, of strings) to table indexes, 0 for an id it does
 * not know: through a dense array when the ids are small, as Go's are, else through the Map.
 */
function idResolver(ids: ReadonlyMap<number, number>): (id: number) => number {
  let max = 0;
  for (const id of ids.keys()) if (id > max) max = id;
  if (max > 4 * ids.size + (1 << 20)) return (id) => ids.get(id) ?? 0;
  const dense = new Uint32Array(max + 1);
  for (const [id, k] of ids) dense[id] = k;
  return (id) => (id <= max ? dense[id]! : 0);
}

/** remapBigArgs moves the exact big arguments from raw event indexes to final ones. */
function remapBigArgs(big: Map<number, bigint>, order: Uint32Array): Map<number, bigint> {
  if (big.size === 0) return big;
  const out = new Map<number, bigint>();
  for (let k = 0; k < order.length; k++) {
    for (let s = 0; s < argsPerEvent; s++) {
      const v = big.get(order[k]! * argsPerEvent + s);
      if (v !== undefined) out.set(k * argsPerEvent + s, v);
    }
  }
  return out;
}
