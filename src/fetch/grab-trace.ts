// Getting a Go execution trace's bytes: a file, standard input (`-`), or a URL. A URL is fetched
// as profiles are (countdown, timeout, TLS), with the trace's own defaults: `host:port` alone means
// /debug/pprof/trace, and 5 seconds of tracing unless the URL or --seconds says otherwise. What
// came is saved whole as trace.NNN.out in the store before anything else is done with it.

import { ProfileError } from '../profile/errors.js';
import { isGoExecutionTrace } from '../profile/first-bytes.js';
import type { GrabOptions } from './grab.js';
import { type GrabbedBytes, fetchSource, isUrlSource } from './remote.js';
import { readSource } from './source.js';
import { profileRequest, tracePath } from './url.js';

/** The seconds of tracing asked for when neither the URL nor the options say. */
export const defaultTraceSeconds = 5;

/** grabTrace reads or fetches one trace; `o.seconds` undefined or 0 means the default. */
export async function grabTrace(source: string, o: GrabOptions = {}): Promise<GrabbedBytes> {
  if (!(await isUrlSource(source))) return { bytes: await readSource(source, o), display: source };
  const hasOwnSeconds = /[?&]seconds=/.test(source);
  const seconds = o.seconds && o.seconds > 0 ? o.seconds : hasOwnSeconds ? 0 : defaultTraceSeconds;
  const req = profileRequest(source, seconds, o.timeout ?? 0, tracePath)!;
  const bytes = await fetchSource(req, o);
  if (!isGoExecutionTrace(bytes)) throw new ProfileError(`${req.display}: not a Go execution trace (no "go 1.N trace" header); nothing saved`);
  if (o.save === false) return { bytes, display: req.display };
  const { saveTrace } = await import('./store.js');
  const saved = await saveTrace(bytes, o.env);
  o.onSaved?.(saved, req.display);
  return { bytes, display: req.display, saved };
}
