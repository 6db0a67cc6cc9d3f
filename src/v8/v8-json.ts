// Recognising V8's JSON profiles among the inputs of the one parse entry point: a .cpuprofile or
// a .heapprofile is known by its content (its top-level keys), never by its file name.

import { Buffer } from 'node:buffer';
import { ProfileError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { cpuProfileToProfile, isCpuProfile } from './cpuprofile.js';
import type { V8ConvertOptions } from './frames.js';
import { heapProfileToProfile, isHeapProfile } from './heapprofile.js';

/** The keys a V8 profile starts with, as Node, Chrome and the inspector write them. */
const v8Start = /^\{\s*"(nodes|startTime|endTime|samples|timeDeltas|head)"\s*:/;

/** looksLikeJsonObject tells whether bytes start (after white space) with `{`, as a JSON object does. */
export function looksLikeJsonObject(raw: Uint8Array): boolean {
  for (const b of raw.subarray(0, 64)) {
    if (b === 0x7b) return true;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return false;
}

/**
 * parseV8Profile converts the bytes when they are a V8 .cpuprofile or .heapprofile, and returns
 * undefined for any other JSON (or text) so the caller can say what it is. Bytes that start as a
 * V8 profile but are not valid JSON fail with the parser's reason (a file cut short, mostly).
 */
export function parseV8Profile(raw: Uint8Array, o: V8ConvertOptions = {}): Profile | undefined {
  if (!looksLikeJsonObject(raw)) return undefined;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  const v8 = v8Start.test(bytes.subarray(0, 128).toString('utf8').trimStart());
  let v: unknown;
  try {
    // Past V8's longest string (about 512 MB) the text cannot even be made: that fails here too.
    v = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    if (v8) throw new ProfileError(`V8 profile: invalid JSON: ${(e as Error).message}`, { cause: e });
    return undefined;
  }
  if (isCpuProfile(v)) return cpuProfileToProfile(v, o);
  if (isHeapProfile(v)) return heapProfileToProfile(v, o);
  return undefined;
}
