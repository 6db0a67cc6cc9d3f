// Getting a goroutine dump's text: a file, standard input (`-`), or a service. A service is asked
// for /debug/pprof/goroutine?debug=2 (`host:port` alone means that path; a URL's own `debug=` is
// kept), fetched as profiles are, and what came is saved whole as goroutine.NNN.txt in the store
// before anything else is done with it (issue 19.3).

import { ProfileError } from '../profile/errors.js';
import { isGoroutineDump } from '../dump/goroutine-text.js';
import type { GrabOptions } from './grab.js';
import { type GrabbedBytes, fetchSource, isUrlSource } from './remote.js';
import { readSource } from './source.js';
import { type ProfileRequest, profileRequest } from './url.js';

/** The path a service serves goroutine dumps under. */
export const goroutinePath = '/debug/pprof/goroutine';

/** dumpRequest is the request for a service's dump: debug=2 unless the URL says otherwise. */
export function dumpRequest(source: string, timeoutSeconds = 0): ProfileRequest | undefined {
  const req = profileRequest(source, 0, timeoutSeconds, goroutinePath);
  if (!req) return undefined;
  const u = new URL(req.url);
  if (u.searchParams.has('debug')) return req;
  u.searchParams.set('debug', '2');
  const display = new URL(req.display);
  display.searchParams.set('debug', '2');
  return { ...req, url: u.toString(), display: display.toString() };
}

/** grabDump reads or fetches one goroutine dump. */
export async function grabDump(source: string, o: GrabOptions = {}): Promise<GrabbedBytes> {
  if (!(await isUrlSource(source))) return { bytes: await readSource(source, o), display: source };
  const req = dumpRequest(source, o.timeout ?? 0)!;
  const bytes = await fetchSource(req, o);
  if (!isGoroutineDump(bytes)) throw new ProfileError(`${req.display}: not a goroutine dump (no "goroutine N [state]:" line); nothing saved`);
  if (o.save === false) return { bytes, display: req.display };
  const { saveGoroutineDump } = await import('./store.js');
  const saved = await saveGoroutineDump(bytes, o.env);
  o.onSaved?.(saved, req.display);
  return { bytes, display: req.display, saved };
}
