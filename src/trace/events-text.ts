// `proflens trace events`: every event of a trace, one line each, exactly as `go tool trace -d`
// prints them (Go 1.19's Event.String): time in ns, type, P, G, byte offset, the named numeric
// arguments, then the named string arguments.

import { type Trace, argValue, argsPerEvent, eventDescriptions, stackFrames, stringArgs } from './model.js';

/** eventLine renders event i as `go tool trace -d` does. */
export function eventLine(t: Trace, i: number): string {
  const ev = t.events;
  const desc = eventDescriptions[ev.type[i]!]!;
  let s = `${ev.ts[i]} ${desc.name} p=${ev.p[i]} g=${ev.g[i]} off=${ev.off[i]}`;
  const a = i * argsPerEvent;
  const big = t.bigArgs.size > 0 || (ev.wideArgs?.size ?? 0) > 0;
  for (let k = 0; k < desc.args.length; k++) s += ` ${desc.args[k]}=${big ? argValue(t, i, k) : ev.args[a + k]}`;
  if (desc.stringArgs.length > 0) {
    const sargs = stringArgs(t, i);
    for (let k = 0; k < desc.stringArgs.length; k++) s += ` ${desc.stringArgs[k]}=${terminalSafe(sargs[k] ?? '')}`;
  }
  return s;
}

/**
 * terminalSafe keeps a string from the trace from driving the terminal: control characters
 * (escape sequences, carriage returns, newlines that would fake another event) become \xNN.
 * Go prints them raw; real traces hold none, so the dump stays identical to Go's.
 */
export function terminalSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f-\x9f]/.test(s) ? s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : s;
}

/**
 * writeEventsText writes the whole dump through `write` in chunks of about 1 MB, so that a trace
 * of millions of events never builds one giant string.
 */
export function writeEventsText(t: Trace, write: (s: string) => void): void {
  let buf = '';
  for (let i = 0; i < t.events.length; i++) {
    buf += eventLine(t, i) + '\n';
    if (buf.length > 1 << 20) {
      write(buf);
      buf = '';
    }
  }
  if (buf !== '') write(buf);
}

/** writeEventsJson writes the events as one JSON document: header, stacks by id, then events. */
export function writeEventsJson(t: Trace, write: (s: string) => void): void {
  const v = t.version;
  write(`{"version":"${Math.floor(v / 1000)}.${v % 1000}","ticksPerSecond":${t.ticksPerSecond},"stacks":{`);
  for (let k = 1; k < t.stacks.length; k++) {
    write(`${k > 1 ? ',' : ''}\n${JSON.stringify(String(t.stacks.id[k]))}:${JSON.stringify(stackFrames(t, k))}`);
  }
  write('},\n"events":[');
  let buf = '';
  const ev = t.events;
  for (let i = 0; i < ev.length; i++) {
    const desc = eventDescriptions[ev.type[i]!]!;
    const o: Record<string, unknown> = { ts: ev.ts[i], type: desc.name, p: ev.p[i], g: ev.g[i], off: ev.off[i] };
    if (desc.args.length > 0) {
      const args: Record<string, number | string> = {};
      for (let k = 0; k < desc.args.length; k++) {
        const val = argValue(t, i, k);
        args[desc.args[k]!] = typeof val === 'bigint' ? val.toString() : val;
      }
      o.args = args;
    }
    if (desc.stringArgs.length > 0) {
      const sargs = stringArgs(t, i);
      o.strings = Object.fromEntries(desc.stringArgs.map((n, k) => [n, sargs[k] ?? '']));
    }
    if (ev.stack[i] !== 0) o.stack = String(t.stacks.id[ev.stack[i]!]);
    if (ev.link[i]! >= 0) o.link = ev.link[i];
    buf += (i > 0 ? ',\n' : '\n') + JSON.stringify(o);
    if (buf.length > 1 << 20) {
      write(buf);
      buf = '';
    }
  }
  write(buf + '\n]}\n');
}
