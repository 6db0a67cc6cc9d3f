// Shell completion: `proflens completion bash|zsh|fish` prints a script; the script asks
// `proflens __complete LINE CURRENT WHOLE-LINE` for the candidates at the cursor, so every shell completes
// the same way from one engine: commands, options (native and Go spellings), option values
// (choices, a profile's sample types, its function names for --focus and friends, and for the
// regex of list and peek) and files.

import type { Command, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { goFlags } from './go-flags.js';

/** Candidates are what the shell offers; with files, it offers file names too. */
export interface Candidates {
  readonly words: string[];
  readonly files: boolean;
}

/** What a value of these options completes to, beyond its choices. */
const sampleTypeOptions = new Set(['--sample-index', '-sample_index', '--sample_index']);
const functionOptions = new Set(
  ['focus', 'ignore', 'hide', 'show', 'show-from', 'prune-from', 'show_from', 'prune_from'].flatMap((o) => [`--${o}`, `-${o}`]),
);
const unitChoices = ['minimum', 'auto', 'B', 'kB', 'MB', 'GB', 'ns', 'us', 'ms', 's'];

/** ProfileNames reads a profile file's sample types and function names; undefined when it cannot. */
export type ProfileNames = (file: string) => Promise<{ sampleTypes: string[]; functions: string[] } | undefined>;

/**
 * completeLine lists the candidates for the word at the end of line (what the user typed up to
 * the cursor), drawing commands and options from program. The profile whose names complete is
 * looked for in the whole line (after the cursor too): `--focus ma|in cpu.pb.gz`.
 */
export async function completeLine(program: Command, line: string, names: ProfileNames, wholeLine = line): Promise<Candidates> {
  const words = line.replace(/^\s*\S+/, '').trimStart().split(/\s+/);
  const current = words.pop() ?? '';
  const after = wholeLine.startsWith(line) ? wholeLine.slice(line.length).replace(/^\S*/, '').trim().split(/\s+/) : [];
  const profileWords = [...words, ...after];
  const command = program.commands.find((c) => c.name() === words[0] || c.aliases().includes(words[0] ?? ''));
  const cmd = command ?? program.commands.find((c) => c.name() === 'shell') ?? program;

  // --option=value and -option=value complete their value in place.
  const eq = /^(--?[\w-]+)=([\s\S]*)$/.exec(current);
  const prev = eq ? eq[1]! : words[words.length - 1];
  const partial = eq ? eq[2]! : current;
  const valueOf = prev !== undefined ? valueOption(cmd, prev) : undefined;
  if (valueOf && (eq || !current.startsWith('-'))) {
    const values = await optionValues(valueOf, prev!, profileWords, names);
    const matching = matchingValues(values.words, partial, functionOptions.has(prev!));
    return { words: eq ? matching.map((v) => `${eq[1]}=${v}`) : matching, files: values.files };
  }
  if (current.startsWith('-')) return { words: optionWords(cmd, current).filter((w) => w.startsWith(current)), files: false };
  if (!command && words.length === 0) {
    const commands = program.commands.filter((c) => !c.name().startsWith('_')).flatMap((c) => [c.name(), ...c.aliases()]);
    return { words: commands.filter((c) => c.startsWith(current)).sort(), files: true };
  }
  const args = command ? positionals(cmd, words.slice(1)) : [];
  // The regex argument of list and peek: a function name of the profile given after it.
  if (command && ['list', 'peek'].includes(command.name()) && args.length === 0) {
    const file = await firstFile(profileWords.slice(1));
    const found = file === undefined ? undefined : await names(file);
    return { words: matchingValues(found?.functions ?? [], current, true), files: false };
  }
  // An argument with choices (completion's shell).
  const choices = command?.registeredArguments[args.length]?.argChoices;
  if (choices) return { words: choices.filter((c) => c.startsWith(current)), files: false };
  return { words: [], files: true };
}

/** valueOption is the option flag names when it takes a value (`--focus`, `-focus`), else undefined. */
function valueOption(cmd: Command, flag: string): Option | undefined {
  const native = cmd.options.find((o) => o.long === flag || o.short === flag);
  if (native) return native.required || native.optional ? native : undefined;
  const go = /^--?(\w+)$/.exec(flag)?.[1];
  const g = go !== undefined && Object.prototype.hasOwnProperty.call(goFlags, go) ? goFlags[go as keyof typeof goFlags] : undefined;
  if (!g || (g.kind !== 'value' && g.kind !== 'command-value')) return undefined;
  return cmd.options.find((o) => o.long === g.native);
}

/** optionValues lists what an option's value can be. */
async function optionValues(o: Option, flag: string, words: readonly string[], names: ProfileNames): Promise<Candidates> {
  if (o.argChoices) return { words: [...o.argChoices], files: false };
  if (o.long === '--unit') return { words: unitChoices, files: false };
  const wantsSamples = sampleTypeOptions.has(flag) || o.long === '--sample-index';
  const wantsFunctions = functionOptions.has(flag) || functionOptions.has(o.long ?? '');
  if (!wantsSamples && !wantsFunctions) return { words: [], files: true };
  const file = await firstFile(words);
  const found = file === undefined ? undefined : await names(file);
  return { words: (wantsSamples ? found?.sampleTypes : found?.functions) ?? [], files: false };
}

/**
 * matchingValues keeps the values starting with partial; function names also match after a
 * package path (`work` finds `main.work`), as the regex they become would.
 */
function matchingValues(values: readonly string[], partial: string, functions: boolean): string[] {
  const starts = values.filter((v) => v.startsWith(partial));
  if (!functions || partial === '') return [...new Set(starts)].sort();
  const inside = values.filter((v) => !v.startsWith(partial) && v.includes(`.${partial}`));
  return [...new Set([...starts, ...inside])].sort();
}

/** optionWords lists a command's options: native spellings, and Go ones for a single dash. */
function optionWords(cmd: Command, current: string): string[] {
  if (current.startsWith('--')) return cmd.options.flatMap((o) => (o.long ? [o.long] : [])).sort();
  return Object.keys(goFlags).map((g) => `-${g}`).sort();
}

/** positionals drops options and their values from words, leaving the arguments. */
function positionals(cmd: Command, words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w === '-') out.push(w);
    else if (!w.includes('=') && valueOption(cmd, w)) i++;
  }
  return out;
}

/** firstFile is the first word naming an existing file: the profile whose names complete. */
async function firstFile(words: readonly string[]): Promise<string | undefined> {
  for (const w of words) {
    if (w.startsWith('-')) continue;
    try {
      if ((await stat(w)).isFile()) return w;
    } catch {
      // not a file: a URL, a regex, a value
    }
  }
  return undefined;
}

/** readProfileNames loads a profile quietly, for its names; nothing when it cannot be read. */
export const readProfileNames: ProfileNames = async (file) => {
  try {
    const [{ loadProfile }, { functionNames, sampleTypeNames }] = await Promise.all([import('../src/driver/driver.js'), import('../src/driver/profile-info.js')]);
    const p = await loadProfile([file], { maxBytes: 256 * 1024 * 1024 });
    return { sampleTypes: sampleTypeNames(p), functions: functionNames(p) };
  } catch {
    return undefined;
  }
};

/**
 * runComplete answers `proflens __complete LINE CURRENT`: the candidates for the shell scripts.
 * It never fails: a shell asking for candidates wants none rather than an error.
 */
export async function runComplete(program: Command, args: readonly string[], io: { stdout: (s: string) => void }): Promise<number> {
  const [line = '', shellWord = /\S*$/.exec(line)![0], wholeLine = line] = args;
  try {
    io.stdout(completionReply(await completeLine(program, line, readProfileNames, wholeLine), line, shellWord));
  } catch {
    // no candidates
  }
  return 0;
}

/**
 * completionReply is what `proflens __complete` prints: `:files` first when file names are
 * candidates too, then one candidate a line, each with the part of the word the shell does not
 * replace taken off (bash splits `--focus=main.` into `--focus`, `=`, `main.`).
 */
export function completionReply(c: Candidates, line: string, shellWord: string): string {
  const word = /\S*$/.exec(line)![0];
  const cut = word.endsWith(shellWord) ? word.length - shellWord.length : 0;
  const lines = c.words.map((w) => w.slice(cut));
  return [...(c.files ? [':files'] : []), ...lines].map((l) => l + '\n').join('');
}
