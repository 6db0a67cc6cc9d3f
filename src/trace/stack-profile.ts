// A pprof Profile from a trace's stacks: the latency profiles and the CPU profile of a trace both
// are "these trace stacks, with these values", so the locations and functions are built here once.
// Locations are keyed by PC (address = PC, no mapping), functions by file and name, as Go's
// cmd/trace does; a location has the one line of its frame.

import type { LabelTable, Profile, ValueType } from '../profile/model.js';
import { StringTable } from '../profile/string-table.js';
import { Growable } from '../profile/growable.js';
import type { Trace } from './model.js';

/** StackSamples is what a profile of trace stacks holds: one sample per entry of stacks. */
export interface StackSamples {
  /** Trace stack ids (Trace.stacks indexes), one per sample. */
  readonly stacks: readonly number[];
  /** sampleTypes.length values per sample. */
  readonly values: Float64Array;
  readonly sampleTypes: readonly ValueType[];
  readonly periodType: ValueType;
  readonly period: number;
  /** Optional string labels, one [key, value] list per sample. */
  readonly labels?: readonly (readonly [string, string])[][];
}

/** traceStackProfile builds the Profile whose samples are the given trace stacks and values. */
export function traceStackProfile(t: Trace, want: StackSamples): Profile {
  const { stacks, values } = want;
  const st = t.stacks;
  const strings = new StringTable();
  const fnKey = new Map<string, number>();
  const fnName = new Growable(Uint32Array);
  const fnFile = new Growable(Uint32Array);
  const locByPc = new Map<number, number>();
  const locAddress: bigint[] = [];
  const locFunction = new Growable(Int32Array);
  const locLine = new Growable(Float64Array);
  const stackStart = new Uint32Array(stacks.length + 1);
  const locations = new Growable(Uint32Array);
  stacks.forEach((k, s) => {
    for (let f = st.frameStart[k]!; f < st.frameStart[k + 1]!; f++) {
      const pc = st.pc[f]!;
      let loc = locByPc.get(pc);
      if (loc === undefined) {
        const name = t.strings[st.fn[f]!]!;
        const file = t.strings[st.file[f]!]!;
        // Go keys functions by file+name concatenated; a separator that no path holds keeps
        // ("a/b", "c") and ("a", "b/c") apart, which Go would merge only by accident.
        const key = `${file}\n${name}`;
        let fn = fnKey.get(key);
        if (fn === undefined) {
          fn = fnName.length;
          fnKey.set(key, fn);
          fnName.push(strings.add(name));
          fnFile.push(strings.add(file));
        }
        loc = locAddress.length;
        locByPc.set(pc, loc);
        locAddress.push(BigInt(pc));
        locFunction.push(fn);
        locLine.push(st.line[f]!);
      }
      locations.push(loc);
    }
    stackStart[s + 1] = locations.length;
  });
  const labels = want.labels && labelTable(want.labels, strings);
  const nFn = fnName.length;
  const nLoc = locAddress.length;
  const names = fnName.finish();
  return {
    strings: strings.list,
    sampleTypes: want.sampleTypes,
    defaultSampleType: '',
    samples: { length: stacks.length, stackStart, locations: locations.finish(), values, ...(labels && { labels }) },
    mappings: [],
    locations: {
      length: nLoc,
      id: Float64Array.from({ length: nLoc }, (_, i) => i + 1),
      mapping: new Int32Array(nLoc).fill(-1),
      address: BigUint64Array.from(locAddress),
      isFolded: new Uint8Array(nLoc),
      lineStart: Uint32Array.from({ length: nLoc + 1 }, (_, i) => i),
      lineFunction: locFunction.finish(),
      lineNumber: locLine.finish(),
      lineColumn: new Float64Array(nLoc),
    },
    functions: {
      length: nFn,
      id: Float64Array.from({ length: nFn }, (_, i) => i + 1),
      name: names,
      systemName: names,
      filename: fnFile.finish(),
      startLine: new Float64Array(nFn),
    },
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: want.periodType,
    period: want.period,
    comments: [],
    docUrl: '',
  };
}

/** labelTable lays out per-sample string labels as a LabelTable. */
function labelTable(perSample: readonly (readonly [string, string])[][], strings: StringTable): LabelTable {
  const start = new Uint32Array(perSample.length + 1);
  const key: number[] = [];
  const str: number[] = [];
  perSample.forEach((ls, i) => {
    for (const [k, v] of ls) {
      key.push(strings.add(k));
      str.push(strings.add(v));
    }
    start[i + 1] = key.length;
  });
  return { start, key: Uint32Array.from(key), str: Uint32Array.from(str), num: new Float64Array(key.length), numUnit: new Uint32Array(key.length) };
}
