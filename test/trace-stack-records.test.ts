// EvStack records of old-format traces (issue 16): the reader skims a stack record (its id and
// size), checks all skimmed records' value counts at the end, and leaves the frames in the bytes
// until the stack table is built; a record in an unusual encoding, or a trace with an error, is
// read the slow way, record by record. Both must keep the same frames and refuse the same traces
// with the same first error as Go 1.19 does. The
// messages are those `go tool trace -d` printed for these very bytes ("failed to parse trace: …").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType as E } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import type { Trace } from '../src/trace/model.js';
import { onePStart, writeTrace } from './trace-writer.js';

function uvarint(out: number[], v: bigint): void {
  while (v >= 0x80n) {
    out.push(Number(v % 0x80n) | 0x80);
    v /= 0x80n;
  }
  out.push(Number(v));
}

/** stackRecord encodes an EvStack with its values, its length prefix off by lengthError bytes. */
function stackRecord(values: readonly (number | bigint)[], lengthError = 0): number[] {
  const body: number[] = [];
  for (const v of values) uvarint(body, BigInt(v));
  const out = [E.Stack | (3 << 6)];
  uvarint(out, BigInt(body.length + lengthError));
  return [...out, ...body];
}

// One P: frequency, strings 1 (main.f) and 2 (/src/main.go), stack 1, the batch; the record under
// test; then G7 created with stack 2, started and ended.
const head = Array.from(writeTrace(onePStart));
const tail = Array.from(writeTrace([[E.GoCreate, 1, 7, 1, 2], [E.GoStartLocal, 1, 7], [E.GoEnd, 1], [E.ProcStop, 1]])).slice(16);
const traceWith = (...record: number[]): Uint8Array => Uint8Array.from([...head, ...record, ...tail]);

/** frames lists a stack's frames as "pc fn file:line". */
function frames(t: Trace, id: number): string[] {
  const k = t.stackIds.get(id);
  assert.ok(k !== undefined, `stack ${id} is in the table`);
  const st = t.stacks;
  const out: string[] = [];
  for (let f = st.frameStart[k]!; f < st.frameStart[k + 1]!; f++) out.push(`${st.pc[f]} ${t.strings[st.fn[f]!]} ${t.strings[st.file[f]!]}:${st.line[f]}`);
  return out;
}

test('stack frames are read from the bytes: a pc above 2^53 as Go reads it, rounded to a number', () => {
  const t = readTrace(traceWith(...stackRecord([2, 2, 0x401000, 1, 2, 300, 2n ** 63n + 5n, 1, 2, 11])), 'a.trace');
  assert.deepEqual(frames(t, 2), ['4198400 main.f /src/main.go:300', `${2 ** 63} main.f /src/main.go:11`]);
  assert.deepEqual(frames(t, 1), ['4198400 main.f /src/main.go:10']);
});

test('a stack id above 2^53, and a stack written with inline arguments, are read the slow way', () => {
  const t = readTrace(traceWith(...stackRecord([2n ** 60n, 1, 0x401234, 1, 2, 12]), ...stackRecord([2, 1, 0x402000, 1, 2, 13])), 'b.trace');
  assert.deepEqual(frames(t, 2 ** 60), ['4198964 main.f /src/main.go:12']);
  assert.deepEqual(frames(t, 2), ['4202496 main.f /src/main.go:13']);
  // id 3, no frames, as two inline values: nothing to keep.
  const inline = readTrace(traceWith(E.Stack | (1 << 6), 3, 0), 'c.trace');
  assert.equal(inline.stackIds.get(3), undefined);
});

test('a repeated stack id takes the frames of its last record', () => {
  const t = readTrace(traceWith(...stackRecord([2, 1, 0x401000, 1, 2, 20]), ...stackRecord([2, 1, 0x401010, 1, 2, 21])), 'd.trace');
  assert.deepEqual(frames(t, 2), ['4198416 main.f /src/main.go:21']);
});

test("broken stack records are refused with Go's messages", () => {
  const cases: [string, number[], string][] = [
    ['one value fewer than its size says', stackRecord([2, 1, 0x401000, 1, 2]), 'EvStack has wrong number of arguments at offset 0x40: want 6, got 5'],
    ['no frames but a value', stackRecord([2, 0, 5]), 'EvStack has wrong number of arguments at offset 0x40: want 2, got 3'],
    ['1001 frames', stackRecord([2, 1001, ...Array<number>(4004).fill(1)]), 'EvStack has bad number of frames at offset 0x40: 1001'],
    ['its last value runs past its length', stackRecord([2, 1, 0x401000, 1, 2, 300], -1), 'event has wrong length at offset 0x40: want 9, got 10'],
    ['an 11-byte value', [E.Stack | (3 << 6), 17, 2, 1, 0x81, ...Array<number>(9).fill(0x80), 0x01, 1, 2, 9], 'bad value at offset 0x44'],
  ];
  for (const [what, record, message] of cases) {
    assert.throws(() => readTrace(traceWith(...record), 'e.trace'), { message: `e.trace: malformed Go 1.19 trace: ${message}` }, what);
  }
  // A wrong count, then an unknown event type: Go reads every byte first, so the byte error wins.
  assert.throws(() => readTrace(Uint8Array.from([...head, ...stackRecord([2, 1, 0x401000, 1, 2]), ...tail, 63]), 'f.trace'), {
    message: 'f.trace: malformed Go 1.19 trace: unknown event type 63 at offset 0x57',
  });
  // A wrong count, then an unknown STW kind: both are errors of meaning, and Go reports the first.
  const stwKind5 = Array.from(writeTrace([[E.GCSTWStart, 1, 5], [E.GCSTWDone, 1]])).slice(16);
  const stop = Array.from(writeTrace([[E.ProcStop, 1]])).slice(16);
  assert.throws(() => readTrace(Uint8Array.from([...head, ...stackRecord([2, 1, 0x401000, 1, 2]), ...stwKind5, ...stop]), 'h.trace'), {
    message: 'h.trace: malformed Go 1.19 trace: EvStack has wrong number of arguments at offset 0x40: want 6, got 5',
  });
  assert.throws(() => readTrace(Uint8Array.from([...head, ...stwKind5, ...stackRecord([2, 1, 0x401000, 1, 2]), ...stop]), 'i.trace'), {
    message: 'i.trace: malformed Go 1.19 trace: unknown STW kind 5',
  });
  // An error of meaning, then a stack record with an 11-byte value: the bytes are read first.
  const longValue = [E.Stack | (3 << 6), 17, 2, 1, 0x81, ...Array<number>(9).fill(0x80), 0x01, 1, 2, 9];
  assert.throws(() => readTrace(Uint8Array.from([...head, ...stwKind5, ...longValue, ...stop]), 'j.trace'), {
    message: 'j.trace: malformed Go 1.19 trace: bad value at offset 0x49',
  });
  // Cut off inside the record.
  assert.throws(() => readTrace(Uint8Array.from([...head, ...stackRecord([2, 1, 0x401000, 1, 2, 300], 40)]), 'g.trace'), {
    message: 'g.trace: malformed Go 1.19 trace: failed to read trace at offset 76: unexpected end of file',
  });
});
