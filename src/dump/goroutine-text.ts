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
import { LineSplitter, maxLine } from './lines.js';

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

/** DumpReadOptions say what to keep of a dump. */
export interface DumpReadOptions {
  /** Keep each frame's argument text (for grouping by arguments); dropped by default, which lets identical frames share one object. */
  readonly keepArgs?: boolean;
}

type Frame = Goroutine['frames'][number];
type CreatedBy = NonNullable<Goroutine['createdBy']>;
/** StackNode is a node of the tree of stacks a reader has seen. */
interface StackNode {
  readonly next: Map<Frame, StackNode>;
  frames?: Frame[];
}
/** A frame's file line as read, and the frames seen at it, by their function line (or name). */
interface FileLine {
  readonly file: string;
  readonly line: number;
  readonly frames: Map<string, Frame>;
}
/** The longest crash message kept (a panic's value can be any string). */
const maxCrash = 64 * 1024;

/**
 * DumpReader reads a dump line by line, as it arrives (lines.ts splits it), so no dump is ever
 * held whole as text. Frames, stacks, states and creators repeat across goroutines by the
 * thousand: each distinct one is one object, shared, so 100,000 goroutines in a few stacks take a
 * few MB. Reading stops at the first line that belongs to no goroutine's stack (a cut, a log line
 * in the middle), and `warning` names it.
 */
export class DumpReader {
  private readonly goroutines: Goroutine[] = [];
  private crash: string | undefined;
  private collectingCrash = false;
  private g: { id: number; state: string; waitMinutes: number; locked: boolean; frames: Frame[]; elided: boolean; createdBy?: CreatedBy } | undefined;
  /** Where the goroutine being read is in the tree of stacks read so far. */
  private at: StackNode = { next: new Map() };
  /** The tree of stacks: each path from the root is a stack read, leaf first; its end holds the stack's one shared array. */
  private readonly stacks: StackNode = this.at;
  /** A function line (or `created by` line) waiting for its file line. */
  private pending: { line: number; text: string; created: boolean } | undefined;
  private skippingAncestors = false;
  private lineNo = 0;
  /** Where reading stopped: the line named, why, and how many lines came after the one that stopped it. */
  private stop: { line: number; why: string; call: boolean; after: number; lastEmpty: boolean } | undefined;
  private readonly frameOf = new Map<string, Frame>();
  private readonly createdOf = new Map<string, CreatedBy>();
  private readonly stateOf = new Map<string, string>();
  private readonly fileLineOf = new Map<string, FileLine>();

  constructor(private readonly o: DumpReadOptions = {}) {}

  /** line reads the next line; it returns false once reading has stopped and more lines would change nothing. */
  line(raw: string, cut = false): boolean {
    this.lineNo++;
    if (this.stop) {
      this.stop.after++;
      this.stop.lastEmpty = raw === '';
      return this.stop.after < 2;
    }
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.pending) {
      const p = this.pending;
      const where = cut ? undefined : this.fileLine(l);
      this.pending = undefined;
      if (!where) return this.stopAt(p.line, 'not a frame', true);
      if (p.created) this.created(p.text, where);
      else this.frame(p.text, where);
      return true;
    }
    if (this.skippingAncestors) {
      if (l !== '') return true;
      this.skippingAncestors = false;
    }
    // Most lines are frames: the header's regular expression runs only on lines that can be one.
    const header = !cut && l.startsWith('goroutine ') ? headerRe.exec(l) : null;
    if (header) {
      this.collectingCrash = false;
      this.end();
      let waitMinutes = 0;
      let locked = false;
      const state: string[] = [];
      for (const part of header[2]!.split(', ')) {
        const m = /^(\d+) minutes?$/.exec(part);
        if (m) waitMinutes = Number(m[1]);
        else if (part === 'locked to thread') locked = true;
        else state.push(part);
      }
      this.g = { id: Number(header[1]), state: this.intern(state.join(', ')), waitMinutes, locked, frames: [], elided: false };
      this.at = this.stacks;
      return true;
    }
    if (!this.g) {
      if (this.collectingCrash) {
        // A panic's message continues until the blank line before the first goroutine.
        if (l.trim() === '') this.collectingCrash = false;
        else if (this.crash!.length < maxCrash) this.crash = `${this.crash!}\n${l}`.slice(0, maxCrash);
      } else if (this.crash === undefined && /^(panic|fatal error): /.test(l)) {
        this.crash = l.slice(0, maxCrash);
        this.collectingCrash = true;
      }
      return true;
    }
    // Most lines left are function lines: the first character keeps the rare kinds' tests off them.
    const c0 = l.charCodeAt(0);
    // `go run` ends a crash with the exit status, right after the last frame.
    if (l === '' || (c0 === 0x65 /* e */ && /^exit status \d+$/.test(l))) {
      this.end();
      return true;
    }
    // The runtime cuts a stack of more than 100 frames: at its end (all Go versions), or from Go
    // 1.21 in its middle (`...N frames elided...`, the outermost frames printed after it).
    if (c0 === 0x2e /* . */ && (l === '...additional frames elided...' || middleElidedRe.test(l))) {
      this.g.elided = true;
      return true;
    }
    // The runtime prints it after a tab; pasted text may have lost the tab.
    if (l === '\tgoroutine running on other thread; stack unavailable' || l === 'goroutine running on other thread; stack unavailable') return true;
    // GODEBUG=tracebackancestors=N: the creators' stacks, as they were at the go statement, follow
    // the goroutine's own until the blank line. They are not this goroutine's frames: skipped.
    if (c0 === 0x5b /* [ */ && ancestorRe.test(l)) {
      this.skippingAncestors = true;
      return true;
    }
    if (cut) return this.stopAt(this.lineNo, `a line of more than ${maxLine} bytes in goroutine ${this.g.id}`, false);
    if (!this.g.createdBy) {
      if (l.startsWith('created by ') && createdByRe.test(l)) {
        this.pending = { line: this.lineNo, text: l, created: true };
        return true;
      }
      if (callEnd(l) > 0) {
        this.pending = { line: this.lineNo, text: l, created: false };
        return true;
      }
    }
    // Neither a frame nor the end of one: the dump is cut or mixed with other text here.
    return this.stopAt(this.lineNo, 'not a frame', false);
  }

  /** finish ends reading and returns what was read. */
  finish(): GoroutineDump {
    let warning: string | undefined;
    if (this.pending) this.stopAt(this.pending.line, 'not a frame', true);
    if (this.stop) {
      const s = this.stop;
      // The input ends at or just after the line that stopped reading (the next, if any, the last and cut short).
      const atEnd = s.after === 0 || (s.after === 1 && s.lastEmpty);
      const why = s.why === 'not a frame' ? (s.call && atEnd ? 'the dump ends inside a frame' : `not a frame of goroutine ${this.g?.id ?? '?'}`) : s.why;
      warning = `reading stopped at line ${s.line}: ${why}`;
      // A goroutine cut before its first frame says nothing of where it was.
      if (this.g && this.g.frames.length === 0) this.g = undefined;
    }
    this.end();
    return { goroutines: this.goroutines, ...(this.crash === undefined ? {} : { crash: this.crash }), ...(warning === undefined ? {} : { warning }) };
  }

  private stopAt(line: number, why: string, call: boolean): boolean {
    this.stop = { line, why, call, after: 0, lastEmpty: false };
    return true;
  }

  private intern(s: string): string {
    const had = this.stateOf.get(s);
    if (had !== undefined) return had;
    this.stateOf.set(s, s);
    return s;
  }

  /**
   * fileLine reads a frame's `\tFILE:LINE +0xOFF` line. The same call site prints the same line in
   * every goroutine that passes it: each distinct one is parsed once, and its text is what frames
   * are told apart by (with `fp= sp= pc=`, which differ from goroutine to goroutine, it is parsed
   * every time and not kept).
   */
  private fileLine(l: string): FileLine | undefined {
    let where = this.fileLineOf.get(l);
    if (where !== undefined) return where;
    const m = fileLineRe.exec(l);
    if (!m) return undefined;
    where = { file: m[1]!, line: Number(m[2]), frames: new Map() };
    if (!l.includes(' fp=')) this.fileLineOf.set(l, where);
    return where;
  }

  private frame(call: string, where: FileLine): void {
    const open = callEnd(call);
    const func = call.slice(0, open);
    const key = this.o.keepArgs ? call : func;
    // Frames at one file line are few (one function, or a few with arguments): a map per line.
    let f = where.frames.get(key);
    if (f === undefined) {
      // Frames read from lines with fp= have a FileLine of their own: look them up by value.
      const args = this.o.keepArgs ? call.slice(open + 1, -1) : '';
      const byValue = `${func}\n${args}\n${where.file}\n${where.line}`;
      f = this.frameOf.get(byValue);
      if (f === undefined) {
        f = { func, args, file: where.file, line: where.line };
        this.frameOf.set(byValue, f);
      }
      where.frames.set(key, f);
    }
    this.g!.frames.push(f);
    let next = this.at.next.get(f);
    if (next === undefined) this.at.next.set(f, (next = { next: new Map() }));
    this.at = next;
  }

  private created(text: string, where: FileLine): void {
    const key = `${text}\n${where.file}\n${where.line}`;
    let c = this.createdOf.get(key);
    if (c === undefined) {
      const m = createdByRe.exec(text)!;
      c = { func: m[1]!, file: where.file, line: where.line, ...(m[2] ? { goid: Number(m[2]) } : {}) };
      this.createdOf.set(key, c);
    }
    this.g!.createdBy = c;
  }

  /** end files the goroutine being read, its stack shared with every goroutine that has the same. */
  private end(): void {
    const g = this.g;
    if (!g) return;
    this.g = undefined;
    const frames = (this.at.frames ??= g.frames);
    this.goroutines.push({ ...g, frames });
  }
}

/**
 * callEnd returns where a function line's argument list opens (`main.f(0x1, {0x2, 0x3})`), or
 * -1 when the line is not one: a name, then the last `(`, then no `)` but the one at the end.
 */
function callEnd(l: string): number {
  if (l.length < 3 || l.charCodeAt(l.length - 1) !== 0x29 || l.charCodeAt(0) <= 0x20) return -1;
  const open = l.lastIndexOf('(');
  if (open <= 0) return -1;
  const close = l.indexOf(')', open);
  return close === l.length - 1 ? open : -1;
}

/** readGoroutineDump reads every goroutine of a dump held in memory; it throws nothing, and says where it stopped. */
export function readGoroutineDump(data: Uint8Array, o: DumpReadOptions = {}): GoroutineDump {
  const reader = new DumpReader(o);
  const lines = new LineSplitter((l, cut) => reader.line(l, cut));
  if (lines.push(data)) lines.end();
  return reader.finish();
}

/** goroutineProfile turns a dump into a goroutine profile: one sample per goroutine, with labels. */
export function goroutineProfile(d: GoroutineDump): Profile {
  const table = new StringTable();
  const str = (s: string): number => table.add(s);
  const functionOf = new Map<string, number>();
  const fnName: number[] = [];
  const fnFile: number[] = [];
  const locationOf = new Map<string, number>();
  const locationOfFrame = new Map<Goroutine['frames'][number], number>();
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
      // The reader shares frame objects: most are looked up by identity, not by their text.
      const known = locationOfFrame.get(f);
      if (known !== undefined) {
        stack.push(known);
        continue;
      }
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
      locationOfFrame.set(f, loc);
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
