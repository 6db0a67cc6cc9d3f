// Whether a source is a URL to fetch, and fetching its bytes: what every reader of sources
// shares (profiles in grab.ts, traces in grab-trace.ts, goroutine dumps in grab-dump.ts). Apart
// from grab.ts, so that the trace and dump commands load no profile decoder (issue 16).

import { stat } from 'node:fs/promises';
import type { GrabOptions } from './grab.js';
import { profileRequest, type ProfileRequest } from './url.js';

/** isUrlSource tells whether a source will be fetched over HTTP. */
export async function isUrlSource(source: string): Promise<boolean> {
  return source !== '-' && !(await exists(source)) && profileRequest(source) !== undefined;
}

/** GrabbedBytes is a trace's or dump's bytes, how to name it in messages, and where it was saved. */
export interface GrabbedBytes {
  readonly bytes: Uint8Array;
  /** The file name, or the URL as fetched. */
  readonly display: string;
  readonly saved?: string;
}

/** fetchSource fetches a request's bytes, telling onFetch and onFetched. */
export async function fetchSource(req: ProfileRequest, o: GrabOptions): Promise<Uint8Array> {
  // The HTTP(S) client is loaded only for URLs: TLS alone costs a file read's time.
  const { fetchBytes } = await import('./http.js');
  o.onFetch?.(req);
  try {
    return await fetchBytes(req, o);
  } finally {
    o.onFetched?.(req);
  }
}

/** exists tells whether a path names something on disk. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
