// Reading a shell line as pprof's interactive mode reads it (interactive.go): shortcuts first
// (`:` clears the filters, a sample type name selects it), then `name=value` assignments, then
// commands with their arguments: a count, `-cum`, `>file`, focus words and `-ignore` words.

import { type ShellCommand, shellCommands } from './commands.js';
import { optionHelp } from './help.js';
import type { Settings } from './settings.js';

/** Where an option assignment's trailing comment starts (`o` prints choices after it). */
export const commentStart = '//:';

/** expandShortcuts turns one input line into the lines it stands for. */
export function expandShortcuts(input: string, sampleTypes: readonly string[]): string[] {
  const line = input.trim();
  if (line === ':') return ['focus=', 'ignore=', 'hide=', 'tagfocus=', 'tagignore='];
  for (const t of sampleTypes) {
    const select = `sample_index=${t}`;
    if (line === t) return [select];
    if (line === `total_${t}`) return ['mean=0', select];
    if (line === `mean_${t}`) return ['mean=1', select];
  }
  return [line];
}

/** Assignment is a `name=value` line (or a bare name, value undefined). */
export interface Assignment {
  readonly name: string;
  readonly value: string | undefined;
}

/** splitAssignment splits `name = value //: comment` into its name and value. */
export function splitAssignment(line: string): Assignment {
  const eq = line.indexOf('=');
  if (eq < 0) return { name: line.trim(), value: undefined };
  let value = line.slice(eq + 1);
  const comment = value.lastIndexOf(commentStart);
  if (comment >= 0) value = value.slice(0, comment);
  return { name: line.slice(0, eq).trim(), value: value.trim() };
}

/** Invocation is a command ready to run: its name, what it does, its argument, its settings. */
export interface Invocation {
  readonly name: string;
  readonly command: ShellCommand;
  /** The regex of list/peek. */
  readonly arg?: string;
  /** The shell's settings with this line's count, sort, output and filters applied. */
  readonly settings: Settings;
}

/** A CommandLineError says what is wrong with a command line; the shell prints it and goes on. */
export class CommandLineError extends Error {
  override name = 'CommandLineError';
}

/** Go's strconv.ParseInt(s, 10, 32) succeeds. */
const isInt32 = (s: string): boolean => /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) <= 2 ** 31 - (s.startsWith('-') ? 0 : 1);

/**
 * parseCommandLine reads a command and its arguments (pprof's parseCommandLine). Settings given
 * on the line apply to this command only: the result holds a copy.
 */
export function parseCommandLine(tokens: readonly string[], current: Settings): Invocation {
  let name = tokens[0]!;
  let args = tokens.slice(1);
  let command = shellCommands.get(name);
  if (!command) {
    // `top10` is `top 10`.
    const digits = /[0-9]+$/.exec(name)?.[0];
    if (digits && digits !== name) {
      name = name.slice(0, -digits.length);
      args = [digits, ...args];
      command = shellCommands.get(name);
    }
  }
  if (!command) {
    if (Object.prototype.hasOwnProperty.call(optionHelp, name)) throw new CommandLineError(`did you mean: ${name}=${args[0] ?? '<val>'}`);
    throw new CommandLineError(`unrecognized command: ${JSON.stringify(name)}`);
  }
  let arg: string | undefined;
  if (command.hasParam) {
    if (args.length === 0) throw new CommandLineError(`command ${name} requires an argument`);
    arg = args[0];
    args = args.slice(1);
  }

  const s: Settings = { ...current };
  let focus = '';
  let ignore = '';
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!;
    if (isInt32(t)) {
      s.nodeCount = Number(t);
      continue;
    }
    if (t.startsWith('>')) {
      let file = t.slice(1);
      if (file === '') {
        if (++i >= args.length) throw new CommandLineError('unexpected end of line after >');
        file = args[i]!;
      }
      s.output = file;
    } else if (t.startsWith('-')) {
      if (t === '--cum' || t === '-cum') s.cum = true;
      else ignore = catRegex(ignore, t.slice(1));
    } else {
      focus = catRegex(focus, t);
    }
  }
  if (name === 'tags') {
    if (focus !== '') s.tagFocus = focus;
    if (ignore !== '') s.tagIgnore = ignore;
  } else {
    if (focus !== '') s.focus = focus;
    if (ignore !== '') s.ignore = ignore;
  }
  // In the shell, a plain `top` shows ten nodes.
  if (s.nodeCount === -1 && (name === 'text' || name === 'top')) s.nodeCount = 10;
  return { name, command, ...(arg !== undefined && { arg }), settings: s };
}

function catRegex(a: string, b: string): string {
  return a !== '' && b !== '' ? `${a}|${b}` : a + b;
}
