// The one way bytes become a Profile, at once: sniff the format by content, decompress, decode,
// and say what went wrong (with the source's name) when the bytes are not a profile. This is the
// library's and the worker threads' synchronous reader; the CLI reads with sniff.ts's readProfile,
// which imports the text readers only for text.

import type { Profile } from './model.js';
import { parseTextProfile } from './parse-text.js';
import { type ParseOptions, decodeBinaryProfile, looksLikeText, profileBytes } from './sniff.js';

export { type ParseOptions, defaultSizeLimit, executableFormat, isGoExecutionTrace, isGzip } from './sniff.js';

/** parseProfile decodes a gzipped or raw pprof protobuf, or a text or V8 profile; `source` names it in errors. */
export function parseProfile(data: Uint8Array, source: string, o: ParseOptions = {}): Profile {
  const raw = profileBytes(data, source, o);
  return (looksLikeText(raw) ? parseTextProfile(raw, source, o) : undefined) ?? decodeBinaryProfile(raw, source);
}
