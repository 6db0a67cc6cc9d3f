// Reading the bytes of a source: a file path, or `-` for standard input. Every read is bounded:
// a file that never ends (/dev/zero) or a stream larger than the limit is refused at the limit.

import { closeSync, createReadStream, fstatSync, openSync, readFileSync } from 'node:fs';
import { ProfileError } from '../profile/errors.js';
import { defaultSizeLimit } from '../profile/first-bytes.js';

/** SourceIO is how sources reach the outside world; tests pass their own. */
export interface SourceIO {
  /** Reads all of standard input, refusing more than maxBytes. */
  readonly readStdin?: (maxBytes: number) => Promise<Uint8Array>;
}

/**
 * readSource returns the bytes of a file or of stdin (`-`), at most maxBytes of them; errors name
 * the source. A regular file is read synchronously: its bytes are decoded synchronously next
 * anyway, and for a small profile the asynchronous read's four trips through the thread pool cost
 * more than the read itself. Anything else (a pipe from `<(curl …)`, a device) is read as a stream
 * with a running count.
 */
export async function readSource(source: string, io: SourceIO = {}, maxBytes = defaultSizeLimit): Promise<Uint8Array> {
  if (source === '-') {
    if (!io.readStdin) throw new ProfileError('-: standard input is not available');
    const bytes = await io.readStdin(maxBytes);
    if (bytes.length > maxBytes) throw overLimit('-', maxBytes);
    return bytes;
  }
  let fd: number;
  try {
    fd = openSync(source, 'r');
  } catch (e) {
    throw readError(source, e);
  }
  let streaming = false;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ProfileError(`${source}: is a directory`);
    if (!st.isFile()) {
      streaming = true;
      return await readStream(createReadStream(source, { fd, highWaterMark: 1 << 20 }), source, maxBytes);
    }
    if (st.size > maxBytes) throw new ProfileError(`${source}: ${st.size} bytes, over the limit of ${maxBytes} bytes (--max-size sets it)`);
    return readFileSync(fd);
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    throw readError(source, e);
  } finally {
    // The stream closes its descriptor itself, at its end or when destroyed.
    if (!streaming) closeSync(fd);
  }
}

/** readProcessStdin reads process.stdin, at most maxBytes of it. */
export function readProcessStdin(maxBytes = defaultSizeLimit): Promise<Uint8Array> {
  return readStream(process.stdin, '-', maxBytes);
}

/** readStream collects a stream's bytes, giving up (and destroying it) once they pass maxBytes. */
async function readStream(stream: NodeJS.ReadableStream & { destroy(): void }, source: string, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of stream) {
      const chunk = c as Buffer;
      size += chunk.length;
      if (size > maxBytes) throw overLimit(source, maxBytes);
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    throw readError(source, e);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, size);
}

function overLimit(source: string, maxBytes: number): ProfileError {
  return new ProfileError(`${source}: more than ${maxBytes} bytes, the limit (--max-size sets it)`);
}

function readError(source: string, e: unknown): ProfileError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new ProfileError(`${source}: ${why}`, { cause: e });
}
