// Parsing several large profiles at once: the main thread decodes one while worker threads decode
// the others (at most one fewer than the cores). Small profiles, and a lone profile, are parsed
// in place: a worker costs tens of milliseconds to start.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ProfileError } from './errors.js';
import type { Profile } from './model.js';
import { type ParseOptions, readProfile } from './sniff.js';

/** Below this many bytes a profile decodes faster than a worker starts. */
const workerThreshold = 2 << 20;

/** ParsePool hands large profiles to workers while it has free ones, and parses the rest itself. */
export class ParsePool {
  private free: number;

  constructor(
    private readonly threshold = workerThreshold,
    workers = availableParallelism() - 1,
  ) {
    this.free = Math.max(workers, 0);
  }

  parse(bytes: Uint8Array, source: string, o: ParseOptions = {}): Promise<Profile> | Profile {
    if (bytes.length < this.threshold || this.free === 0) return readProfile(bytes, source, o);
    this.free--;
    return parseInWorker(bytes, source, o).finally(() => this.free++);
  }
}

function parseInWorker(bytes: Uint8Array, source: string, o: ParseOptions): Promise<Profile> {
  const worker = new Worker(new URL('./parse-worker.js', import.meta.url));
  return new Promise<Profile>((resolve, reject) => {
    worker.once('message', (m: { profile?: Profile; warnings?: string[]; error?: string; profileError?: boolean }) => {
      for (const w of m.warnings ?? []) o.warn?.(w);
      if (m.profile) resolve(m.profile);
      else reject(m.profileError ? new ProfileError(m.error!) : new Error(m.error));
    });
    worker.once('error', reject);
    const { warn: _, ...options } = o;
    worker.postMessage({ bytes, source, options });
  }).finally(() => void worker.terminate());
}
