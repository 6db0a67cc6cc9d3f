#!/usr/bin/env node
// The proflens executable: wires the process to main() and exits with its code.

import { main } from './main.js';
import { textWriter } from './terminal-text.js';

// A reader that stops early (`proflens top x | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const code = await main(process.argv.slice(2), {
  // Escaped on a terminal, byte for byte elsewhere: the one place text leaves proflens.
  stdout: textWriter(process.stdout),
  stderr: textWriter(process.stderr),
  stderrIsTTY: process.stderr.isTTY === true,
});
process.exitCode = code;
