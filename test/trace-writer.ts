// A writer of old-format (Go 1.7–1.21) execution traces for tests: a header, then events given as
// [type, ...arguments] (arguments as the wire has them: the time delta first, the stack id last),
// strings as { string: id, text }. Lets a test build exactly the trace a case needs; the expected
// answers in the tests were checked with go tool trace -d on the bytes this writes.

import { EventType } from '../src/trace/model.js';

/** Record is one event, or a string-table entry. */
export type TraceRecord = readonly number[] | { readonly string: number; readonly text: string };

function uvarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** writeTrace encodes records after a `go 1.N trace` header (minor = 19 for go 1.19). */
export function writeTrace(records: readonly TraceRecord[], minor = 19): Uint8Array {
  const out: number[] = [...new TextEncoder().encode(`go 1.${minor} trace`)];
  while (out.length < 16) out.push(0);
  for (const r of records) {
    if (!Array.isArray(r)) {
      const s = r as { string: number; text: string };
      const bytes = new TextEncoder().encode(s.text);
      out.push(37);
      uvarint(out, s.string);
      uvarint(out, bytes.length);
      out.push(...bytes);
      continue;
    }
    const [type, ...args] = r as readonly number[];
    if (args.length >= 1 && args.length <= 3) {
      out.push(type! | ((args.length - 1) << 6));
      for (const a of args) uvarint(out, a);
    } else {
      const body: number[] = [];
      for (const a of args) uvarint(body, a);
      out.push(type! | (3 << 6));
      uvarint(out, body.length);
      out.push(...body);
    }
  }
  return Uint8Array.from(out);
}

/**
 * onePStart begins a Go 1.19 trace on one P: the frequency, stack 1 (main.f at /src/main.go:10),
 * P 0's batch at tick 1000 and its start.
 */
export const onePStart: readonly TraceRecord[] = [
    [EventType.Frequency, 1e9],
    { string: 1, text: 'main.f' },
    { string: 2, text: '/src/main.go' },
    [EventType.Stack, 1, 1, 0x401000, 1, 2, 10],
    [EventType.Batch, 0, 1000],
    [EventType.ProcStart, 0, 3],
];

/** goroutinePerIdTrace is a Go 1.19 trace on one P that creates, starts and ends one goroutine per id, in turn. */
export function goroutinePerIdTrace(ids: readonly number[]): Uint8Array {
  return writeTrace([
    ...onePStart,
    ...ids.flatMap((id): number[][] => [
      [EventType.GoCreate, 1, id, 1, 1],
      [EventType.GoStartLocal, 1, id],
      [EventType.GoEnd, 1],
    ]),
    [EventType.ProcStop, 1],
  ]);
}
