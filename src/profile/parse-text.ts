// The readers of text profiles, tried in turn on bytes that start as text (sniff.ts decides):
// Go's legacy contention profiles, its debug=1 count and heap texts, goroutine dumps, and V8's
// JSON profiles. Apart from sniff.ts so that reading a protobuf profile loads none of them.

import { isLegacyContention, parseLegacyContention } from './legacy-contention.js';
import { isGoCountText, parseGoCountText } from '../dump/count-text.js';
import { isHeapText, parseHeapText } from '../dump/heap-text.js';
import { goroutineProfile, isGoroutineDump, readGoroutineDump } from '../dump/goroutine-text.js';
import type { Profile } from './model.js';
import { type ParseOptions, sourceErrors } from './sniff.js';
import { parseV8Profile } from '../v8/v8-json.js';

/** parseTextProfile reads text bytes in the format they start with; undefined when none claims them. */
export function parseTextProfile(raw: Uint8Array, source: string, o: ParseOptions = {}): Profile | undefined {
  const { fail, named } = sourceErrors(source);
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
  return named(() => parseV8Profile(raw));
}
