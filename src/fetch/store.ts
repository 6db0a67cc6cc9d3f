// The saved-profile store: every profile fetched over HTTP is kept, whole, where pprof keeps it
// ($PPROF_TMPDIR, else ~/pprof, else the system's temp folder), under pprof's names
// (pprof.<binary>.<sample types>.NNN.pb.gz), never overwriting an earlier one. A Go execution
// trace fetched by `proflens fetch` is kept beside them as it came, trace.NNN.out; a debug=1|2
// text as it came too, goroutine.NNN.txt (or threadcreate.NNN.txt).

import { Buffer } from 'node:buffer';
import { link, mkdir, readdir, unlink } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ProfileError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { isGzip } from '../profile/first-bytes.js';
import { isGoCountText } from '../dump/count-text.js';
import { isGoroutineDump } from '../dump/goroutine-text.js';
import { isHeapText } from '../dump/heap-text.js';
import { discardTemp, sweepStaleTemps, writeTemp } from './temp-file.js';

/** storeDirs lists where saved profiles may go, in pprof's order of preference. */
export function storeDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.PPROF_TMPDIR) dirs.push(env.PPROF_TMPDIR);
  const home = env.HOME ?? homedir();
  if (home) dirs.push(join(home, 'pprof'));
  dirs.push(tmpdir());
  return dirs;
}

/** savedPrefix is the name pprof gives a fetched profile, without its number and suffix. */
export function savedPrefix(p: Profile): string {
  let prefix = 'pprof.';
  const main = p.mappings[0];
  if (main && main.file !== '') prefix += basename(main.file) + '.';
  for (const t of p.sampleTypes) prefix += t.type + '.';
  return prefix;
}

/**
 * textDumpName names a Go text profile (`?debug=2` goroutine dump, `?debug=1` goroutine or
 * threadcreate counts, `?debug=1` heap or allocs: `heap profile:` both) by its kind, so it is saved as the text it is; undefined for anything else.
 */
function textDumpName(bytes: Uint8Array): string | undefined {
  if (isGoroutineDump(bytes)) return 'goroutine';
  if (!isGoCountText(bytes) && !isHeapText(bytes)) return undefined;
  // The kind goes into a file name and comes from the service: only a plain word is used.
  const kind = /^([a-z]+) profile:/.exec(Buffer.from(bytes.subarray(0, 64)).toString('latin1'))?.[1];
  return kind ?? 'profile';
}

/**
 * saveProfile writes the fetched bytes as the next free <prefix>NNN.pb.gz (gzipped if they were
 * not), or, when they are a debug=1|2 text, as it came: <kind>.NNN.txt, readable as the dump it is.
 */
export function saveProfile(bytes: Uint8Array, p: Profile, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const text = textDumpName(bytes);
  if (text !== undefined) return saveNew(bytes, `${text}.`, '.txt', `${text} dump`, env);
  return saveNew(isGzip(bytes) ? bytes : gzipSync(bytes), savedPrefix(p), '.pb.gz', 'profile', env);
}

/** saveTrace writes a Go execution trace as it came, as the next free trace.NNN.out. */
export function saveTrace(bytes: Uint8Array, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return saveNew(bytes, 'trace.', '.out', 'trace', env);
}

/** saveGoroutineDump writes a goroutine dump's text as it came, as the next free goroutine.NNN.txt. */
export function saveGoroutineDump(bytes: Uint8Array, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return saveNew(bytes, 'goroutine.', '.txt', 'goroutine dump', env);
}

/** SavedPart is one file of a set saved under one number: its suffix, and its bytes or how to write them. */
export interface SavedPart {
  readonly suffix: string;
  /** The bytes, or a writer given the temporary file's path to fill (a heap snapshot streamed to disk). */
  readonly data: Uint8Array | ((tmpPath: string) => Promise<void>);
}

/**
 * saveNumbered writes a set of files as <prefix>NNN<suffix>, one NNN for all of them, the next
 * free one: attach keeps V8's own profile beside the pprof one made of it, under the same number.
 * Returns their paths, in the order of parts.
 */
export function saveNumbered(prefix: string, parts: readonly SavedPart[], what: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return saveSet(parts, prefix, what, env);
}

/** saveNew writes data as the next free <prefix>NNN<suffix> (see saveSet) and returns its path. */
async function saveNew(data: Uint8Array, prefix: string, suffix: string, what: string, env: NodeJS.ProcessEnv): Promise<string> {
  return (await saveSet([{ suffix, data }], prefix, what, env))[0]!;
}

/**
 * saveSet writes each part as <prefix>NNN<suffix>, all under the next NNN free for every one of
 * them, in the first usable store folder, and returns their paths. The bytes go to temporary
 * files first and are linked into place, so a name appears only when its file is whole, and an
 * existing name is never replaced (link fails on it; we take the next number). Temporary files
 * left by writers that were killed are swept away first, so nothing half-written stays.
 */
async function saveSet(parts: readonly SavedPart[], prefix: string, what: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const errors: string[] = [];
  const pattern = parts.map((p) => `${prefix}NNN${p.suffix}`).join(', ');
  for (const dir of storeDirs(env)) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      errors.push(`${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    await sweepStaleTemps(dir);
    const tmps: string[] = [];
    let producerFailed = false;
    try {
      for (const p of parts) {
        if (typeof p.data === 'function') {
          const tmp = await writeTemp(dir, new Uint8Array(0));
          tmps.push(tmp);
          try {
            await p.data(tmp);
          } catch (e) {
            // The writer's own failure (the process it reads from went away): not this folder's,
            // and not to be tried again in the next one.
            producerFailed = true;
            throw e;
          }
        } else {
          tmps.push(await writeTemp(dir, p.data));
        }
      }
      const taken = new Set(await readdir(dir));
      for (let n = 1; n < 10000; n++) {
        const names = parts.map((p) => join(dir, `${prefix}${String(n).padStart(3, '0')}${p.suffix}`));
        if (names.some((name) => taken.has(basename(name)))) continue;
        const linked: string[] = [];
        try {
          for (let i = 0; i < names.length; i++) {
            await link(tmps[i]!, names[i]!);
            linked.push(names[i]!);
          }
          return names;
        } catch (e) {
          // Another writer took one of the names in between: give back what we linked, try the next.
          await Promise.all(linked.map((l) => unlink(l).catch(() => undefined)));
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
      }
      throw new Error(`no free names of the form ${pattern}`);
    } catch (e) {
      if (producerFailed) throw e;
      errors.push(`${dir}: ${(e as Error).message}`);
    } finally {
      for (const t of tmps) await discardTemp(t);
    }
  }
  throw new ProfileError(`could not save ${what}: ${errors.join('; ')}`);
}
