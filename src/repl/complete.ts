// Tab completion, after pprof's newCompleter: the first word completes to a command, an option
// or a sample type; `help` completes its topic; the arguments of a view complete to the
// profile's function names (by substring, as pprof does, `-` kept for ignore words); the value
// of `option=` completes to what the option takes.

import { shellCommands } from './commands.js';
import { optionByName, optionNames } from './settings.js';

/** CompletionSource is what completion draws on besides the fixed tables. */
export interface CompletionSource {
  readonly sampleTypes: readonly string[];
  readonly functionNames: readonly string[];
}

/** Completion is Node readline's completer result: candidates, and the part of the line they replace. */
export type Completion = [string[], string];

const shellWords = ['help', 'o', 'options', 'q', 'quit', 'exit'];

const uniqueSorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** newCompleter returns a completer for Node's readline over one profile's names. */
export function newCompleter(src: CompletionSource): (line: string) => Completion {
  const firstWords = uniqueSorted([
    ...shellCommands.keys(),
    ...shellWords,
    ...optionNames(),
    ...src.sampleTypes,
    ...src.sampleTypes.flatMap((t) => [`total_${t}`, `mean_${t}`]),
  ]);
  const topics = uniqueSorted([...shellCommands.keys(), ...optionNames()]);
  const prefixed = (words: readonly string[], prefix: string): string[] => {
    const p = prefix.toLowerCase();
    return words.filter((w) => w.startsWith(p));
  };

  return (line) => {
    const words = line.trimStart().split(/\s+/);
    const last = words[words.length - 1]!;
    if (words.length === 1) {
      const eq = last.indexOf('=');
      if (eq >= 0) return [valueCandidates(last.slice(0, eq).trim(), last.slice(eq + 1), src), last.slice(eq + 1)];
      return [prefixed(firstWords, last), last];
    }
    const first = words[0]!;
    if (first === 'help') return words.length === 2 ? [prefixed(topics, last), last] : [[], last];
    // Multiple tokens: function names, except for tags (whose words are label values).
    if (!shellCommands.has(first.replace(/[0-9]+$/, '')) || first === 'tags' || last.startsWith('>')) return [[], last];
    const ignore = last.startsWith('-');
    const word = ignore ? last.slice(1) : last;
    return [functionCandidates(src.functionNames, word).map((m) => (ignore ? '-' + m : m)), last];
  };
}

/**
 * functionCandidates are the function names a word completes to: those it begins, else those
 * containing it (pprof matches by substring). readline replaces the word by the candidates'
 * common prefix, so when that prefix would lose the word, the word itself is kept among them.
 */
function functionCandidates(names: readonly string[], word: string): string[] {
  const starting = uniqueSorted(names.filter((f) => f.startsWith(word)));
  if (starting.length > 0) return starting;
  const containing = uniqueSorted(names.filter((f) => f.includes(word)));
  if (containing.length <= 1 || commonPrefix(containing).includes(word)) return containing;
  return [...containing, word];
}

function commonPrefix(xs: readonly string[]): string {
  let p = xs[0] ?? '';
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** valueCandidates completes the value of `name=`. */
function valueCandidates(name: string, value: string, src: CompletionSource): string[] {
  const o = optionByName(name);
  if (!o || o.name !== name) return [];
  let values: readonly string[] = [];
  if (o.choices) values = o.choices;
  else if (o.kind === 'bool') values = ['true', 'false'];
  else if (o.name === 'sample_index') values = src.sampleTypes;
  else if (['focus', 'ignore', 'hide', 'show', 'show_from', 'prune_from'].includes(o.name)) return functionCandidates(src.functionNames, value);
  return values.filter((v) => v.startsWith(value));
}
