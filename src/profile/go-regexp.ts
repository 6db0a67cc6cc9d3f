// Regular expressions from users, URLs and profiles (-focus, drop_frames, the web UI's query, the
// shell's `list`…) are written in Go's RE2 syntax, and pprof matches them with Go's regexp package,
// in time linear in the input. JavaScript's RegExp backtracks: `(.*.*)*XYZ` from a web page or a
// profile would hang proflens for good. re2js, a port of RE2, has RE2's syntax and linear-time
// matching. Where it differs from Go 1.19's parser (the version whose pprof is our specification),
// this module follows Go: `(?<name>` is refused, duplicate group names are accepted, and every
// error reads as Go's `regexp.Compile` prints it.

import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

/** GoRegexp is a compiled Go-syntax regular expression; `test` is Go's unanchored MatchString. */
export interface GoRegexp {
  /** The pattern as the user or profile wrote it. */
  readonly source: string;
  test(s: string): boolean;
}

/** GoRegexpError is a pattern Go's regexp.Compile refuses; its message is Go's, word for word. */
export class GoRegexpError extends Error {
  override readonly name = 'GoRegexpError';
}

/**
 * A pattern of plain characters and escaped punctuation: Go matches it as a substring search.
 * Its two alternatives cannot start alike, so this RegExp never backtracks on a user's pattern.
 */
const literalPattern = /^(?:[^\\.+*?()|[\]{}^$]|\\[!-/:-@[-`{-~])*$/;

/**
 * compileLiteral is the fast way for the commonest patterns (`runtime`, `main\.`): RE2 needs about
 * a microsecond a test even for those, String.prototype.includes a tenth of that.
 */
function compileLiteral(source: string): GoRegexp | undefined {
  if (!literalPattern.test(source)) return undefined;
  const literal = source.replace(/\\(.)/g, '$1');
  return { source, test: (s) => s.includes(literal) };
}

/** compileGoRegExp compiles a pattern in Go 1.19's syntax; it throws GoRegexpError with Go's message. */
export function compileGoRegExp(source: string): GoRegexp {
  const literal = compileLiteral(source);
  if (literal) return literal;
  const groups = scanGroups(source);
  if (groups.perlAngle >= 0) throw perlAngleError(source, groups.perlAngle);
  try {
    return wrap(source, RE2JS.compile(source));
  } catch (e) {
    if (!(e instanceof RE2JSSyntaxException) || e.error !== 'duplicate capture group name') throw goError(e, source, source);
  }
  // Go 1.19 accepts two groups of one name; re2js does not. Matching never reads a group's name,
  // so the valid names go (an invalid one stays, for re2js to refuse in Go's words).
  let unnamed = source;
  for (const g of [...groups.named].reverse()) {
    if (/^[A-Za-z0-9_]+$/.test(g.name)) unnamed = `${unnamed.slice(0, g.start)}(${unnamed.slice(g.end)}`;
  }
  try {
    return wrap(source, RE2JS.compile(unnamed));
  } catch (e) {
    throw goError(e, source, unnamed);
  }
}

function wrap(source: string, re: RE2JS): GoRegexp {
  return { source, test: (s) => re.test(s) };
}

/**
 * goError turns a re2js exception into Go's message: `error parsing regexp: CODE: `EXPR``, where
 * EXPR is the whole pattern for the errors Go reports on the whole (nesting, size) and empty for a
 * trailing backslash. `compiled` is the pattern re2js was given, when it differs from `source`.
 */
function goError(e: unknown, source: string, compiled: string): Error {
  if (e instanceof RE2JSSyntaxException) {
    let expr = e.input ?? (e.error === 'trailing backslash at end of expression' ? '' : source);
    if (expr === compiled) expr = source;
    return new GoRegexpError(`error parsing regexp: ${e.error}: \`${expr}\``, { cause: e });
  }
  if (e instanceof RE2JSException) return new GoRegexpError(`error parsing regexp: ${e.message}`, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * perlAngleError is Go 1.19's answer to `(?<` (named groups in that spelling, lookbehind). Go
 * parses left to right, so an error earlier in the pattern is reported instead, except a missing
 * `)`, which Go only notices at the end.
 */
function perlAngleError(source: string, at: number): Error {
  try {
    RE2JS.compile(source.slice(0, at));
  } catch (e) {
    if (e instanceof RE2JSSyntaxException && e.error !== 'missing closing )' && e.error !== 'duplicate capture group name') {
      return goError(e, source, source.slice(0, at));
    }
  }
  return new GoRegexpError('error parsing regexp: invalid or unsupported Perl syntax: `(?<`');
}

interface Groups {
  /** Where the first `(?<` outside a class or escape starts, or -1. */
  readonly perlAngle: number;
  /** Each `(?P<name>`: from its `(` to after its `>`. */
  readonly named: { readonly start: number; readonly end: number; readonly name: string }[];
}

/**
 * scanGroups finds the group openings of a pattern, skipping what Go's parser reads as literal:
 * escapes, `\Q…\E`, and character classes (with `[:name:]` inside them and a `]` first in them).
 */
function scanGroups(s: string): Groups {
  let perlAngle = -1;
  const named: Groups['named'][number][] = [];
  let inClass = false;
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === '\\') {
      if (!inClass && s[i + 1] === 'Q') {
        const end = s.indexOf('\\E', i + 2);
        i = end < 0 ? s.length : end + 2;
      } else i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && s[i + 1] === ':') {
        const end = s.indexOf(':]', i + 2);
        if (end >= 0) {
          i = end + 2;
          continue;
        }
      }
      if (c === ']') inClass = false;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      i++;
      if (s[i] === '^') i++;
      if (s[i] === ']') i++;
      continue;
    }
    if (c === '(' && s[i + 1] === '?') {
      if (s[i + 2] === '<' && perlAngle < 0) perlAngle = i;
      if (s[i + 2] === 'P' && s[i + 3] === '<') {
        const end = s.indexOf('>', i + 4);
        if (end >= 0) named.push({ start: i, end: end + 1, name: s.slice(i + 4, end) });
      }
    }
    i++;
  }
  return { perlAngle, named };
}
