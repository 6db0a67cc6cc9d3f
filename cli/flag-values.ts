// Values of flags that several commands share, read one way everywhere: durations (--timeout,
// --every, --interval) and pprof's whole-number flags (--seconds).

import { UsageError } from '../src/profile/errors.js';
import { parseDuration } from '../src/units/duration.js';

/**
 * durationOption reads a duration as every proflens flag takes it: Go's syntax (30s, 500ms, 1m30s)
 * or a plain number of seconds (pprof's -timeout=30). Returns milliseconds, at least `minMs`.
 */
export function durationOption(flag: string, s: string, minMs = 100): number {
  const ms = parseDuration(s);
  if (ms === undefined) throw new UsageError(`${flag}: ${JSON.stringify(s)} is not a duration such as 30s or 5m`);
  if (ms < minMs) throw new UsageError(`${flag}: ${JSON.stringify(s)} is not a duration of at least ${minMs}ms`);
  return ms;
}

/**
 * timeoutOption reads --timeout: a duration, or pprof's whole seconds (-timeout=30), where 0 or
 * less means none given, as in pprof; returns milliseconds, 0 for none.
 */
export function timeoutOption(flag: string, s: string): number {
  if (/^[+-]?\d+$/.test(s.trim())) return Math.max(0, Number(s.trim()) * 1000);
  return durationOption(flag, s, 1);
}

const bases = [
  { prefix: /^0[xX]/, base: 16, digit: /^[0-9a-fA-F]$/ },
  { prefix: /^0[oO]/, base: 8, digit: /^[0-7]$/ },
  { prefix: /^0[bB]/, base: 2, digit: /^[01]$/ },
  { prefix: /^0(?=.)/, base: 8, digit: /^[0-7]$/ },
] as const;

/**
 * parseGoInt reads a whole number as Go's flag package reads pprof's integer flags (-seconds,
 * -timeout: strconv.ParseInt with base 0): a sign, then decimal, 0x hex, 0o or leading-0 octal or
 * 0b binary, with single underscores between digits (or after the prefix).
 */
export function parseGoInt(flag: string, s: string): number {
  const sign = s.startsWith('-') ? -1 : 1;
  const body = /^[+-]/.test(s) ? s.slice(1) : s;
  const kind = bases.find((b) => b.prefix.test(body));
  const digits = kind ? body.replace(kind.prefix, '') : body;
  const digit = kind?.digit ?? /^[0-9]$/;
  // Go's rule: "_" only between digits, where a base prefix counts as a digit.
  const underscoresOk = !digits.includes('__') && !digits.endsWith('_') && (kind !== undefined || !digits.startsWith('_'));
  const clean = digits.replace(/_/g, '');
  const n = clean !== '' && underscoresOk && [...clean].every((c) => digit.test(c)) ? parseInt(clean, kind?.base ?? 10) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag}: ${JSON.stringify(s)} is not a whole number`);
  return sign * n;
}
