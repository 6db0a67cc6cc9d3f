// A worker thread that parses one profile, so that two large profiles (a profile and its base)
// decode at once on two cores. The result's typed arrays are transferred back, not copied.

import { parentPort } from 'node:worker_threads';
import { ProfileError } from './errors.js';
import type { Profile } from './model.js';
import { type ParseOptions, parseProfile } from './parse.js';

/** buffersOf lists the distinct buffers behind a profile's typed arrays, for transfer. */
function buffersOf(p: Profile): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (o: object | undefined): void => {
    if (!o) return;
    for (const v of Object.values(o)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  };
  add(p.samples);
  add(p.samples.labels);
  add(p.locations);
  add(p.functions);
  return [...out];
}

parentPort!.on('message', (m: { bytes: Uint8Array; source: string; options?: ParseOptions }) => {
  try {
    // Functions do not cross threads: warnings go back with the profile.
    const warnings: string[] = [];
    const profile = parseProfile(m.bytes, m.source, { ...m.options, warn: (w) => warnings.push(w) });
    parentPort!.postMessage({ profile, warnings }, buffersOf(profile));
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message, profileError: e instanceof ProfileError });
  }
});
