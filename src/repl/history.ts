// Shell history kept between runs: one command a line, oldest first (as a shell's history file),
// the newest `limit` kept. Written whole (temporary file, then rename), readable by its owner only.

import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** defaultHistorySize bounds the history file. */
export const defaultHistorySize = 1000;

/** loadHistory reads a history file into readline's order (newest first); a missing file is empty. */
export async function loadHistory(path: string, limit = defaultHistorySize): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`history ${path}: ${(e as Error).message}`, { cause: e });
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-limit)
    .reverse();
}

/** saveHistory writes readline's history (newest first) to the file, oldest first, bounded. */
export async function saveHistory(path: string, newestFirst: readonly string[], limit = defaultHistorySize): Promise<void> {
  const lines = newestFirst.slice(0, limit).reverse();
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.proflens-history.tmp`);
  try {
    await writeFile(tmp, lines.map((l) => l + '\n').join(''), { flag: 'wx', mode: 0o600 });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new Error(`history ${path}: ${(e as Error).message}`, { cause: e });
  }
}
