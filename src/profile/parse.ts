// The one way bytes become a Profile: sniff the format by content, decompress, decode, and say
// what went wrong (with the source's name) when the bytes are not a profile.

import { gunzipSync } from 'node:zlib';
import { decodeProfileProto } from './decode.js';
import { ProfileError } from './errors.js';
import { isLegacyContention, parseLegacyContention } from './legacy-contention.js';
import type { Profile } from './model.js';

/** isGzip tells whether bytes start with the gzip magic number. */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/**
 * isGoExecutionTrace tells whether the bytes are a Go execution trace (`/debug/pprof/trace`), which
 * starts with a 16-byte header such as `go 1.19 trace\0\0\0`: not a profile, but what
 * `go tool trace` reads.
 */
export function isGoExecutionTrace(data: Uint8Array): boolean {
  return /^go 1\.\d+ trace\0/.test(new TextDecoder('latin1').decode(data.subarray(0, 16)));
}

/** parseProfile decodes a gzipped or raw pprof protobuf; `source` names it in errors. */
export function parseProfile(data: Uint8Array, source: string): Profile {
  const fail = (why: string, cause?: unknown): never => {
    throw new ProfileError(`${source}: ${why}`, cause === undefined ? undefined : { cause });
  };
  if (data.length === 0) fail('empty file, not a profile');
  let raw = data;
  if (isGzip(data)) {
    try {
      // One output chunk of the size the gzip trailer announces spares zlib a copy of the whole
      // output; the trailer holds the size modulo 2^32, so this is a hint, not a limit.
      const announced = data.length >= 18 ? new DataView(data.buffer, data.byteOffset + data.length - 4, 4).getUint32(0, true) : 0;
      raw = gunzipSync(data, { chunkSize: Math.min(Math.max(64 * 1024, announced + 1), 1 << 30) });
    } catch (e) {
      const code = (e as { code?: string }).code;
      fail(code === 'Z_BUF_ERROR' ? 'truncated gzip data' : `corrupt gzip data: ${(e as Error).message}`, e);
    }
  }
  // Go's legacy text contention profiles (mutex?debug=1, block?debug=1), which pprof reads too.
  if (isLegacyContention(raw)) {
    try {
      return parseLegacyContention(raw);
    } catch (e) {
      if (e instanceof ProfileError) fail(e.message, e);
      throw e;
    }
  }
  const other = sniffOtherFormat(raw);
  if (other) fail(`not a pprof profile (${other})`);
  try {
    return decodeProfileProto(raw);
  } catch (e) {
    if (e instanceof ProfileError) fail(e.message, e);
    throw e;
  }
}

/** sniffOtherFormat names what the bytes look like when they are plainly not a protobuf. */
function sniffOtherFormat(raw: Uint8Array): string | undefined {
  if (isGoExecutionTrace(raw)) return 'it is a Go execution trace: save it with proflens fetch and open it with go tool trace';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(raw.subarray(0, 256)).trimStart();
  const lower = head.toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || lower.startsWith('<')) return 'it is HTML or XML';
  if (head.startsWith('{') || head.startsWith('[')) return 'it is JSON';
  if (/^(heap profile:|--- (contention|mutex|heap)|goroutine profile:|threadcreate profile:)/.test(head)) {
    return 'it is a legacy text profile; fetch it without ?debug=1';
  }
  // Field tags and lengths put control bytes among a protobuf's first bytes; text has none.
  const first = raw.subarray(0, 32);
  if (first.length >= 8 && first.every((b) => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13)) return 'it is text';
  // A profile.proto starts with a field tag of wire type 0 or 2 and a known field number.
  const tag = raw[0]!;
  const field = tag >> 3;
  const wire = tag & 7;
  if (field === 0 || field > 15 || (wire !== 0 && wire !== 2)) {
    return `unexpected first byte 0x${tag.toString(16).padStart(2, '0')}`;
  }
  return undefined;
}
