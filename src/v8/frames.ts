// What V8's profiles (.cpuprofile, .heapprofile) share: a tree of nodes, each naming a call frame
// (function, script URL, 0-based line and column of the function's start), turned into pprof's
// functions and locations. One location per function and line: a frame's line is its function's
// first line, unless the profile says which line was running (a CPU profile's positionTicks).

import { fileURLToPath } from 'node:url';
import { Growable } from '../profile/growable.js';
import type { FunctionTable, LocationTable, Profile, SampleTable, ValueType } from '../profile/model.js';
import { StringTable } from '../profile/string-table.js';
import { ProfileError } from '../profile/errors.js';

/** CallFrame is a V8 profile node's frame (DevTools protocol Runtime.CallFrame). */
export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** 0-based; -1 for V8's own nodes, (root), (program), (idle), (garbage collector). */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

/** SourcePosition is a frame as it is shown: function name, file, 1-based line and column. */
export interface SourcePosition {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * FrameMapper maps a frame of transpiled code to its source (a .ts file and line) when a source
 * map says where it came from; it returns the position unchanged otherwise.
 */
export type FrameMapper = (p: SourcePosition) => SourcePosition;

/** V8ConvertOptions are what the V8 converters take besides the profile. */
export interface V8ConvertOptions {
  readonly mapFrame?: FrameMapper;
}

/**
 * scriptPath is what pprof shows as a frame's file: a file: URL becomes the path it names (so
 * `list` can read the source), anything else (node:internal/…, https://…) stays as it is.
 */
export function scriptPath(url: string): string {
  if (!url.startsWith('file://')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/** framePosition is a call frame as a 1-based source position; `line` overrides its function's first line. */
export function framePosition(f: CallFrame, line?: number): SourcePosition {
  return {
    name: f.functionName === '' ? '(anonymous)' : f.functionName,
    file: scriptPath(f.url),
    line: line ?? (f.lineNumber >= 0 ? f.lineNumber + 1 : 0),
    column: f.columnNumber >= 0 ? f.columnNumber + 1 : 0,
  };
}

/**
 * FrameTables builds a profile's functions and locations from V8 frames, one function per
 * (name, file, first line, column) and one location per function and line.
 */
export class FrameTables {
  readonly strings = new StringTable();
  readonly #fnKey = new Map<string, number>();
  readonly #fnName = new Growable(Uint32Array);
  readonly #fnFile = new Growable(Uint32Array);
  readonly #fnStart = new Growable(Float64Array);
  readonly #locKey = new Map<string, number>();
  readonly #locFunction = new Growable(Int32Array);
  readonly #locLine = new Growable(Float64Array);
  readonly #locColumn = new Growable(Float64Array);

  constructor(private readonly mapFrame?: FrameMapper) {}

  /** location returns the location of frame f at the given 1-based line (default: its function's first line). */
  location(f: CallFrame, line?: number): number {
    const start = framePosition(f);
    const at = line === undefined ? start : framePosition(f, line);
    const fnAt = this.mapFrame ? this.mapFrame(start) : start;
    const lineAt = this.mapFrame && line !== undefined ? this.mapFrame(at) : at === start ? fnAt : at;
    // A newline separates the parts: no name or path can make two keys collide by concatenation.
    const fnKey = `${fnAt.name}\n${fnAt.file}\n${fnAt.line}\n${fnAt.column}`;
    let fn = this.#fnKey.get(fnKey);
    if (fn === undefined) {
      fn = this.#fnName.length;
      this.#fnKey.set(fnKey, fn);
      this.#fnName.push(this.strings.add(fnAt.name));
      this.#fnFile.push(this.strings.add(fnAt.file));
      this.#fnStart.push(fnAt.line);
    }
    const locKey = `${fn}\n${lineAt.line}`;
    let loc = this.#locKey.get(locKey);
    if (loc === undefined) {
      loc = this.#locFunction.length;
      this.#locKey.set(locKey, loc);
      this.#locFunction.push(fn);
      this.#locLine.push(lineAt.line);
      this.#locColumn.push(line === undefined ? lineAt.column : 0);
    }
    return loc;
  }

  /** functions returns the function table built so far. */
  functions(): FunctionTable {
    const n = this.#fnName.length;
    const names = this.#fnName.finish();
    return {
      length: n,
      id: Float64Array.from({ length: n }, (_, i) => i + 1),
      name: names,
      systemName: names,
      filename: this.#fnFile.finish(),
      startLine: this.#fnStart.finish(),
    };
  }

  /** locations returns the location table built so far: one line each, no mapping, no address. */
  locations(): LocationTable {
    const n = this.#locFunction.length;
    return {
      length: n,
      id: Float64Array.from({ length: n }, (_, i) => i + 1),
      mapping: new Int32Array(n).fill(-1),
      address: new BigUint64Array(n),
      isFolded: new Uint8Array(n),
      lineStart: Uint32Array.from({ length: n + 1 }, (_, i) => i),
      lineFunction: this.#locFunction.finish(),
      lineNumber: this.#locLine.finish(),
      lineColumn: this.#locColumn.finish(),
    };
  }
}

/** V8ProfileHeader is what a converted profile says besides its samples. */
export interface V8ProfileHeader {
  readonly sampleTypes: readonly ValueType[];
  readonly defaultSampleType: string;
  readonly periodType: ValueType;
  readonly period: number;
  readonly timeNanos: number;
  readonly durationNanos: number;
  readonly comments: readonly string[];
}

/** v8Profile assembles the Profile of frames and samples built from a V8 profile. */
export function v8Profile(frames: FrameTables, samples: SampleTable, h: V8ProfileHeader): Profile {
  return {
    strings: frames.strings.list,
    sampleTypes: h.sampleTypes,
    defaultSampleType: h.defaultSampleType,
    samples,
    mappings: [],
    locations: frames.locations(),
    functions: frames.functions(),
    dropFrames: '',
    keepFrames: '',
    timeNanos: h.timeNanos,
    durationNanos: h.durationNanos,
    periodType: h.periodType,
    period: h.period,
    comments: h.comments,
    docUrl: '',
  };
}

/** V8Node is what both V8 formats' nodes have: an id and a frame. */
export interface V8Node {
  readonly id: number;
  readonly callFrame: CallFrame;
}

/**
 * maxStackFrames bounds the frames of all stacks of one converted profile (4 bytes each): a V8
 * tree stores each path once, and a file of deep paths sampled often would otherwise expand
 * to stacks without end (100,000 samples of a 100,000-deep path: 10^10 frames).
 */
export const maxStackFrames = 1 << 27;

/**
 * NodeStacks writes the stack of each node of a V8 tree as location indexes, leaf first, by
 * walking up its parents: memory stays that of the stacks written. V8's own (root) node stands
 * for no frame and is left out.
 */
export class NodeStacks<N extends V8Node> {
  readonly #parent = new Map<number, N | undefined>();
  readonly #location = new Map<number, number>();

  constructor(
    private readonly frames: FrameTables,
    byId: ReadonlyMap<number, N>,
    parents: ReadonlyMap<number, number>,
  ) {
    for (const [child, parent] of parents) this.#parent.set(child, byId.get(parent));
  }

  /** pushCallers appends the locations of node n's callers (n's own frame excluded), leaf first. */
  pushCallers(n: N, out: Growable<Uint32Array>): void {
    for (let p = this.#parent.get(n.id); p && !isRoot(p); p = this.#parent.get(p.id)) {
      let loc = this.#location.get(p.id);
      if (loc === undefined) {
        loc = this.frames.location(p.callFrame);
        this.#location.set(p.id, loc);
      }
      out.push(loc);
    }
  }

  /**
   * checkSize fails, before any stack is written, when the stacks of these sampled nodes would
   * hold more than maxStackFrames frames. Depths are counted once per node, without recursion.
   */
  checkSize(sampled: Iterable<N>): void {
    const depth = new Map<number, number>();
    const depthOf = (n: N): number => {
      const chain: N[] = [];
      let d = 0;
      for (let p: N | undefined = n; p; p = this.#parent.get(p.id)) {
        const known = depth.get(p.id);
        if (known !== undefined) {
          d = known;
          break;
        }
        chain.push(p);
      }
      for (let i = chain.length - 1; i >= 0; i--) depth.set(chain[i]!.id, ++d);
      return depth.get(n.id)!;
    };
    let total = 0;
    for (const n of sampled) {
      total += depthOf(n);
      if (total > maxStackFrames) throw new ProfileError(`its stacks would hold more than ${maxStackFrames} frames in all, beyond what proflens reads`);
    }
  }
}

/** isRoot tells whether a node is V8's (root), which stands for no frame. */
export function isRoot(n: V8Node): boolean {
  return n.callFrame.functionName === '(root)' && n.callFrame.url === '' && n.callFrame.lineNumber < 0;
}
