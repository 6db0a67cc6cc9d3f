// Naming one value inside a /debug/vars document, as expvarmon does: dotted paths
// (`memstats.HeapAlloc`, a literal dot escaped as `\.`), with an optional kind in front
// (`mem:`, `duration:`, `str:`) saying how to print it. Without a kind, the value's path decides:
// Go's MemStats fields and the agent's memory figures are bytes, the pause fields durations.

/** VarKind says how a value is printed: bytes, nanoseconds, a timestamp, a fraction, or as it is. */
export type VarKind = 'bytes' | 'duration' | 'timestamp' | 'fraction' | 'string' | 'number';

/** VarSpec is one chosen variable. */
export interface VarSpec {
  /** What the user wrote, without the kind prefix. */
  readonly name: string;
  readonly path: readonly string[];
  readonly kind: VarKind;
}

const memstatsBytes = new Set([
  'Alloc', 'TotalAlloc', 'Sys', 'HeapAlloc', 'HeapSys', 'HeapIdle', 'HeapInuse', 'HeapReleased', 'StackInuse', 'StackSys',
  'MSpanInuse', 'MSpanSys', 'MCacheInuse', 'MCacheSys', 'BuckHashSys', 'GCSys', 'OtherSys', 'NextGC',
]);
const memstatsDurations = new Set(['PauseTotalNs', 'PauseNs']);
const memstatsTimestamps = new Set(['LastGC', 'PauseEnd']);
const nodeHeapBytes = new Set(['limit', 'totalSize', 'usedSize', 'physicalSize', 'mallocedMemory']);

/** expvarmonDefaults are the variables expvarmon watches when given none. */
export const expvarmonDefaults: readonly string[] = [
  'mem:memstats.Alloc',
  'mem:memstats.Sys',
  'mem:memstats.HeapAlloc',
  'mem:memstats.HeapInuse',
  'duration:memstats.PauseNs',
  'duration:memstats.PauseTotalNs',
];

/** splitPath splits a dotted path; `\.` is a dot inside a name and `\\` a backslash. */
export function splitPath(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && (s[i + 1] === '.' || s[i + 1] === '\\')) cur += s[++i];
    else if (c === '.') {
      if (cur !== '') parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') parts.push(cur);
  return parts;
}

/** parseVarSpec reads `[kind:]dotted.path`. */
export function parseVarSpec(spec: string): VarSpec {
  const m = /^(mem|duration|str|number):(.*)$/.exec(spec);
  const name = m ? m[2]! : spec;
  const path = splitPath(name);
  if (path.length === 0) throw new Error(`--var ${JSON.stringify(spec)}: no variable named`);
  const given = m?.[1];
  const kind: VarKind = given === 'mem' ? 'bytes' : given === 'duration' ? 'duration' : given === 'str' ? 'string' : given === 'number' ? 'number' : kindOf(path);
  return { name, path, kind };
}

/** kindOf infers how to print the value at a path of an expvar or agent document. */
export function kindOf(path: readonly string[]): VarKind {
  const [top, a, b] = path;
  if (top === 'memstats' && a !== undefined && path.length <= 3) {
    if (memstatsBytes.has(a)) return 'bytes';
    if (memstatsDurations.has(a)) return 'duration';
    if (memstatsTimestamps.has(a)) return 'timestamp';
    if (a === 'GCCPUFraction') return 'fraction';
  }
  if (top === 'node') {
    if (a === 'memory') return 'bytes';
    if (a === 'heap' && b !== undefined && (nodeHeapBytes.has(b) || b === 'spaces')) return 'bytes';
    if (a === 'eventLoop' && b === 'utilization') return 'fraction';
  }
  return 'number';
}

/** lookup returns the value at a path, or undefined when the document has none there. */
export function lookup(doc: unknown, path: readonly string[]): unknown {
  let v: unknown = doc;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) && /^\d+$/.test(p) ? v[Number(p)] : (v as Record<string, unknown>)[p];
  }
  return v;
}

/**
 * selectVars gives the chosen variables' values as the document holds them, by the names the user
 * wrote (`vars --json --var …`); a variable the document lacks is null, as JSON has no undefined.
 */
export function selectVars(doc: unknown, specs: readonly VarSpec[]): Record<string, unknown> {
  return Object.fromEntries(specs.map((s) => [s.name, lookup(doc, s.path) ?? null]));
}

/**
 * currentNumber reduces a value to the number a dashboard plots: the number itself, or for Go's
 * rings of the last 256 pauses (PauseNs, PauseEnd) the newest entry, at (NumGC+255) % 256.
 */
export function currentNumber(doc: unknown, spec: VarSpec): number | undefined {
  const v = lookup(doc, spec.path);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v) && v.length > 0) {
    const numGC = lookup(doc, [...spec.path.slice(0, -1), 'NumGC']);
    const i = typeof numGC === 'number' ? (numGC + v.length - 1) % v.length : v.length - 1;
    const x = v[i];
    return typeof x === 'number' ? x : undefined;
  }
  return undefined;
}
