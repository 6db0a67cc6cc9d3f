// Temporary files that never outlive their writer. Files are written whole into a hidden temporary
// file beside their final name, then linked or renamed into place. A writer interrupted by a
// signal removes the temporary files it has open before it dies; one killed outright (SIGKILL, a
// crash, a power cut) cannot, so each name carries its writer's PID and host, and the next writer
// in the same folder removes the files of writers that are gone (sweepStaleTemps).

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, write } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The signals that end a process by default and can be caught: Ctrl-C, kill, a closed terminal. */
const fatalSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A temporary file untouched this long is stale whoever wrote it: no real write takes an hour. */
export const staleAfterMs = 60 * 60 * 1000;

/** hostTag tells this machine's temporary files from those of others sharing the folder (NFS, containers). */
const hostTag = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/**
 * tempPattern matches the temporary files proflens writes: `.<pid>.<host>.<random>.proflens.tmp`,
 * and the older `.<random>.proflens.tmp`, which has no writer to ask about and goes by age alone.
 */
const tempPattern = /^\.(?:(\d{1,10})\.([0-9a-f]{8})\.)?[0-9a-f]{12}\.proflens\.tmp$/;

/** openTemps are the temporary files this process is writing, to remove if it is ended. */
const openTemps = new Set<string>();

/**
 * writeTemp writes data to a new temporary file in dir and returns its path. Until discardTemp,
 * the file is removed if the process is ended by SIGINT, SIGTERM or SIGHUP, or exits.
 */
export async function writeTemp(dir: string, data: Uint8Array | string): Promise<string> {
  const path = join(dir, `.${process.pid}.${hostTag}.${randomBytes(6).toString('hex')}.proflens.tmp`);
  // Opened synchronously so that the file exists exactly when it is tracked: a signal handler runs
  // between two turns of the event loop, never between the open and the tracking.
  const fd = openSync(path, 'wx');
  track(path);
  try {
    await writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
  } catch (e) {
    closeQuietly(fd);
    discardTempSync(path);
    throw e;
  }
  closeSync(fd);
  return path;
}

/** discardTemp removes a temporary file written by writeTemp (it may be gone already) and forgets it. */
export async function discardTemp(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } finally {
    untrack(path);
  }
}

/**
 * sweepStaleTemps removes the temporary files in dir whose writers are gone: written on this
 * machine by a process that no longer runs, or untouched for staleAfterMs. A live writer's file,
 * here or in another process, is left alone. Failures are ignored: sweeping is a courtesy.
 */
export async function sweepStaleTemps(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = tempPattern.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    if (openTemps.has(path)) continue;
    try {
      const st = await lstat(path);
      if (!st.isFile()) continue;
      const pid = m[1] === undefined ? undefined : Number(m[1]);
      const writerGone = pid !== undefined && m[2] === hostTag && pid !== process.pid && !isRunning(pid);
      if (!writerGone && now - st.mtimeMs < staleAfterMs) continue;
      await rm(path, { force: true });
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove: either way, nothing to do.
    }
  }
  return removed;
}

/** isRunning tells whether a process exists; one we may not signal (EPERM) exists too. */
function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** writeAll writes every byte, a chunk at a time, giving the event loop (and signals) a turn between chunks. */
function writeAll(fd: number, data: Uint8Array): Promise<void> {
  const chunk = 1 << 20;
  return new Promise((resolve, reject) => {
    const next = (offset: number): void => {
      if (offset >= data.length) return resolve();
      write(fd, data, offset, Math.min(chunk, data.length - offset), null, (err, n) => (err ? reject(err) : next(offset + n)));
    };
    next(0);
  });
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing after a failed write may fail too; the file is removed anyway.
  }
}

function discardTempSync(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing more can be done about a file that cannot be removed.
  } finally {
    untrack(path);
  }
}

function track(path: string): void {
  if (openTemps.size === 0) {
    // First in line, so that onSignal still sees the program's own one-shot handlers.
    for (const s of fatalSignals) process.prependListener(s, onSignal);
    process.on('exit', removeAllSync);
  }
  openTemps.add(path);
}

function untrack(path: string): void {
  if (!openTemps.delete(path) || openTemps.size > 0) return;
  for (const s of fatalSignals) process.off(s, onSignal);
  process.off('exit', removeAllSync);
}

function removeAllSync(): void {
  for (const path of [...openTemps]) discardTempSync(path);
}

/**
 * onSignal stands in for the default action of a fatal signal while temporary files are open.
 * When the program has its own handler for the signal (Ctrl-C cancelling a fetch, the web server
 * shutting down), that handler decides and the files are removed when their writes end or the
 * process exits. Otherwise the files are removed and the signal is raised again with its default
 * action restored, so the process dies of it as it would have (exit status 128 + signal number).
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  removeAllSync();
  process.kill(process.pid, signal);
}
