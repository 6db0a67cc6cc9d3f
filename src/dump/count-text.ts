// Go's count profiles as text: what `/debug/pprof/goroutine?debug=1` and `threadcreate?debug=1`
// answer (runtime/pprof's printCountProfile):
//
//   goroutine profile: total 15
//   7 @ 0x437836 0x4063db 0x405f18 0x4bae95 0x463101          count, return addresses (leaf first)
//   #	0x4bae94	main.leakWorker+0x34	/src/main.go:35       one comment per frame: pc, name+offset, file:line
//
// pprof reads the first two kinds of line (legacy_profile.go, parseGoCount) and ignores the `#`
// lines, so without the binary every frame is `<unknown>`. proflens keeps pprof's values and
// structure (addresses taken back by one, one location per address, one sample per stack) and
// gives each location the function, file and line its `#` lines name: the runtime prints the
// call's pc, which is the return address less one, the very address pprof keys the location by.
//
// The runtime leaves leading `runtime.*` frames (gopark and the like) and runtime.goexit out of the
// `#` lines, so those locations keep only their address, as in pprof.
//
// Where pprof refuses the text, proflens reads it: a stack of no addresses (`5 @`, threadcreate's
// threads started before profiling) is a sample with an empty stack, and a `# labels: {...}` tail on
// the count line (goroutines with pprof labels) is dropped.

import { Buffer } from 'node:buffer';
import { ProfileError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { StringTable } from '../profile/string-table.js';
import { FrameComments } from './frame-comments.js';

const headerRe = /^(\S+) profile: total \d+\r?$/;
/** pprof reads lines with bufio.Scanner, whose lines end at 64 KiB; a longer one is refused. */
const maxLine = 64 * 1024;

/** isGoCountText tells whether bytes start as a goroutine or threadcreate debug=1 profile does. */
export function isGoCountText(data: Uint8Array): boolean {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 128)).toString('latin1');
  const first = head.split('\n', 1)[0]!;
  return headerRe.test(first) && !first.startsWith('heap ');
}

/** parseGoCountText reads a count profile's text; errors say which line is wrong. */
export function parseGoCountText(data: Uint8Array): Profile {
  const text = Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
  const lines = text.split('\n');
  const fail = (i: number, why: string): never => {
    throw new ProfileError(`count profile text, line ${i + 1}: ${why}`);
  };
  const type = headerRe.exec(lines[0]!.replace(/\r$/, ''))![1]!;

  const frames = new FrameComments();
  const stacks: number[][] = [];
  const counts: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.length > maxLine) fail(i, 'longer than 64 KiB');
    const l = lines[i]!.replace(/\r$/, '');
    if (l.trim() === '') continue;
    if (l.startsWith('---')) break;
    if (l.startsWith('#')) {
      frames.comment(l);
      continue;
    }
    const at = l.indexOf(' @');
    const countText = at > 0 ? l.slice(0, at) : '';
    if (!/^\d+$/.test(countText)) fail(i, 'not a sample (count @ addresses)');
    const count = Number(countText);
    if (!Number.isSafeInteger(count)) fail(i, `count ${countText} is out of range`);
    let rest = l.slice(at + 2);
    const labels = rest.indexOf(' # labels:');
    if (labels >= 0) rest = rest.slice(0, labels);
    const stack: number[] = [];
    for (const hex of rest.split(' ')) {
      if (hex === '') continue;
      if (!/^0x[0-9a-f]{1,16}$/.test(hex)) fail(i, `${JSON.stringify(hex.slice(0, 40))} is not an address`);
      stack.push(frames.location(hex));
    }
    stacks.push(stack);
    counts.push(count);
    frames.nextSample();
  }
  return buildProfile(type, frames, stacks, counts);
}

function buildProfile(type: string, frames: FrameComments, stacks: number[][], counts: number[]): Profile {
  const table = new StringTable();
  const { locations, functions } = frames.tables(table);
  const stackStart = new Uint32Array(stacks.length + 1);
  for (let s = 0; s < stacks.length; s++) stackStart[s + 1] = stackStart[s]! + stacks[s]!.length;
  return {
    strings: table.list,
    sampleTypes: [{ type, unit: 'count' }],
    defaultSampleType: '',
    samples: { length: stacks.length, stackStart, locations: Uint32Array.from(stacks.flat()), values: Float64Array.from(counts) },
    mappings: frames.mappings(),
    locations,
    functions,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: { type, unit: 'count' },
    period: 1,
    comments: [],
    docUrl: '',
  };
}
