// The regex argument of list and peek, kept with the text the user typed: pprof's message for a
// pattern that matches nothing quotes that text, which a compiled JavaScript RegExp no longer
// holds (its `source` writes `/` as `\/` and carries the translation from Go's syntax).

import { ProfileError } from '../profile/errors.js';

/** FunctionPattern selects functions by name; `text` is the regex as given. */
export interface FunctionPattern {
  test(name: string): boolean;
  readonly text: string;
}

/**
 * noMatchesError is pprof's error for a pattern that names no function. A failure of the report
 * (exit 1, as `go tool pprof -list=nomatch`), not a usage error: the pattern is well formed.
 */
export function noMatchesError(p: FunctionPattern): ProfileError {
  return new ProfileError(`no matches found for regexp: ${p.text}`);
}
