// The old-format reader (Go 1.5–1.21): the passes of Go 1.19's parser, each in its own module —
// wire (bytes → raw events in file order), order (→ Go's order, real syscall exit times),
// futile (drop futile wakeups), link (check states, link events) — ending in the Trace model.

import { type Events, type Stacks, type Trace, EventType as E, SpecialP, argsPerEvent } from '../model.js';
import { removeFutile } from './futile.js';
import { linkEvents } from './link.js';
import { orderEvents } from './order.js';
import { type RawEvents, type RawTables, readRawEvents } from './wire.js';

/** oldVersions are the old-format versions Go wrote (1020 never was: Go 1.20 writes go 1.19). */
export const oldVersions: readonly number[] = [1005, 1007, 1008, 1009, 1010, 1011, 1019, 1021];

/** readOldTrace reads a whole old-format trace; throws TraceFormatError when Go would refuse it. */
export function readOldTrace(buf: Uint8Array, ver: number): Trace {
  const { events: raw, tables } = readRawEvents(buf, ver);
  let order = orderEvents(raw, ver);
  // Times count from the first event, before futile wakeups are dropped (as in Go).
  const minTicks = raw.ticks[order[0]!]!;
  order = removeFutile(raw, order);
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
 * unblocks and syscall exits on their special Ps, stacks resolved to table indexes.
 */
function buildEvents(raw: RawEvents, tables: RawTables, order: Uint32Array, minTicks: number, stackIds: ReadonlyMap<number, number>): Events {
  const n = order.length;
  const type = new Uint8Array(n);
  const ts = new Float64Array(n);
  const p = new Int32Array(n);
  const g = new Float64Array(n);
  const off = new Uint32Array(n);
  const args = new Float64Array(n * argsPerEvent);
  const stack = new Uint32Array(n);
  const link = new Int32Array(n).fill(-1);
  // Go converts with floating point to avoid overflow; so do we, to get its very numbers.
  const nsPerTick = 1e9 / tables.ticksPerSecond;
  const timers = tables.timerGoroutines;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const t = raw.type[i]!;
    type[k] = t;
    ts[k] = Math.trunc((raw.ticks[i]! - minTicks) * nsPerTick);
    g[k] = raw.g[i]!;
    p[k] = t === E.GoSysExit ? SpecialP.SyscallP : t === E.GoUnblock && timers.size > 0 && timers.has(g[k]!) ? SpecialP.TimerP : raw.p[i]!;
    off[k] = raw.off[i]!;
    args[k * 3] = raw.args[i * 3]!;
    args[k * 3 + 1] = raw.args[i * 3 + 1]!;
    args[k * 3 + 2] = raw.args[i * 3 + 2]!;
    stack[k] = raw.stackId[i]! === 0 ? 0 : (stackIds.get(raw.stackId[i]!) ?? 0);
  }
  return { length: n, type, ts, p, g, off, args, stack, link };
}

/** buildStacks turns the EvStack entries into the Stacks table (index 0: the empty stack). */
function buildStacks(tables: RawTables, ver: number): { table: Stacks; ids: Map<number, number> } {
  let frames = 0;
  for (const f of tables.stacks.values()) frames += f.length / 4;
  const len = tables.stacks.size + 1;
  const id = new Float64Array(len);
  const frameStart = new Uint32Array(len + 1);
  const pc = new Float64Array(frames);
  const fn = new Uint32Array(frames);
  const file = new Uint32Array(frames);
  const line = new Float64Array(frames);
  const ids = new Map<number, number>();
  const sid = tables.stringIds;
  let k = 1;
  let f = 0;
  frameStart[0] = 0;
  frameStart[1] = 0;
  for (const [stackId, fr] of tables.stacks) {
    id[k] = stackId;
    ids.set(stackId, k);
    for (let x = 0; x < fr.length; x += 4, f++) {
      pc[f] = fr[x]!;
      if (ver >= 1007) {
        fn[f] = sid.get(fr[x + 1]!) ?? 0;
        file[f] = sid.get(fr[x + 2]!) ?? 0;
        line[f] = fr[x + 3]!;
      }
    }
    frameStart[++k] = f;
  }
  return { table: { length: len, id, frameStart, pc, fn, file, line }, ids };
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
