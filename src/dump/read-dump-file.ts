// Reading a goroutine dump from a file as a stream (issue 19.4): 1 MiB at a time, split into
// lines and read as they come, so a dump of any size takes the memory of what it holds (its
// distinct frames and one small record per goroutine), never of its text.

import { closeSync, openSync, readSync } from 'node:fs';
import { type DumpReadOptions, DumpReader, type GoroutineDump, isGoroutineDump } from './goroutine-text.js';
import { LineSplitter } from './lines.js';

const chunkBytes = 1 << 20;

/**
 * readGoroutineDumpFile reads the dump in a regular file; undefined when the file does not start
 * as a goroutine dump does (isGoroutineDump on its first bytes). Errors of the file system are
 * thrown as they come.
 */
export function readGoroutineDumpFile(path: string, o: DumpReadOptions = {}): GoroutineDump | undefined {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let n = readFull(fd, buf);
    if (!isGoroutineDump(buf.subarray(0, n))) return undefined;
    const reader = new DumpReader(o);
    const lines = new LineSplitter((l, cut) => reader.line(l, cut));
    for (;;) {
      if (n === 0) {
        lines.end();
        break;
      }
      // The splitter copies what it keeps of a line begun in this chunk: the buffer can be reused.
      if (!lines.push(buf.subarray(0, n))) break;
      n = readFull(fd, buf);
    }
    return reader.finish();
  } finally {
    closeSync(fd);
  }
}

/** readFull reads until buf is full or the file ends (a pipe or a slow disk may return less). */
function readFull(fd: number, buf: Buffer): number {
  let n = 0;
  while (n < buf.length) {
    const got = readSync(fd, buf, n, buf.length - n, null);
    if (got === 0) break;
    n += got;
  }
  return n;
}
