// The one way bytes become a Profile: sniff the format by content, decompress, decode, and say
// what went wrong (with the source's name) when the bytes are not a profile.

import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { decodeProfileProto } from './decode.js';
import { ExecutableError, ProfileError } from './errors.js';
import { isLegacyContention, parseLegacyContention } from './legacy-contention.js';
import { isGoCountText, parseGoCountText } from '../dump/count-text.js';
import { isHeapText, parseHeapText } from '../dump/heap-text.js';
import { goroutineProfile, isGoroutineDump, readGoroutineDump } from '../dump/goroutine-text.js';
import type { Profile } from './model.js';
import { parseV8Profile } from '../v8/v8-json.js';

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

/**
 * defaultSizeLimit bounds what a profile may inflate to (and a file's size) unless --max-size says
 * otherwise: 2 GiB, above any real profile (the 1M-sample benchmark profile is 97 MB raw), and a
 * bound on the memory a gzip bomb can take (a 2.6 MB file inflates to 5 GB otherwise).
 */
export const defaultSizeLimit = 2 ** 31;

/** ParseOptions bound what parsing may take. */
export interface ParseOptions {
  /** Largest size the data may inflate to, in bytes (default defaultSizeLimit). */
  readonly maxBytes?: number;
  /** Receives notes on input read only in part (a goroutine dump cut short), already naming the source. */
  readonly warn?: (msg: string) => void;
}

/** parseProfile decodes a gzipped or raw pprof protobuf; `source` names it in errors. */
export function parseProfile(data: Uint8Array, source: string, o: ParseOptions = {}): Profile {
  const fail = (why: string, cause?: unknown): never => {
    throw new ProfileError(`${source}: ${why}`, cause === undefined ? undefined : { cause });
  };
  // A reader's own ProfileError gains the source's name; anything else is a bug and stays as it is.
  const named = <T>(read: () => T): T => {
    try {
      return read();
    } catch (e) {
      if (e instanceof ProfileError) fail(e.message, e);
      throw e;
    }
  };
  const executable = executableFormat(data);
  if (executable) throw new ExecutableError(source, executable);
  const raw = isGzip(data) ? gunzipBounded(data, o.maxBytes ?? defaultSizeLimit, fail) : data;
  // pprof's words, for an empty file and for the gzip of nothing alike.
  if (raw.length === 0) fail('empty input file');
  // Go's legacy text contention profiles (mutex?debug=1, block?debug=1), which pprof reads too.
  if (isLegacyContention(raw)) return named(() => parseLegacyContention(raw));
  // goroutine?debug=1 and threadcreate?debug=1: pprof reads them too, and proflens keeps their names.
  if (isGoCountText(raw)) return named(() => parseGoCountText(raw));
  // heap?debug=1 and allocs?debug=1, which pprof reads too; proflens keeps their names.
  if (isHeapText(raw)) return named(() => parseHeapText(raw));
  // goroutine?debug=2, a panic's traceback, a SIGQUIT dump: one sample per goroutine.
  if (isGoroutineDump(raw)) {
    const dump = readGoroutineDump(raw);
    if (dump.goroutines.length === 0) fail(`no goroutine could be read${dump.warning ? ` (${dump.warning})` : ''}`);
    if (dump.warning) o.warn?.(`${source}: ${dump.warning}`);
    return goroutineProfile(dump);
  }
  // V8's own JSON profiles: .cpuprofile (node --cpu-prof, DevTools) and .heapprofile (--heap-prof).
  const v8 = named(() => parseV8Profile(raw));
  if (v8) return v8;
  const other = sniffOtherFormat(raw);
  if (other) fail(`not a pprof profile (${other})`);
  return named(() => decodeProfileProto(raw));
}

/**
 * executableFormat names the executable format the bytes start with (ELF, Mach-O, PE), if any:
 * pprof users name the program before the profile (`pprof BINARY PROFILE`). None of these magic
 * numbers can start a profile: as protobuf tags they are wire types or field numbers
 * profile.proto does not use.
 */
export function executableFormat(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined;
  const magic = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, false);
  if (magic === 0x7f454c46) return 'ELF';
  // 32- and 64-bit, either byte order, and the universal (fat) binary.
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return 'Mach-O';
  if (data[0] === 0x4d && data[1] === 0x5a) return 'PE';
  return undefined;
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
