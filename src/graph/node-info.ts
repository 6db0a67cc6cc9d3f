// What a graph node stands for: a function, a file, a source line or an address, depending on the
// granularity. Two location lines that give the same NodeInfo are the same node.

import type { Profile } from '../profile/model.js';

/** Granularity is the level at which samples are aggregated into nodes. */
export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

/** granularities lists the valid granularities, finest last. */
export const granularities: readonly Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

/** NodeInfo identifies a node; fields that the granularity drops are empty or zero. */
export interface NodeInfo {
  readonly name: string;
  readonly origName: string;
  readonly address: bigint;
  readonly file: string;
  readonly startLine: number;
  readonly lineno: number;
  readonly objfile: string;
}

/** AggregationOptions say which parts of a location line make a node distinct. */
export interface AggregationOptions {
  readonly granularity: Granularity;
  /** Merge inlined frames into the function they were inlined into. */
  readonly noInlines: boolean;
  /** Keep the object file name on every node (source and callgrind reports want it). */
  readonly objNames?: boolean;
  /** Report system (e.g. mangled) names instead of names. */
  readonly origFnNames?: boolean;
  /** Rewrites source file names (trim_path/source_path); identity when absent. */
  readonly trimPath?: (file: string) => string;
}

/** printableName is a node's name as reports print it: `[address] name [file:line]`. */
export function printableName(i: NodeInfo): string {
  return nameComponents(i).join(' ');
}

/** nameComponents are the parts of printableName. */
export function nameComponents(i: NodeInfo): string[] {
  const parts: string[] = [];
  if (i.address !== 0n) parts.push(i.address.toString(16).padStart(16, '0'));
  if (i.name !== '') parts.push(i.name);
  if (i.lineno !== 0) parts.push(`${i.file}:${i.lineno}`);
  else if (i.file !== '') parts.push(i.file);
  else if (i.name !== '') {
    // the name says it all
  } else if (i.objfile !== '') parts.push(`[${basename(i.objfile)}]`);
  else parts.push('<unknown>');
  return parts;
}

/** nodeKey is a string that is equal for equal NodeInfos. */
export function nodeKey(i: NodeInfo): string {
  const address = i.address === 0n ? '' : i.address.toString(16);
  return `${i.name}\u0000${i.origName}\u0000${address}\u0000${i.file}\u0000${i.startLine}\u0000${i.lineno}\u0000${i.objfile}`;
}

/** compareStrings orders strings as Go's < does for the names pprof sorts by. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * infoSortString is the tie-breaker pprof uses when two nodes compare equal on everything else:
 * Go's fmt.Sprint of the NodeInfo struct.
 */
export function infoSortString(i: NodeInfo): string {
  return `{${i.name} ${i.origName} ${i.address} ${i.file} ${i.startLine} ${i.lineno} ${i.objfile}}`;
}

/**
 * lineNodeInfo is the NodeInfo of line k of location l at the given aggregation. A line with no
 * function gives a node for the address in its object file.
 */
export function lineNodeInfo(p: Profile, l: number, k: number, o: AggregationOptions): NodeInfo {
  const { locations: loc, functions: fn, strings } = p;
  const keepAddress = o.granularity === 'addresses';
  const keepFunction = o.granularity !== 'files';
  const keepFile = o.granularity !== 'functions';
  const keepLine = o.granularity === 'lines' || o.granularity === 'addresses';
  const mi = loc.mapping[l]!;
  const objfile = mi >= 0 ? p.mappings[mi]!.file : '';
  const address = keepAddress ? loc.address[l]! : 0n;
  const f = k < 0 ? -1 : loc.lineFunction[k]!;
  if (f < 0) return { name: '', origName: '', address, file: '', startLine: 0, lineno: 0, objfile };
  const name = keepFunction ? strings[fn.name[f]!]! : '';
  const origName = keepFunction && o.origFnNames ? strings[fn.systemName[f]!]! : '';
  const rawFile = keepFile ? strings[fn.filename[f]!]! : '';
  const file = rawFile !== '' ? cleanPath(o.trimPath ? o.trimPath(rawFile) : rawFile) : '';
  const withObj = o.objNames || (name === '' && origName === '');
  return {
    name,
    origName,
    address,
    file,
    startLine: withObj ? fn.startLine[f]! : 0,
    lineno: keepLine ? loc.lineNumber[k]! : 0,
    objfile: withObj ? objfile : '',
  };
}

/** basename is the last element of a slash-separated path. */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path === '' ? '.' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** cleanPath is Go's filepath.Clean for slash-separated paths. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}
