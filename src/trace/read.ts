// The one entry point for reading a Go execution trace: the 16-byte header names the format
// version (`go 1.19 trace\0\0\0`), which picks the reader. Every error is one line naming the source.

import { ProfileError } from '../profile/errors.js';
import type { Trace } from './model.js';
import { genVersions, readGenTrace } from './gen/reader.js';
import { oldVersions, readOldTrace } from './old/reader.js';
import { TraceFormatError } from './old/wire.js';

/**
 * traceVersion reads the header as Go's parseHeader does: "go 1.N trace" then NUL padding to 16
 * bytes; 1.19 → 1019. Returns undefined when the bytes are not a trace.
 */
export function traceVersion(buf: Uint8Array): number | undefined {
  if (buf.length < 16) return undefined;
  if (buf[0] !== 0x67 || buf[1] !== 0x6f || buf[2] !== 0x20 || buf[3]! < 0x31 || buf[3]! > 0x39 || buf[4] !== 0x2e || buf[5]! < 0x31 || buf[5]! > 0x39) {
    return undefined;
  }
  let ver = buf[5]! - 0x30;
  let i = 0;
  for (; i < 2 && buf[6 + i]! >= 0x30 && buf[6 + i]! <= 0x39; i++) ver = ver * 10 + buf[6 + i]! - 0x30;
  ver += (buf[3]! - 0x30) * 1000;
  const rest = ' trace\0\0\0\0'.slice(0, 10 - i);
  for (let k = 0; k < rest.length; k++) if (buf[6 + i + k] !== rest.charCodeAt(k)) return undefined;
  return ver;
}

/** readTrace reads a whole trace; `source` names it in errors (a file name or a URL). */
export function readTrace(buf: Uint8Array, source: string): Trace {
  const fail = (why: string, cause?: unknown): never => {
    throw new ProfileError(`${source}: ${why}`, cause === undefined ? undefined : { cause });
  };
  if (buf.length < 16) fail(buf.length === 0 ? 'empty file, not a Go execution trace' : `not a Go execution trace: ${buf.length} bytes, shorter than a trace header`);
  const ver = traceVersion(buf);
  if (ver === undefined) return fail('not a Go execution trace (no "go 1.N trace" header)');
  const name = `${Math.floor(ver / 1000)}.${ver % 1000}`;
  const gen = genVersions.includes(ver);
  if (!gen && !oldVersions.includes(ver)) return fail(`unsupported trace file version ${name}${ver > 1026 ? ' (newer than Go 1.26, the latest this reader knows)' : ''}`);
  try {
    return gen ? readGenTrace(buf, ver) : readOldTrace(buf, ver);
  } catch (e) {
    if (e instanceof TraceFormatError) return fail(`malformed Go ${name} trace: ${e.message}`, e);
    if (e instanceof RangeError) return fail(`trace too large to read: ${e.message}`, e);
    throw e;
  }
}
