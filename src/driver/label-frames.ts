// pprof's -tagroot and -tagleaf (current google/pprof, internal/driver/tagroot.go): pseudo frames
// made of a sample's label values, added at the root or the leaf of every stack, so that a graph
// or a flame graph splits by label (`-tagroot=handler`: one subtree per handler).
//
// As pprof does: each key gives each sample one frame whose function name is the sample's values
// of that key joined by commas (numeric values printed in their unit) and whose file name is the
// key; a sample without the key gets a frame named "" all the same. The first root key is the new
// root, the last leaf key the new leaf. Frames are shared by every sample with the same name and key.

import type { Profile } from '../profile/model.js';
import { scaledLabel } from '../units/measurement.js';
import type { Config } from './config.js';
import type { ViewContext } from './driver.js';

/** LabelFrames is the profile with its pseudo frames and whether each list of keys matched a label. */
export interface LabelFrames {
  readonly profile: Profile;
  readonly rootMatched: boolean;
  readonly leafMatched: boolean;
}

/** labelKeys reads pprof's comma-separated key list, empty names left out. */
export function labelKeys(list: string): string[] {
  return list.split(',').filter((k) => k !== '');
}

/**
 * addLabelFrames returns p with a frame per root key above each stack and one per leaf key below
 * it. outputUnit prints numeric label values (pprof's -unit), as pprof labels them (`1.50MB`).
 */
export function addLabelFrames(p: Profile, rootKeys: readonly string[], leafKeys: readonly string[], outputUnit: string): LabelFrames {
  if (rootKeys.length === 0 && leafKeys.length === 0) return { profile: p, rootMatched: false, leafMatched: false };
  const strings = [...p.strings];
  const newStrings = new Map<string, number>();
  const intern = (s: string): number => {
    let i = newStrings.get(s);
    if (i === undefined) newStrings.set(s, (i = strings.push(s) - 1));
    return i;
  };
  // New frames: one function and one location each, keyed by name and key.
  const frames = new Map<string, number>();
  const frameName: number[] = [];
  const frameFile: number[] = [];
  const frame = (name: string, key: string): number => {
    const k = `${key}\u0000${name}`;
    let f = frames.get(k);
    if (f === undefined) {
      f = frameName.length;
      frames.set(k, f);
      frameName.push(intern(name));
      frameFile.push(intern(key));
    }
    return p.locations.length + f;
  };

  const s = p.samples;
  const labels = s.labels;
  /** values lists sample i's values of key, strings first, then numbers in their unit. */
  const values = (i: number, key: string): string[] => {
    if (!labels) return [];
    const text: string[] = [];
    const numbers: string[] = [];
    // pprof keeps a sample's numeric units only when one of its labels has a unit; without any,
    // it prints the bare number whatever -unit says.
    let hasUnits = false;
    for (let e = labels.start[i]!; e < labels.start[i + 1]!; e++) if (labels.str[e] === 0 && labels.numUnit[e] !== 0) hasUnits = true;
    for (let e = labels.start[i]!; e < labels.start[i + 1]!; e++) {
      if (p.strings[labels.key[e]!] !== key) continue;
      if (labels.str[e]! !== 0) text.push(p.strings[labels.str[e]!]!);
      else numbers.push(hasUnits ? scaledLabel(labels.num[e]!, p.strings[labels.numUnit[e]!] ?? '', outputUnit) : scaledLabel(labels.num[e]!, '', ''));
    }
    return [...text, ...numbers];
  };
  let rootMatched = false;
  let leafMatched = false;
  /** framesOf lists the frames of keys for sample i, innermost first (the last key first). */
  const framesOf = (i: number, keys: readonly string[]): { locs: number[]; matched: boolean } => {
    const locs: number[] = [];
    let matched = false;
    for (let k = keys.length - 1; k >= 0; k--) {
      const v = values(i, keys[k]!);
      if (v.length > 0) matched = true;
      locs.push(frame(v.join(','), keys[k]!));
    }
    return { locs, matched };
  };

  const stackStart = new Uint32Array(s.length + 1);
  const locations = new Uint32Array(s.locations.length + s.length * (rootKeys.length + leafKeys.length));
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    stackStart[i] = n;
    const roots = framesOf(i, rootKeys);
    const leaves = framesOf(i, leafKeys);
    rootMatched ||= roots.matched;
    leafMatched ||= leaves.matched;
    for (const l of leaves.locs) locations[n++] = l;
    const stack = s.locations.subarray(s.stackStart[i]!, s.stackStart[i + 1]!);
    locations.set(stack, n);
    n += stack.length;
    for (const l of roots.locs) locations[n++] = l;
  }
  stackStart[s.length] = n;

  return {
    profile: {
      ...p,
      strings,
      samples: { ...s, stackStart, locations },
      functions: extendFunctions(p, frameName, frameFile),
      locations: extendLocations(p, frameName.length),
    },
    rootMatched,
    leafMatched,
  };
}

/** maxId is the largest id of a table, so that new entries get ids after it, as pprof numbers them. */
function maxId(ids: Float64Array): number {
  let m = 0;
  for (const id of ids) if (id > m) m = id;
  return m;
}

function extendFunctions(p: Profile, names: readonly number[], files: readonly number[]): Profile['functions'] {
  const f = p.functions;
  const n = f.length + names.length;
  const grow = <T extends Float64Array | Uint32Array>(a: T, make: new (n: number) => T, add: (j: number) => number): T => {
    const out = new make(n);
    out.set(a);
    for (let j = 0; j < names.length; j++) out[f.length + j] = add(j);
    return out;
  };
  const first = maxId(f.id) + 1;
  return {
    length: n,
    id: grow(f.id, Float64Array, (j) => first + j),
    name: grow(f.name, Uint32Array, (j) => names[j]!),
    systemName: grow(f.systemName, Uint32Array, () => 0),
    filename: grow(f.filename, Uint32Array, (j) => files[j]!),
    startLine: grow(f.startLine, Float64Array, () => 0),
  };
}

/** extendLocations adds count locations of one line each; the j-th calls the j-th new function. */
function extendLocations(p: Profile, count: number): Profile['locations'] {
  const l = p.locations;
  const n = l.length + count;
  const lines = l.lineFunction.length;
  const id = new Float64Array(n);
  id.set(l.id);
  const first = maxId(l.id) + 1;
  const mapping = new Int32Array(n).fill(-1);
  mapping.set(l.mapping);
  const address = new BigUint64Array(n);
  address.set(l.address);
  const isFolded = new Uint8Array(n);
  isFolded.set(l.isFolded);
  const lineStart = new Uint32Array(n + 1);
  lineStart.set(l.lineStart.subarray(0, l.length + 1));
  const lineFunction = new Int32Array(lines + count);
  lineFunction.set(l.lineFunction);
  for (let j = 0; j < count; j++) {
    id[l.length + j] = first + j;
    lineStart[l.length + j + 1] = lines + j + 1;
    lineFunction[lines + j] = p.functions.length + j;
  }
  const lineNumber = new Float64Array(lines + count);
  lineNumber.set(l.lineNumber);
  const lineColumn = new Float64Array(lines + count);
  lineColumn.set(l.lineColumn);
  return { length: n, id, mapping, address, isFolded, lineStart, lineFunction, lineNumber, lineColumn };
}

/**
 * withLabelFrames adds the -tagroot and -tagleaf frames to every profile of a view (one, or the
 * profiles compared), before any filter, so that the filters can match them and each label's
 * frame is compared with its namesake (pprof -diff_base adds them to the merged profile, base
 * negated, which comes to the same numbers). Like pprof it notes once a key list that matched no
 * sample.
 */
export function withLabelFrames(profiles: readonly Profile[], cfg: Pick<Config, 'tagRoot' | 'tagLeaf' | 'unit'>, ctx: ViewContext): Profile[] {
  if (cfg.tagRoot === '' && cfg.tagLeaf === '') return [...profiles];
  const rs = profiles.map((p) => addLabelFrames(p, labelKeys(cfg.tagRoot), labelKeys(cfg.tagLeaf), cfg.unit));
  if (cfg.tagRoot !== '' && !rs.some((r) => r.rootMatched)) ctx.warn?.('TagRoot expression matched no samples');
  if (cfg.tagLeaf !== '' && !rs.some((r) => r.leafMatched)) ctx.warn?.('TagLeaf expression matched no samples');
  return rs.map((r) => r.profile);
}
