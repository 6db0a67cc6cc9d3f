// Hand-written profile.proto bytes for tests: each field spelled out, so that what a test feeds
// the decoder does not depend on proflens's own encoder.

/** varint is n (below 2^53) as a protobuf varint. */
export const varint = (n: number): number[] => {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return out;
};
/** field is one field: its tag (number, wire type) and what follows it. */
export const field = (num: number, wire: number, payload: number[]): number[] => [...varint(num * 8 + wire), ...payload];
/** v is a varint field. */
export const v = (num: number, n: number): number[] => field(num, 0, varint(n));
/** msg is a length-delimited field (a message, a string, a packed run). */
export const msg = (num: number, body: number[]): number[] => field(num, 2, [...varint(body.length), ...body]);
/** fixed32 is a 32-bit fixed field. */
export const fixed32 = (num: number, n: number): number[] => field(num, 5, [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);
/** fixed64 is a 64-bit fixed field (n below 2^32). */
export const fixed64 = (num: number, n: number): number[] => field(num, 1, [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, 0, 0, 0, 0]);
/** stringTable is the string_table fields for strings (the first must be ""). */
export const stringTable = (strings: readonly string[]): number[] => strings.flatMap((s) => msg(6, [...Buffer.from(s)]));
