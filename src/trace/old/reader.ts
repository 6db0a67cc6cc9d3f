// The old-format reader (Go 1.5–1.21): the passes of Go 1.19's parser, each in its own module —
// wire (bytes → raw events in file order), order (→ Go's order, real syscall exit times),
// futile (drop futile wakeups), link (check states, link events) — ending in the Trace model.

import { type Events, type Stacks, type Trace, EventType as E, SpecialP, argsPerEvent, newStacks } from '../model.js';
import { removeFutile } from './futile.js';
import { linkEvents } from './link.js';
import { orderEvents } from './order.js';
import { type RawEvents, type RawTables, bigStackId, readFrames, readRawEvents } from './wire.js';

/** oldVersions are the old-format versions Go wrote (1020 never was: Go 1.20 writes go 1.19). */
export const oldVersions: readonly number[] = [1005, 1007, 1008, 1009, 1010, 1011, 1019, 1021];

/** readOldTrace reads a whole old-format trace; throws TraceFormatError when Go would refuse it. */
export function readOldTrace(buf: Uint8Array, ver: number): Trace {
  const { events: raw, tables } = readRawEvents(buf, ver);
  let order = orderEvents(raw, ver);
  // Times count from the first event, before futile wakeups are dropped (as in Go).
  const minTicks = raw.ticks[order[0]!]!;
  order = removeFutile(raw, order, raw.spare);
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
    bigArgs: remapArgs(tables.bigArgs, order),
  };
}

/**
 * buildEvents lays the ordered events out in their final columns: times in nanoseconds, timer
 * unblocks and syscall exits on their special Ps, stacks resolved to table indexes. The raw
 * columns are reused in place, each gathered 4 bytes at a time into the spare column (free
 * since futile wakeups were found, and the links' memory after) and written back: a trace's events
 * are in memory once, and no scratch memory is touched for the first time here (on this project's
 * machine a page first touched costs ~20 µs, more than the copying). `raw` must not be used afterwards.
 */
function buildEvents(raw: RawEvents, tables: RawTables, order: Uint32Array, minTicks: number, stackIds: ReadonlyMap<number, number>): Events {
  const n = order.length;
  const scratch = new Int32Array(raw.spare.buffer, raw.spare.byteOffset, n);
  const uScratch = new Uint32Array(raw.spare.buffer, raw.spare.byteOffset, n);
  // The P first: it depends on the type and goroutine of the event before they move.
  // (Each loop is a function of its own: V8 optimises a long loop on the fly, and code made for
  // one loop is thrown away when the function goes on to the next.)
  orderedPs(raw, order, tables.timerGoroutines, scratch);
  const p = raw.p.subarray(0, n);
  p.set(scratch);
  // Stacks: trace ids → table indexes, into the stack id column's own memory.
  orderedStacks(raw, order, idResolver(stackIds), uScratch);
  const stack = raw.stackId.subarray(0, n);
  stack.set(uScratch);
  const type = raw.type.subarray(0, n);
  gatherBytes(raw.type, order, uScratch);
  const off = raw.off.subarray(0, n);
  gather(raw.off, 1, 0, order, uScratch);
  // 8-byte columns move as two 4-byte halves (the bits, so every value arrives exact).
  const ticks = words(raw.ticks);
  for (let h = 0; h < 2; h++) gather(ticks, 2, h, order, uScratch);
  const g = raw.g.subarray(0, n);
  if (raw.g instanceof Float64Array) {
    const gw = words(raw.g);
    for (let h = 0; h < 2; h++) gather(gw, 2, h, order, uScratch);
  } else {
    gather(raw.g, 1, 0, order, uScratch);
  }
  const args = raw.args.subarray(0, n * argsPerEvent);
  if (raw.args instanceof Float64Array) {
    const aw = words(raw.args);
    for (let h = 0; h < 2 * argsPerEvent; h++) gather(aw, 2 * argsPerEvent, h, order, uScratch);
  } else {
    for (let h = 0; h < argsPerEvent; h++) gather(raw.args, argsPerEvent, h, order, uScratch);
  }
  const wideArgs = remapArgs(raw.wideArgs, order);
  // Go converts ticks with floating point to avoid overflow; so do we, to get its very numbers.
  const nsPerTick = 1e9 / tables.ticksPerSecond;
  const ts = raw.ticks.subarray(0, n);
  ticksToNs(ts, minTicks, nsPerTick);
  // The spare column becomes the links.
  const link = raw.spare.subarray(0, n).fill(-1);
  return { length: n, type, ts, p, g, off, args, wideArgs, stack, link };
}

/**
 * gather reorders one 4-byte (or smaller) slot of a column in place by order: slot h of record k
 * (records of `stride` elements) becomes that of record order[k]. All of it is read into scratch
 * before any is written back, so the records it reads are never ones already overwritten.
 */
function gather(col: Uint32Array, stride: number, h: number, order: Uint32Array, scratch: Uint32Array): void {
  gatherInto(col, stride, h, order, scratch);
  writeBack(col, stride, h, scratch, order.length);
}

function gatherInto(col: Uint32Array, stride: number, h: number, order: Uint32Array, scratch: Uint32Array): void {
  const n = order.length;
  for (let k = 0; k < n; k++) scratch[k] = col[order[k]! * stride + h]!;
}

function writeBack(col: Uint32Array, stride: number, h: number, scratch: Uint32Array, n: number): void {
  for (let k = 0; k < n; k++) col[k * stride + h] = scratch[k]!;
}

/** orderedPs writes each ordered event's P to out: timer unblocks and syscall exits on their special Ps. */
function orderedPs(raw: RawEvents, order: Uint32Array, timers: ReadonlySet<number>, out: Int32Array): void {
  const n = order.length;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const t = raw.type[i]!;
    out[k] = t === E.GoSysExit ? SpecialP.SyscallP : t === E.GoUnblock && timers.size > 0 && timers.has(raw.g[i]!) ? SpecialP.TimerP : raw.p[i]!;
  }
}

/** orderedStacks writes each ordered event's stack table index to out. */
function orderedStacks(raw: RawEvents, order: Uint32Array, resolve: (id: number) => number, out: Uint32Array): void {
  const n = order.length;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const id = raw.stackId[i]!;
    out[k] = resolve(id < bigStackId ? id : raw.bigStackIds.get(i)!);
  }
}

/** ticksToNs turns ticks into nanoseconds since minTicks, in place, with floating point as Go does. */
function ticksToNs(ts: Float64Array, minTicks: number, nsPerTick: number): void {
  for (let k = 0; k < ts.length; k++) ts[k] = Math.trunc((ts[k]! - minTicks) * nsPerTick);
}

/**
 * gatherBytes is gather for the one 1-byte column. Its own function: a gather that met both kinds
 * of array would be optimised for one, thrown away at the other, and optimised again.
 */
function gatherBytes(col: Uint8Array, order: Uint32Array, scratch: Uint32Array): void {
  const n = order.length;
  for (let k = 0; k < n; k++) scratch[k] = col[order[k]!]!;
  writeBackBytes(col, scratch, n);
}

function writeBackBytes(col: Uint8Array, scratch: Uint32Array, n: number): void {
  for (let k = 0; k < n; k++) col[k] = scratch[k]!;
}

/** words views a Float64Array's memory as 4-byte words (two per value). */
function words(a: Float64Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** buildStacks turns the EvStack entries into the Stacks table (index 0: the empty stack). */
function buildStacks(tables: RawTables, ver: number): { table: Stacks; ids: Map<number, number> } {
  const raw = tables.stacks;
  let frames = 0;
  for (let s = 0; s < raw.length; s++) frames += raw.count[s]!;
  const len = raw.length + 1;
  const table = newStacks(len, frames);
  const { id, frameStart } = table;
  const ids = new Map<number, number>();
  const str = idResolver(tables.stringIds);
  const into = new Float64Array(4000);
  let f = 0;
  for (let s = 0; s < raw.length; s++) {
    const k = s + 1;
    id[k] = raw.id[s]!;
    ids.set(raw.id[s]!, k);
    f = keepFrames(table, f, into, readFrames(raw, s, into), ver >= 1007, str);
    frameStart[k + 1] = f;
  }
  return { table, ids };
}

/**
 * keepFrames copies `count` frames, as readFrames leaves them in `into`, to the table from frame f
 * on; returns the frame after them. A function of its own, called once a stack, so that V8
 * optimises it early: until then every value the loop reads is a new heap number.
 */
function keepFrames(table: Stacks, f: number, into: Float64Array, count: number, withNames: boolean, str: (id: number) => number): number {
  const { pc, fn, file, line } = table;
  for (let x = 0; x < 4 * count; x += 4, f++) {
    pc[f] = into[x]!;
    if (withNames) {
      fn[f] = str(into[x + 1]!);
      file[f] = str(into[x + 2]!);
      line[f] = into[x + 3]!;
    }
  }
  return f;
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

/**
 * remapArgs moves values kept by argument slot (key rawIndex*argsPerEvent+slot: the spilled wide
 * arguments, the exact big ones) from raw event indexes to final ones. A few thousand events have
 * any, among millions: a bit per raw event says which, so that only they are looked up.
 */
function remapArgs<T>(byRawSlot: Map<number, T>, order: Uint32Array): Map<number, T> {
  if (byRawSlot.size === 0) return byRawSlot;
  let maxRaw = 0;
  for (const key of byRawSlot.keys()) maxRaw = Math.max(maxRaw, Math.floor(key / argsPerEvent));
  const has = new Uint8Array((maxRaw >> 3) + 1);
  for (const key of byRawSlot.keys()) {
    const i = Math.floor(key / argsPerEvent);
    has[i >> 3]! |= 1 << (i & 7);
  }
  const out = new Map<number, T>();
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (i > maxRaw || (has[i >> 3]! & (1 << (i & 7))) === 0) continue;
    for (let s = 0; s < argsPerEvent; s++) {
      const v = byRawSlot.get(i * argsPerEvent + s);
      if (v !== undefined) out.set(k * argsPerEvent + s, v);
    }
  }
  return out;
}
