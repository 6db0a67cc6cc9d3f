// Where proflens's text meets the process's standard output and error. Every string from a
// profile is untrusted: a function named "\x1b]0;owned\x07" would retitle a terminal, "\x1b[2J"
// clear it. On a terminal, control characters and bytes that are not UTF-8 are shown escaped as
// Go's %q shows them (`\x1b`, `\u009b`, `\r`); anywhere else (a pipe, a file) the text is written
// byte for byte as the profile holds it, as pprof writes it.

import { keptBytePattern, textBytes } from '../src/profile/text-bytes.js';

// C0 controls but tab and newline (the report's own layout), DEL, C1 controls, kept bytes.
const unsafe = /[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\uDC80-\uDCFF]/gu;
const short: Readonly<Record<string, string>> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\r': '\\r', '\v': '\\v' };

/** escapeForTerminal shows control characters and kept bytes (text-bytes.ts) as Go's %q would. */
export function escapeForTerminal(s: string): string {
  return s.replace(unsafe, (c) => {
    const code = c.charCodeAt(0);
    if (short[c]) return short[c];
    if (code >= 0xdc00) return `\\x${(code - 0xdc00).toString(16).padStart(2, '0')}`;
    if (code < 0x80) return `\\x${code.toString(16).padStart(2, '0')}`;
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** OutputStream is what a text writer writes to: process.stdout, process.stderr. */
export interface OutputStream {
  readonly isTTY?: boolean;
  write(data: string | Uint8Array): unknown;
}

/** lineReset starts each redraw of the fetch countdown (cli/progress.ts): back to the line's start, erase it. */
const lineReset = '\r\x1b[K';

/**
 * textWriter writes text to a stream: escaped on a terminal, else with the profile's own bytes.
 * Binary data (a proto written where it was asked for) passes through untouched. On a terminal a
 * write that starts with lineReset keeps it (it only erases a line); the rest is escaped as usual.
 */
export function textWriter(stream: OutputStream): (data: string | Uint8Array) => void {
  const tty = stream.isTTY === true;
  return (data) => {
    if (typeof data !== 'string') stream.write(data);
    else if (!tty) stream.write(keptBytePattern.test(data) ? textBytes(data) : data);
    else if (data.startsWith(lineReset)) stream.write(lineReset + escapeForTerminal(data.slice(lineReset.length)));
    else stream.write(escapeForTerminal(data));
  };
}
