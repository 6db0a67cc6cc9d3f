// Finding and reading the source files a profile names, as pprof does for `list`: the path is
// trimmed (trim_path, or a search root's base name found in it), then an absolute path is opened
// as it is and a relative one is looked for under each search root and each of its parents.

import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

/** SourceReader reads source lines, each file once; it remembers why a file could not be read. */
export class SourceReader {
  private readonly files = new Map<string, string[]>();
  private readonly errors = new Map<string, string>();

  /** searchPath: roots separated by ':'; trimPath: prefixes to strip, separated by ':'. */
  constructor(
    private readonly searchPath: string,
    private readonly trimPath: string,
  ) {}

  /** line returns line `lineno` (1-based) of the file, or undefined past its end or when unreadable. */
  line(path: string, lineno: number): string | undefined {
    let lines = this.files.get(path);
    if (!lines) {
      lines = [''];
      try {
        const text = this.read(path);
        const parts = text.split('\n');
        if (parts[parts.length - 1] === '') parts.pop();
        for (const l of parts) lines.push(l.endsWith('\r') ? l.slice(0, -1) : l);
      } catch (e) {
        this.errors.set(path, (e as Error).message);
      }
      this.files.set(path, lines);
    }
    return lineno > 0 && lineno < lines.length ? lines[lineno] : undefined;
  }

  /** error says why the file could not be read, if it could not. */
  error(path: string): string | undefined {
    return this.errors.get(path);
  }

  /** read returns the text of the file the profile's path stands for, wherever it is found. */
  private read(path: string): string {
    const p = trimSourcePath(path, this.trimPath, this.searchPath);
    if (isAbsolute(p)) {
      const text = readRegularFile(p);
      if (text !== undefined) return text;
      const there = statSync(p, { throwIfNoEntry: false }) !== undefined;
      throw new Error(`open ${p}: ${there ? 'not a regular file' : 'no such file or directory'}`);
    }
    for (let dir of this.searchPath.split(':').filter((d) => d !== '')) {
      for (;;) {
        const text = readRegularFile(join(dir, p));
        if (text !== undefined) return text;
        // not here: try the parent folder
        const parent = dirname(dir);
        if (parent === dir) break;
        dir = parent;
      }
    }
    throw new Error(`could not find file ${p} on path ${this.searchPath}`);
  }
}

/**
 * readRegularFile returns a regular file's text, or undefined when there is none at the path. A
 * profile's paths are untrusted: a device (/dev/zero) would be read forever and a named pipe would
 * wait for a writer, so only regular files are read (opened without waiting, then checked).
 */
function readRegularFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** trimSourcePath is pprof's trimPath for source lookup. */
export function trimSourcePath(path: string, trimPath: string, searchPath: string): string {
  if (trimPath === '') {
    for (const dir of searchPath.split(':').filter((d) => d !== '')) {
      const base = dir.replace(/\/+$/, '').split('/').pop() ?? '';
      const want = `/${base}/`;
      const found = path.indexOf(want);
      if (found !== -1) return path.slice(found + want.length);
    }
  }
  const prefixes = [...trimPath.split(':').filter((t) => t !== ''), '/proc/self/cwd/./', '/proc/self/cwd/'];
  for (let t of prefixes) {
    if (!t.endsWith('/')) t += '/';
    if (path.startsWith(t)) return path.slice(t.length);
  }
  return path;
}
