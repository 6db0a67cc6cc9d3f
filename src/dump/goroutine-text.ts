// Go's goroutine dumps as text: `/debug/pprof/goroutine?debug=2`, a panic's or fatal error's
// traceback, a SIGQUIT dump (issue 19.2). Every goroutine is printed as
//
//   goroutine 42 [chan receive, 12 minutes, locked to thread]:     id, state, wait, locked
//   main.worker({0x503598, 0xc000102028}, 0x3?)                    function and arguments
//   	/src/main.go:35 +0x35                                         file:line, pc offset (fp= sp= pc= with GOTRACEBACK=system)
//   ...additional frames elided...                               (Go 1.21+: also `...N frames elided...` mid-stack)
//   created by main.start in goroutine 1                          Go 1.21+; older runtimes omit " in goroutine N"
//   	/src/main.go:85 +0x45
//
// and each becomes one sample of value 1 (a goroutine profile, as debug=0 counts them), its frames
// the stack (leaf first, as printed), with labels `state`, `wait` (minutes, numeric), `locked`,
// `created_by` and `goid` (numeric), so `tags` counts goroutines per state and `--tagfocus` narrows.
// Text around the goroutines (log lines, `panic:`/`fatal error:` headers, `exit status 2`) is
// skipped; the panic's message is kept as the profile's comment. A dump cut or garbled inside a goroutine is
// read up to that line, and the line is named in `warning`.

import { Buffer } from 'node:buffer';
import type { Profile } from '../profile/model.js';
import { StringTable } from '../profile/string-table.js';

const headerRe = /^goroutine (\d+)(?: [^[]*)? ?\[([^\]]*)\]:$/;
const fileLineRe = /^\t(.*):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=0x[0-9a-f]+ sp=0x[0-9a-f]+ pc=0x[0-9a-f]+)?$/;
const createdByRe = /^created by (\S+?)(?: in goroutine (\d+))?$/;
const middleElidedRe = /^\.\.\.\d+ frames elided\.\.\.$/;
const ancestorRe = /^\[originating from goroutine \d+\]:$/;
/** How far into the text the sniffer looks for a goroutine header (crash logs start with log lines). */
const sniffBytes = 64 * 1024;

/** isGoroutineDump tells whether text holds a goroutine header near its start. */
export function isGoroutineDump(data: Uint8Array): boolean {
  const first = data.subarray(0, 32);
  // Text only: a protobuf has control bytes among its first bytes.
  if (!first.every((b) => b >= 0x20 || b === 9 || b === 10 || b === 13)) return false;
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, sniffBytes)).toString('utf8');
  return /(?:^|\n)goroutine \d+(?: [^[\n]*)? ?\[[^\]\n]*\]:\r?\n/.test(head);
}

/** Goroutine is one goroutine of a dump, as read. */
export interface Goroutine {
  readonly id: number;
  readonly state: string;
  /** Minutes waited, as the runtime prints them (only after a minute); 0 when not printed. */
  readonly waitMinutes: number;
  readonly locked: boolean;
  /** Frames, leaf first. */
  readonly frames: { readonly func: string; readonly args: string; readonly file: string; readonly line: number }[];
  readonly elided: boolean;
  readonly createdBy?: { readonly func: string; readonly file: string; readonly line: number; readonly goid?: number };
}

/** GoroutineDump is what a dump holds: its goroutines, the crash message, and where reading stopped. */
export interface GoroutineDump {
  readonly goroutines: Goroutine[];
  /** `panic: …` or `fatal error: …`, with the lines that continue it, when the dump is a crash. */
  readonly crash?: string;
  /** Set when reading stopped early: names the line. */
  readonly warning?: string;
}

/** readGoroutineDump reads every goroutine of a dump; it throws nothing, and says where it stopped. */
export function readGoroutineDump(data: Uint8Array): GoroutineDump {
  const lines = Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8').split('\n');
  const goroutines: Goroutine[] = [];
  let crash: string | undefined;
  let warning: string | undefined;
  let g: (Goroutine & { frames: Goroutine['frames']; elided: boolean; createdBy?: Goroutine['createdBy'] }) | undefined;
  const end = (): void => {
    if (g) goroutines.push(g);
    g = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    // Most lines are frames: the header's regular expression runs only on lines that can be one.
    const header = l.startsWith('goroutine ') ? headerRe.exec(l) : null;
    if (header) {
      end();
      const parts = header[2]!.split(', ');
      let waitMinutes = 0;
      let locked = false;
      const state: string[] = [];
      for (const p of parts) {
        const m = /^(\d+) minutes?$/.exec(p);
        if (m) waitMinutes = Number(m[1]);
        else if (p === 'locked to thread') locked = true;
        else state.push(p);
      }
      g = { id: Number(header[1]), state: state.join(', '), waitMinutes, locked, frames: [], elided: false };
      continue;
    }
    if (!g) {
      if (crash === undefined && /^(panic|fatal error): /.test(l)) {
        crash = l;
        // A panic's message continues until the blank line before the first goroutine.
        while (i + 1 < lines.length && lines[i + 1]!.trim() !== '' && !headerRe.test(lines[i + 1]!.replace(/\r$/, ''))) crash += `\n${lines[++i]!.replace(/\r$/, '')}`;
      }
      continue;
    }
    // `go run` ends a crash with the exit status, right after the last frame.
    if (l === '' || /^exit status \d+$/.test(l)) {
      end();
      continue;
    }
    // The runtime cuts a stack of more than 100 frames: at its end (all Go versions), or from Go
    // 1.21 in its middle (`...N frames elided...`, the outermost frames printed after it).
    if (l === '...additional frames elided...' || middleElidedRe.test(l)) {
      g.elided = true;
      continue;
    }
    // The runtime prints it after a tab; pasted text may have lost the tab.
    if (l === '\tgoroutine running on other thread; stack unavailable' || l === 'goroutine running on other thread; stack unavailable') continue;
    // GODEBUG=tracebackancestors=N: the creators' stacks, as they were at the go statement, follow
    // the goroutine's own until the blank line. They are not this goroutine's frames: skipped.
    if (ancestorRe.test(l)) {
      while (i + 1 < lines.length && lines[i + 1]!.replace(/\r$/, '') !== '') i++;
      continue;
    }
    const raw = i + 1 < lines.length ? lines[i + 1]! : undefined;
    const next = raw?.endsWith('\r') ? raw.slice(0, -1) : raw;
    const where = next === undefined ? null : fileLineRe.exec(next);
    const created = createdByRe.exec(l);
    if (created && where && !g.createdBy) {
      g.createdBy = { func: created[1]!, file: where[1]!, line: Number(where[2]), ...(created[2] ? { goid: Number(created[2]) } : {}) };
      i++;
      continue;
    }
    const call = /^(\S.*)\(([^()]*)\)$/.exec(l);
    if (call && where && !g.createdBy) {
      g.frames.push({ func: call[1]!, args: call[2]!, file: where[1]!, line: Number(where[2]) });
      i++;
      continue;
    }
    // Neither a frame nor the end of one: the dump is cut or mixed with other text here.
    // The input ends at or just after this line (the next line, if any, is the last and cut short).
    const lastLine = lines[lines.length - 1] === '' ? lines.length - 2 : lines.length - 1;
    const atEnd = i + 1 >= lastLine;
    warning = `reading stopped at line ${i + 1}: ${call && atEnd ? 'the dump ends inside a frame' : `not a frame of goroutine ${g.id}`}`;
    // A goroutine cut before its first frame says nothing of where it was.
    if (g.frames.length === 0) g = undefined;
    break;
  }
  end();
  return { goroutines, ...(crash === undefined ? {} : { crash }), ...(warning === undefined ? {} : { warning }) };
}

/** goroutineProfile turns a dump into a goroutine profile: one sample per goroutine, with labels. */
export function goroutineProfile(d: GoroutineDump): Profile {
  const table = new StringTable();
  const str = (s: string): number => table.add(s);
  const functionOf = new Map<string, number>();
  const fnName: number[] = [];
  const fnFile: number[] = [];
  const locationOf = new Map<string, number>();
  const locFunction: number[] = [];
  const locLine: number[] = [];
  const stackStart = new Uint32Array(d.goroutines.length + 1);
  const stack: number[] = [];
  const labelStart = new Uint32Array(d.goroutines.length + 1);
  const key: number[] = [];
  const sval: number[] = [];
  const num: number[] = [];
  const numUnit: number[] = [];
  const label = (k: string, s: string | undefined, n = 0, unit = ''): void => {
    key.push(str(k));
    sval.push(s === undefined ? 0 : str(s));
    num.push(n);
    numUnit.push(unit === '' ? 0 : str(unit));
  };
  d.goroutines.forEach((g, s) => {
    // A goroutine printed without a stack (running on another thread when the crash was printed)
    // still counts: views drop samples with no location, so it gets one that says why.
    const frames = g.frames.length > 0 ? g.frames : [{ func: '(stack unavailable)', args: '', file: '', line: 0 }];
    for (const f of frames) {
      const fk = `${f.func}\n${f.file}`;
      let fn = functionOf.get(fk);
      if (fn === undefined) {
        fn = fnName.length;
        functionOf.set(fk, fn);
        fnName.push(str(f.func));
        fnFile.push(str(f.file));
      }
      const lk = `${fn}:${f.line}`;
      let loc = locationOf.get(lk);
      if (loc === undefined) {
        loc = locFunction.length;
        locationOf.set(lk, loc);
        locFunction.push(fn);
        locLine.push(f.line);
      }
      stack.push(loc);
    }
    stackStart[s + 1] = stack.length;
    if (g.state !== '') label('state', g.state);
    label('wait', undefined, g.waitMinutes, 'minutes');
    if (g.locked) label('locked', 'true');
    if (g.createdBy) label('created_by', g.createdBy.func);
    label('goid', undefined, g.id);
    labelStart[s + 1] = key.length;
  });
  const n = locFunction.length;
  const nf = fnName.length;
  return {
    strings: table.list,
    sampleTypes: [{ type: 'goroutine', unit: 'count' }],
    defaultSampleType: '',
    samples: {
      length: d.goroutines.length,
      stackStart,
      locations: Uint32Array.from(stack),
      values: new Float64Array(d.goroutines.length).fill(1),
      labels: { start: labelStart, key: Uint32Array.from(key), str: Uint32Array.from(sval), num: Float64Array.from(num), numUnit: Uint32Array.from(numUnit) },
    },
    mappings: [],
    locations: {
      length: n,
      id: Float64Array.from({ length: n }, (_, k) => k + 1),
      mapping: new Int32Array(n).fill(-1),
      address: new BigUint64Array(n),
      isFolded: new Uint8Array(n),
      lineStart: Uint32Array.from({ length: n + 1 }, (_, k) => k),
      lineFunction: Int32Array.from(locFunction),
      lineNumber: Float64Array.from(locLine),
      lineColumn: new Float64Array(n),
    },
    functions: { length: nf, id: Float64Array.from({ length: nf }, (_, k) => k + 1), name: Uint32Array.from(fnName), systemName: Uint32Array.from(fnName), filename: Uint32Array.from(fnFile), startLine: new Float64Array(nf) },
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: { type: 'goroutine', unit: 'count' },
    period: 1,
    comments: d.crash === undefined ? [] : [d.crash],
    docUrl: '',
  };
}
