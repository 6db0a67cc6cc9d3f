// "Did you mean top?": the nearest known name to a mistyped command or flag. Go spellings get Go
// suggestions (`-nodecont=3` → `-nodecount`), native ones native (`--nodecont` → `--nodecount`).

import { goFlags } from './go-flags.js';

/**
 * editDistance counts the insertions, deletions, substitutions and swaps of neighbours that turn a
 * into b (optimal string alignment): `tpo` is one swap from `top`.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * closestName is the candidate nearest to word, if near enough to be a typo: at most a third of
 * the word's letters off (one for short words), and never the whole word.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance && d <= limit && d < word.length) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** didYouMean words a suggestion for the end of an error line: ` (did you mean top?)`, or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closestName(word, candidates);
  return c === undefined ? '' : ` (did you mean ${c}?)`;
}

/**
 * unknownOptionLine rewrites commander's complaint about an unknown option into proflens's one
 * line, suggesting the nearest pprof flag for a Go spelling (`-nodecont=3`) and keeping
 * commander's own suggestion of a native option (`--nodecont`) when it is as near.
 */
export function unknownOptionLine(message: string): string | undefined {
  const m = /^unknown option '(-{1,2})([^'=]*)(?:=[^']*)?'(?:\s*\(Did you mean (\S+)\?\))?$/.exec(message);
  if (!m) return undefined;
  const [, dashes, name, native] = m;
  const typed = message.slice('unknown option '.length).replace(/\s*\(Did you mean.*$/, '');
  // commander suggests generously (`--bogus` → `--focus`); keep only what is near enough to be a typo.
  if (native && closestName(name!, [native.replace(/^-+/, '')])) return `unknown option ${typed} (did you mean ${native}?)`;
  const go = closestName(name!, Object.keys(goFlags));
  return `unknown option ${typed}${go === undefined ? ' (see proflens --help)' : ` (did you mean ${dashes}${go}?)`}`;
}
