// node:child_process, loaded on its first call. The bundle (package.json's bundle script,
// --alias:node:child_process) puts this module in its place everywhere: commander requires
// child_process at start-up for the executable subcommands proflens never uses, and with it Node
// loads net, dgram and their helpers, ~4 ms of every run of every command (issue 16). Only what
// the bundle's code calls is here; esbuild refuses the build if an import names something else.

import type * as ChildProcess from 'node:child_process';
import { createRequire } from 'node:module';

let loaded: typeof ChildProcess | undefined;

function childProcess(): typeof ChildProcess {
  loaded ??= createRequire(import.meta.url)('node:child_process') as typeof ChildProcess;
  return loaded;
}

/** spawn is child_process.spawn (commander's executable subcommands, the huge-pages relaunch). */
export const spawn = ((...args: unknown[]) => (childProcess().spawn as (...a: unknown[]) => unknown)(...args)) as typeof ChildProcess.spawn;

/** execFile is child_process.execFile (go tool objdump). */
export const execFile = ((...args: unknown[]) => (childProcess().execFile as (...a: unknown[]) => unknown)(...args)) as typeof ChildProcess.execFile;
