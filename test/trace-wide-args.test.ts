// The arguments column of any width: the reader keeps event arguments in 4 bytes a slot (three
// slots an event: the largest column of a 100 MB trace's 20 million events) and still gives every
// value exactly (issue 16, speed). Real traces hold a few wide values in known slots (a GoSysExit's
// time in ticks, heap sizes): those are kept aside and the column stays narrow; a wide value in any
// other slot widens the column to 8 bytes. The expected lines were checked with go tool trace -d.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventType, argAt, putArg, type Trace } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { eventLine } from '../src/trace/events-text.js';
import { summarize } from '../src/trace/summary.js';
import { repoRoot } from './helpers.js';
import { textToWire } from './trace-gen-text.js';
import { onePStart, writeTrace } from './trace-writer.js';

/** The `trace events` line of the event at byte offset `off`. */
function lineAt(t: Trace, off: number): string {
  for (let i = 0; i < t.events.length; i++) if (t.events.off[i] === off) return eventLine(t, i);
  throw new Error(`no event at off=${off}`);
}

test("a real trace's wide syscall-exit times keep the column at 4 bytes a slot, exactly", () => {
  const t = readTrace(readFileSync(join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace')), 'tracesvc.trace');
  assert.equal(t.events.args.constructor.name, 'Uint32Array');
  // go tool trace -d fixtures/traces/tracesvc.trace (ts above 2^32: raw ticks)
  assert.equal(lineAt(t, 328), '11380327 GoSysExit p=1000003 g=8 off=328 g=8 seq=2 ts=31299569579487');
  assert.equal(lineAt(t, 8187), '188679465 GoSysExit p=1000003 g=38 off=8187 g=38 seq=52 ts=31299575386007');
});

const fiveGiB = 5 * 2 ** 30;
const goal = 2 ** 33 + 7;

/** A Go 1.19 trace on one P: heap sizes past 4 GB, then goroutine `child` created and run. */
function traceOf(child: number): Uint8Array {
  return writeTrace([
    ...onePStart,
    [EventType.HeapAlloc, 1, 4096],
    [EventType.HeapAlloc, 1, fiveGiB],
    [EventType.HeapGoal, 1, goal],
    [EventType.GoCreate, 1, child, 1, 1],
    [EventType.GoStartLocal, 1, child],
    [EventType.GoEnd, 1],
    [EventType.HeapAlloc, 1, fiveGiB + 1],
    [EventType.ProcStop, 1],
  ]);
}

/** The `trace events` lines of the events of `types` (by default those traceOf gives arguments), without time and offset. */
function argLines(t: Trace, ...types: number[]): string[] {
  const wanted = types.length > 0 ? types : [EventType.HeapAlloc, EventType.HeapGoal, EventType.GoCreate];
  const out: string[] = [];
  for (let i = 0; i < t.events.length; i++) {
    if (wanted.includes(t.events.type[i]!)) {
      out.push(eventLine(t, i).replace(/^\d+ /, '').replace(/ off=\d+/, ''));
    }
  }
  return out;
}

/** What go tool trace -d prints for traceOf(child)'s events with arguments (time and offset cut). */
function expectedLines(child: number): string[] {
  return [
    'HeapAlloc p=0 g=0 mem=4096',
    'HeapAlloc p=0 g=0 mem=5368709120',
    'HeapGoal p=0 g=0 mem=8589934599',
    `GoCreate p=0 g=0 g=${child} stack=1`,
    'HeapAlloc p=0 g=0 mem=5368709121',
  ];
}

test('heap sizes past 4 GB are kept aside: the column stays narrow, the values exact', () => {
  const t = readTrace(traceOf(9), 'heap.trace');
  assert.equal(t.events.args.constructor.name, 'Uint32Array');
  assert.deepEqual(argLines(t), expectedLines(9));
  assert.deepEqual(summarize(t, new Map()).heap, { first: 4096, last: fiveGiB + 1, max: fiveGiB + 1 });
});

test('a wide value in any other slot widens the column, and every argument stays exact', () => {
  const t = readTrace(traceOf(2 ** 40 + 3), 'wide.trace');
  assert.equal(t.events.args.constructor.name, 'Float64Array');
  assert.deepEqual(argLines(t), expectedLines(1099511627779));
});

test('negative and fractional arguments (Go 1.22+ times) widen or are kept aside, exactly', () => {
  const wide = new Map<number, number>();
  let col: Uint32Array | Float64Array = Uint32Array.of(1, 2, 3, 0, 0, 0, 0, 0, 0);
  col = putArg(col, wide, EventType.GoCreate, 0, 3, -1, 3);
  assert.equal(col.constructor.name, 'Float64Array');
  col = putArg(col, wide, EventType.GoCreate, 1, 4, 2.5, 5);
  assert.deepEqual([...col], [1, 2, 3, -1, 2.5, 0, 0, 0, 0]);
  // A CPU sample's time (a spilled slot) stays aside even in a wide column.
  col = putArg(col, wide, EventType.CPUSample, 0, 6, 12.75, 6);
  assert.equal(col[6], 0);
  assert.equal(argAt({ args: col, wideArgs: wide }, 6), 12.75);
  const narrow = putArg(new Uint32Array(3), wide, EventType.HeapAlloc, 0, 0, -3, 0);
  assert.equal(narrow.constructor.name, 'Uint32Array');
  assert.equal(argAt({ args: narrow, wideArgs: wide }, 0), -3);
});

test("a Go 1.22+ trace's thread ids past 2^32 (macOS pthread addresses) keep the column narrow", () => {
  const noThread = '18446744073709551615';
  const m = 6104723456;
  // One generation: thread m runs P 0 (as its status says) and goroutine 1, which ends.
  const text = `Trace Go1.22
EventBatch gen=1 m=${noThread} time=100 size=*
Frequency freq=1000000000
EventBatch gen=1 m=${m} time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=${m} gstatus=2
GoDestroy dt=5
`;
  const t = readTrace(textToWire(text), 'thread.trace');
  assert.equal(t.events.args.constructor.name, 'Uint32Array');
  const starts = argLines(t, EventType.ProcStart);
  assert.deepEqual(starts, [`ProcStart p=0 g=0 thread=${m}`]);
});

test('heap sizes past 2^53 are given exactly, after the events are put in order', () => {
  // Two HeapAllocs (ts delta 1, mem) written as raw bytes: the writer's numbers stop at 2^53.
  const uvarint = (out: number[], v: bigint): void => {
    for (; v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
    out.push(Number(v));
  };
  const heapAlloc = (mem: bigint): number[] => {
    const out = [EventType.HeapAlloc | (1 << 6)];
    uvarint(out, 1n);
    uvarint(out, mem);
    return out;
  };
  const tail = Array.from(writeTrace([[EventType.GoCreate, 1, 7, 1, 1], [EventType.GoStartLocal, 1, 7], [EventType.GoEnd, 1], [EventType.ProcStop, 1]])).slice(16);
  const bytes = Uint8Array.from([...writeTrace(onePStart), ...heapAlloc(2n ** 60n + 1n), ...heapAlloc(2n ** 62n + 3n), ...tail]);
  const t = readTrace(bytes, 'big.trace');
  // go tool trace -d on these bytes
  assert.equal(lineAt(t, 64), '1 HeapAlloc p=0 g=0 off=64 mem=1152921504606846977');
  assert.equal(lineAt(t, 75), '2 HeapAlloc p=0 g=0 off=75 mem=4611686018427387907');
});
