#!/usr/bin/env node
// The proflens executable: wires the process to main() and exits with its code.

// First, before the other modules load: it tunes the process's malloc (see the module).
import './malloc-threshold.js';
import { forgetRestart, largeInput, runWithHugePages, hugePagesTunable } from './huge-pages.js';
import { textWriter } from './terminal-text.js';

// A reader that stops early (`proflens top x | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const args = process.argv.slice(2);
// Escaped on a terminal, byte for byte elsewhere: the one place text leaves proflens.
const stdout = textWriter(process.stdout);
const stderr = textWriter(process.stderr);
const large = largeInput(args, process.env, process.platform);
forgetRestart(process.env);
if (large !== undefined && args.includes('--debug')) {
  stderr(`proflens: debug: ${JSON.stringify(large)} is large: running again with GLIBC_TUNABLES=${hugePagesTunable}\n`);
}
const relaunched = large === undefined ? undefined : await runWithHugePages(args);
// The commands are loaded only when this process runs one: one that starts itself again for a
// large input has no use for them (~40 ms of its start).
const code = relaunched ?? (await (await import('./main.js')).main(args, { stdout, stderr, stderrIsTTY: process.stderr.isTTY === true }));
process.exitCode = code;
