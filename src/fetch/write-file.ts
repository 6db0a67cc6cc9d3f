// Files are written whole or not at all: into a temporary file beside the target, then renamed.

import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ProfileError } from '../profile/errors.js';
import { textBytes } from '../profile/text-bytes.js';

/** writeFileWhole writes data to path atomically; on failure nothing is left behind. */
export async function writeFileWhole(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.proflens.tmp`);
  try {
    // textBytes: bytes of a profile that are not UTF-8 are written as they were (pprof does).
    await writeFile(tmp, typeof data === 'string' ? textBytes(data) : data, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new ProfileError(`${path}: cannot write: ${(e as Error).message}`, { cause: e });
  }
}
