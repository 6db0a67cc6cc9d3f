// Reading the bytes of a source: a file path, or `-` for standard input.

import { readFileSync } from 'node:fs';
import { ProfileError } from '../profile/errors.js';

/** SourceIO is how sources reach the outside world; tests pass their own. */
export interface SourceIO {
  /** Reads all of standard input. */
  readonly readStdin?: () => Promise<Uint8Array>;
}

/**
 * readSource returns the bytes of a file or of stdin (`-`); errors name the source. A file is read
 * synchronously: its bytes are decoded synchronously next anyway, and for a small profile the
 * asynchronous read's four trips through the thread pool cost more than the read itself.
 */
export async function readSource(source: string, io: SourceIO = {}): Promise<Uint8Array> {
  if (source === '-') {
    if (!io.readStdin) throw new ProfileError('-: standard input is not available');
    return io.readStdin();
  }
  try {
    return readFileSync(source);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new ProfileError(`${source}: ${why}`, { cause: e });
  }
}

/** readStdin reads all of process.stdin. */
export async function readProcessStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
