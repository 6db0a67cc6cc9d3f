// Files are written whole or not at all: into a temporary file beside the target, then renamed.

import { access, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ProfileError } from '../profile/errors.js';
import { textBytes } from '../profile/text-bytes.js';
import { discardTemp, writeTemp } from './temp-file.js';

/**
 * writeFileWhole writes data to path atomically; on failure nothing is left behind, and the error
 * names the path as the user gave it, never the temporary file.
 */
export async function writeFileWhole(path: string, data: string | Uint8Array): Promise<void> {
  let tmp: string | undefined;
  try {
    // textBytes: bytes of a profile that are not UTF-8 are written as they were (pprof does).
    tmp = await writeTemp(dirname(path), typeof data === 'string' ? textBytes(data) : data);
    await rename(tmp, path);
    tmp = undefined;
  } catch (e) {
    throw new ProfileError(`cannot write ${path}: ${await whyNotWritten(path, e)}`, { cause: e });
  } finally {
    if (tmp !== undefined) await discardTemp(tmp);
  }
}

/** whyNotWritten words a failed write for the user: what is wrong with the path, not a syscall. */
async function whyNotWritten(path: string, e: unknown): Promise<string> {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return (await isDirectory(dirname(path))) ? 'cannot create a file there' : 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return (await isDirectory(path)) ? 'is a directory' : 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'name too long';
    default:
      return code ?? (e as Error).message;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * freeReportName is pprof's name for a report kept off the terminal: profile001.<suffix>, or the
 * next number not taken, in the working folder (named relative to it, as pprof prints it).
 */
export async function freeReportName(cwd: string, suffix: string): Promise<string> {
  for (let i = 1; i < 10000; i++) {
    const name = `profile${String(i).padStart(3, '0')}.${suffix}`;
    try {
      await access(join(cwd, name));
    } catch {
      return name;
    }
  }
  throw new Error(`no free profileNNN.${suffix} name in ${cwd}`);
}
