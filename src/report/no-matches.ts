// pprof's message for a list/peek pattern that names no function quotes the pattern as typed
// (GoRegexp.source), not a compiled form.

import { ProfileError } from '../profile/errors.js';
import type { GoRegexp } from '../profile/go-regexp.js';

/**
 * noMatchesError is pprof's error for a pattern that names no function. A failure of the report
 * (exit 1, as `go tool pprof -list=nomatch`), not a usage error: the pattern is well formed.
 */
export function noMatchesError(p: GoRegexp): ProfileError {
  return new ProfileError(`no matches found for regexp: ${p.source}`);
}
