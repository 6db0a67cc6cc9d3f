// The lean first step of reading a profile: what the bytes are (an executable, gzip, text, a
// protobuf), inflating them within bounds, and decoding a protobuf. The readers of text formats
// (Go's legacy and debug=1 texts, goroutine dumps, V8's JSON; parse-text.ts) are imported only when
// the first bytes are text, so that `proflens top` on a pprof profile loads none of them.

import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { decodeProfileProto } from './decode.js';
import { ExecutableError, ProfileError } from './errors.js';
import { defaultSizeLimit, executableFormat, isGoExecutionTrace, isGzip } from './first-bytes.js';
import type { Profile } from './model.js';

export { defaultSizeLimit, executableFormat, isGoExecutionTrace, isGzip } from './first-bytes.js';

/** ParseOptions bound what parsing may take. */
export interface ParseOptions {
  /** Largest size the data may inflate to, in bytes (default defaultSizeLimit). */
  readonly maxBytes?: number;
  /** Receives notes on input read only in part (a goroutine dump cut short), already naming the source. */
  readonly warn?: (msg: string) => void;
}

/** SourceErrors name the source in a reader's errors. */
export interface SourceErrors {
  /** Throws a ProfileError `SOURCE: why`. */
  readonly fail: (why: string, cause?: unknown) => never;
  /** Runs a reader; its own ProfileError gains the source's name, anything else is a bug and stays as it is. */
  readonly named: <T>(read: () => T) => T;
}

/** sourceErrors are the error helpers of one source. */
export function sourceErrors(source: string): SourceErrors {
  const fail = (why: string, cause?: unknown): never => {
    throw new ProfileError(`${source}: ${why}`, cause === undefined ? undefined : { cause });
  };
  const named = <T>(read: () => T): T => {
    try {
      return read();
    } catch (e) {
      if (e instanceof ProfileError) fail(e.message, e);
      throw e;
    }
  };
  return { fail, named };
}

/**
 * profileBytes refuses an executable and inflates gzip within the size limit: the bytes a reader
 * gets. An empty result is refused in pprof's words (an empty file and the gzip of nothing alike).
 */
export function profileBytes(data: Uint8Array, source: string, o: ParseOptions = {}): Uint8Array {
  const { fail } = sourceErrors(source);
  const executable = executableFormat(data);
  if (executable) throw new ExecutableError(source, executable);
  const raw = isGzip(data) ? gunzipBounded(data, o.maxBytes ?? defaultSizeLimit, fail) : data;
  if (raw.length === 0) fail('empty input file');
  return raw;
}

/**
 * looksLikeText tells whether the first bytes are text (no control bytes but tab and line ends):
 * every text format starts so, and a protobuf profile does not (its first field's length, or the
 * string table's empty first string, is a control byte). It only decides whether the text readers
 * are tried: bytes they all refuse still go to the protobuf decoder.
 */
export function looksLikeText(raw: Uint8Array): boolean {
  return raw.subarray(0, 32).every((b) => b >= 0x20 || b === 9 || b === 10 || b === 13);
}

/** decodeBinaryProfile decodes a pprof protobuf, first naming plainly other formats (HTML, JSON, a trace). */
export function decodeBinaryProfile(raw: Uint8Array, source: string): Profile {
  const { fail, named } = sourceErrors(source);
  const other = sniffOtherFormat(raw);
  if (other) fail(`not a pprof profile (${other})`);
  return named(() => decodeProfileProto(raw));
}

/**
 * readProfile is parseProfile (parse.ts) importing the text readers only when the bytes are text:
 * what the CLI and the server use. `source` names the bytes in errors.
 */
export async function readProfile(data: Uint8Array, source: string, o: ParseOptions = {}): Promise<Profile> {
  const raw = profileBytes(data, source, o);
  const text = looksLikeText(raw) ? (await import('./parse-text.js')).parseTextProfile(raw, source, o) : undefined;
  return text ?? decodeBinaryProfile(raw, source);
}

/**
 * gunzipBounded inflates gzip data, refusing it as soon as the output passes maxBytes: zlib counts
 * as it goes and stops there, so a bomb takes about the limit of memory, not what it would inflate to.
 */
function gunzipBounded(data: Uint8Array, maxBytes: number, fail: (why: string, cause?: unknown) => never): Uint8Array {
  const limit = Math.min(Math.max(maxBytes, 1), bufferConstants.MAX_LENGTH);
  // The gzip trailer holds the (last member's) size modulo 2^32, and zlib checks it. Inflating into
  // one buffer of exactly that size spares a copy of the whole output; only output beyond it (a
  // file of several members, or a lying trailer) takes the second way: small chunks up to the limit.
  const announced = data.length >= 18 ? new DataView(data.buffer, data.byteOffset + data.length - 4, 4).getUint32(0, true) : 0;
  try {
    if (announced > 0 && announced <= limit) {
      try {
        return gunzipSync(data, { chunkSize: Math.max(64, announced + 1), maxOutputLength: announced });
      } catch (e) {
        if ((e as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw e;
      }
    }
    return gunzipSync(data, { chunkSize: Math.max(64, Math.min(limit + 1, 16 << 20)), maxOutputLength: limit });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return fail(`gzip data inflates to more than ${maxBytes} bytes, the limit (--max-size sets it)`, e);
    return fail(code === 'Z_BUF_ERROR' ? 'truncated gzip data' : `corrupt gzip data: ${(e as Error).message}`, e);
  }
}

/** sniffOtherFormat names what the bytes look like when they are plainly not a protobuf. */
function sniffOtherFormat(raw: Uint8Array): string | undefined {
  if (isGoExecutionTrace(raw)) return 'it is a Go execution trace: save it with proflens fetch and open it with go tool trace';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(raw.subarray(0, 256)).trimStart();
  const lower = head.toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || lower.startsWith('<')) return 'it is HTML or XML';
  // DevTools' and v8.writeHeapSnapshot's object graph: its own command reads it (src/v8/).
  if (/^\{\s*"snapshot"\s*:\s*\{/.test(head)) return 'it is a V8 heap snapshot: use proflens heap';
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
