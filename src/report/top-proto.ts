// The `topproto` view (pprof's -topproto): the rows of `top` written as a profile — one location
// and one sample per node, with sample types cum and flat in the report's unit — for tools that
// read profiles rather than text.

import type { Profile } from '../profile/model.js';
import { StringTable } from '../profile/string-table.js';
import { scale } from '../units/measurement.js';
import { type Report, selectOutputUnit } from './report.js';
import { trimmedGraph } from './trimmed-graph.js';

/** topProto builds the profile of the top nodes of a report. */
export function topProto(rpt: Report): Profile {
  const p = rpt.profile;
  const o = rpt.options;
  const t = trimmedGraph(rpt);
  const values = t.shown.map((i) => ({ flat: t.flatValue(i), cum: t.cumValue(i) }));
  const unit = selectOutputUnit(rpt, values);
  const table = new StringTable();
  const str = (s: string): number => table.add(s);
  const n = t.shown.length;
  // One function per distinct name, original name, file and start line, as pprof's functionMap.
  const fnIndex = new Map<string, number>();
  const fn = { name: [] as number[], systemName: [] as number[], filename: [] as number[], startLine: [] as number[] };
  const lineFunction = new Int32Array(n);
  const lineNumber = new Float64Array(n);
  const address = new BigUint64Array(n);
  const sampleValues = new Float64Array(2 * n);
  t.shown.forEach((node, i) => {
    const info = t.graph.nodes.info[node]!;
    const key = JSON.stringify([info.name, info.origName, info.file, info.startLine]);
    let f = fnIndex.get(key);
    if (f === undefined) {
      f = fn.name.length;
      fnIndex.set(key, f);
      fn.name.push(str(info.name));
      fn.systemName.push(str(info.origName));
      fn.filename.push(str(info.file));
      fn.startLine.push(info.startLine);
    }
    lineFunction[i] = f;
    lineNumber[i] = info.lineno;
    address[i] = info.address;
    sampleValues[2 * i] = Math.trunc(scale(values[i]!.cum, o.sampleUnit, unit)[0]);
    sampleValues[2 * i + 1] = Math.trunc(scale(values[i]!.flat, o.sampleUnit, unit)[0]);
  });
  const seq = (k: number): Uint32Array => Uint32Array.from({ length: k + 1 }, (_, i) => i);
  const nf = fn.name.length;
  return {
    strings: table.list,
    sampleTypes: [
      { type: 'cum', unit },
      { type: 'flat', unit },
    ],
    defaultSampleType: '',
    samples: { length: n, stackStart: seq(n), locations: seq(n - 1).subarray(0, n), values: sampleValues },
    mappings: [],
    locations: {
      length: n,
      id: Float64Array.from({ length: n }, (_, i) => i + 1),
      mapping: new Int32Array(n).fill(-1),
      address,
      isFolded: new Uint8Array(n),
      lineStart: seq(n),
      lineFunction,
      lineNumber,
      lineColumn: new Float64Array(n),
    },
    functions: {
      length: nf,
      id: Float64Array.from({ length: nf }, (_, i) => i + 1),
      name: Uint32Array.from(fn.name),
      systemName: Uint32Array.from(fn.systemName),
      filename: Uint32Array.from(fn.filename),
      startLine: Float64Array.from(fn.startLine),
    },
    dropFrames: '',
    keepFrames: '',
    timeNanos: p.timeNanos,
    ...(p.timeNanosExact !== undefined && { timeNanosExact: p.timeNanosExact }),
    durationNanos: p.durationNanos,
    periodType: p.periodType,
    period: p.period,
    comments: [],
    docUrl: '',
  };
}
