// The shell's commands when its profile comes on standard input (`proflens - < heap.pb.gz`):
// standard input then holds the profile, so commands are read from the terminal itself
// (/dev/tty), as pprof reads them; with no terminal the shell cannot run, and says so at once.

import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { UsageError } from '../src/profile/errors.js';

/**
 * openCommandTerminal opens the controlling terminal for reading commands. It is called before
 * standard input is read, so that a run with nowhere to read commands from ends before it waits.
 */
export function openCommandTerminal(): ReadStream {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r');
  } catch {
    throw new UsageError(
      '-: the profile comes on standard input, so the shell reads its commands from the terminal, and there is none; give a view (proflens top -) or save the profile to a file first',
    );
  }
  return new ReadStream(fd);
}
