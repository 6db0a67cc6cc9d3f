// A writer of old-format (Go 1.7–1.21) execution traces for tests: a header, then events given as
// [type, ...arguments] (arguments as the wire has them: the time delta first, the stack id last),
// strings as { string: id, text }. Lets a test build exactly the trace a case needs; the expected
// answers in the tests were checked with go tool trace -d on the bytes this writes.

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
