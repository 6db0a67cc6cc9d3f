// Getting one source's profile: standard input, a file, or a URL. A source that is not an existing
// file and looks like `host:port/…` or `scheme://…` is fetched over HTTP; what was fetched is
// parsed, then saved whole in the store before anything else is done with it.

import { ExecutableError, UsageError } from '../profile/errors.js';
import { type ParseOptions, defaultSizeLimit, executableFormat, isGoExecutionTrace, readProfile } from '../profile/sniff.js';
import type { Profile } from '../profile/model.js';
import type { FetchOptions } from './http.js';
import { type SourceIO, readSource } from './source.js';
import { type ProfileRequest, profileRequest } from './url.js';
import { exists, fetchSource } from './remote.js';

export { type GrabbedBytes, fetchSource, isUrlSource } from './remote.js';

/** GrabOptions shape how sources are read, fetched and saved. */
export interface GrabOptions extends SourceIO, FetchOptions {
  /** Seconds of profiling to ask a server for (`?seconds=N`); 0 for the URL's own. */
  readonly seconds?: number;
  /** Seconds to wait for a response; 0 for pprof's default. */
  readonly timeout?: number;
  /** Save fetched profiles in the store (default true). */
  readonly save?: boolean;
  /** The environment that chooses the store folder (PPROF_TMPDIR, HOME). */
  readonly env?: NodeJS.ProcessEnv;
  /** Called when a fetch starts, so a terminal can show a countdown. */
  readonly onFetch?: (req: ProfileRequest) => void;
  /** Called when a fetch has ended, successfully or not. */
  readonly onFetched?: (req: ProfileRequest) => void;
  /** Parses a source's bytes (default: readProfile, in place); a pool may use worker threads. */
  readonly parse?: (bytes: Uint8Array, source: string, o?: ParseOptions) => Profile | Promise<Profile>;
  /** Called with the path of each saved profile. */
  readonly onSaved?: (path: string, source: string) => void;
  /** Receives notes: sources that failed while others succeeded, sources read only in part (a goroutine dump cut short). */
  readonly warn?: (msg: string) => void;
}

/** Grabbed is one source's profile, and where it was saved when it came over HTTP. */
export interface Grabbed {
  readonly source: string;
  readonly profile: Profile;
  readonly bytes: Uint8Array;
  readonly saved?: string;
}

/**
 * grabProfile reads, fetches and parses one source; its errors name the source. A source that is
 * an executable throws an ExecutableError, so that a caller can set it aside.
 */
export async function grabProfile(source: string, o: GrabOptions = {}): Promise<Grabbed> {
  const req = source === '-' || (await exists(source)) ? undefined : profileRequest(source, o.seconds, o.timeout);
  if (!req) {
    const bytes = await readSource(source, o, o.maxBytes ?? defaultSizeLimit);
    return { source, profile: await parseBounded(bytes, source, o), bytes };
  }
  const bytes = await fetchSource(req, o);
  // Parsed (and so bounded) before it is saved: a gzip bomb never reaches the store.
  const profile = await parseBounded(bytes, req.display, o);
  if (o.save === false) return { source, profile, bytes };
  const { saveProfile, saveTrace } = await import('./store.js');
  // A trace read as a profile (--pprof sync) is kept as the trace it is, trace.NNN.out.
  const saved = isGoExecutionTrace(bytes) ? await saveTrace(bytes, o.env) : await saveProfile(bytes, profile, o.env);
  o.onSaved?.(saved, req.display);
  return { source, profile, bytes, saved };
}

/** Collected is what `proflens fetch` saved of one URL: a profile, or a Go execution trace. */
export interface Collected {
  readonly kind: 'profile' | 'trace';
  readonly saved: string;
}

/**
 * collect fetches one URL and saves what came: a profile once it parses (as grabProfile does), a
 * Go execution trace (/debug/pprof/trace) as it is, for `go tool trace`.
 */
export async function collect(source: string, o: GrabOptions = {}): Promise<Collected> {
  const req = profileRequest(source, o.seconds, o.timeout);
  if (!req) throw new UsageError(`${source} is not a URL`);
  const bytes = await fetchSource(req, o);
  const { saveProfile, saveTrace } = await import('./store.js');
  if (isGoExecutionTrace(bytes)) return { kind: 'trace', saved: await saveTrace(bytes, o.env) };
  const profile = await parseBounded(bytes, req.display, o);
  return { kind: 'profile', saved: await saveProfile(bytes, profile, o.env) };
}

/**
 * parseBounded parses with the size limit (--max-size, else the default) on what the bytes
 * inflate to. An executable is named as such here, before any worker thread turns its error into
 * a plain ProfileError.
 */
function parseBounded(bytes: Uint8Array, source: string, o: GrabOptions): Profile | Promise<Profile> {
  const executable = executableFormat(bytes);
  if (executable) throw new ExecutableError(source, executable);
  return (o.parse ?? readProfile)(bytes, source, { maxBytes: o.maxBytes ?? defaultSizeLimit, ...(o.warn ? { warn: o.warn } : {}) });
}
