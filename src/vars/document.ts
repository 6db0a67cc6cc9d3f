// The /debug/vars document, laid out as Go's expvar handler writes it: one JSON object, one
// variable per line, names sorted, each value compact. A variable whose function throws (or
// whose value JSON cannot hold) shows the error in its place; the rest of the document is intact.

import type { Registry } from './registry.js';

/** DocumentSources are the variables of one document: built-ins first, then the user's. */
export interface DocumentSources {
  /** Variables the agent provides (cmdline, memstats, node); a user variable cannot shadow them. */
  readonly builtins: ReadonlyMap<string, () => unknown>;
  readonly registry: Registry;
}

/** EncodedJson is a value its source has already encoded; the document writes its text as it is. */
export class EncodedJson {
  constructor(readonly json: string) {}
}

/** varsDocument renders the document; it never throws. */
export function varsDocument({ builtins, registry }: DocumentSources): string {
  const names = new Set<string>(builtins.keys());
  for (const n of registry.names()) names.add(n);
  const lines: string[] = [];
  for (const name of [...names].sort()) {
    const fn = builtins.get(name) ?? registry.get(name);
    lines.push(`${JSON.stringify(name)}: ${valueJson(name, fn)}`);
  }
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** valueJson reads one variable and encodes it, or encodes why it could not. */
function valueJson(name: string, fn: (() => unknown) | undefined): string {
  try {
    if (!fn) throw new Error('unpublished while reading');
    const v = fn();
    if (v instanceof Promise) {
      v.catch(() => {}); // read, not awaited: a rejected promise must not become an unhandled one
      throw new Error('the function returned a Promise; publish a synchronous function');
    }
    if (v instanceof EncodedJson) return v.json;
    const json = stringify(v);
    return json === undefined ? 'null' : json;
  } catch (e) {
    return JSON.stringify({ error: `${name}: ${oneLine(e)}` });
  }
}

/**
 * stringify encodes a value; bigints, which JSON.stringify refuses, become numbers when exact and
 * strings when not. The replacer that does this doubles the cost of encoding (memstats' pause
 * rings alone are 512 numbers), so it is used only for values that hold a bigint.
 */
function stringify(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (!(e instanceof TypeError) || !/BigInt/i.test(e.message)) throw e;
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? (Number.isSafeInteger(Number(x)) ? Number(x) : String(x)) : x));
  }
}

function oneLine(e: unknown): string {
  let s: string;
  try {
    s = e instanceof Error ? e.message : String(e);
  } catch {
    s = 'unprintable error';
  }
  return s.replace(/\s*\n\s*/g, ' ');
}
