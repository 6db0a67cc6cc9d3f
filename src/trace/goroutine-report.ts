// The goroutine analysis as rows and as text: groups of goroutines by start function (go tool
// trace's /goroutines page), the goroutines of chosen groups with where their time went
// (/goroutine?id=PC), and one goroutine's life and the places it waited longest.

import { alignRight } from '../report/tabwriter.js';
import { EventType, argsPerEvent, stackFrames, stackIndex, type Frame, type Trace } from './model.js';
import type { ExecStat, GoroutineStat } from './goroutine-stats.js';
import { niceDuration } from './nice-duration.js';

/** GroupRow is one group of goroutines: those that started in the same function (same PC). */
export interface GroupRow {
  readonly pc: number;
  /** The start function; "" for goroutines that never started during the trace. */
  readonly name: string;
  readonly count: number;
  /** The group's execution time, and its share of all goroutines' execution time (0..1). */
  readonly execTime: number;
  readonly execShare: number;
}

/** groupRows groups goroutines by start PC, largest execution time first (then by name, PC). */
export function groupRows(stats: Iterable<GoroutineStat>): GroupRow[] {
  const groups = new Map<number, { name: string; count: number; execTime: number }>();
  let total = 0;
  for (const g of stats) {
    total += g.execTime;
    const row = groups.get(g.pc);
    if (row === undefined) groups.set(g.pc, { name: g.name, count: 1, execTime: g.execTime });
    else {
      row.count++;
      row.execTime += g.execTime;
      row.name = g.name;
    }
  }
  return [...groups]
    .map(([pc, r]) => ({ pc, name: r.name, count: r.count, execTime: r.execTime, execShare: total > 0 ? r.execTime / total : 0 }))
    .sort((a, b) => b.execTime - a.execTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.pc - b.pc));
}

/** SortKey names a column of the goroutine table, in the words of its header. */
export const sortKeys = {
  total: 'totalTime',
  exec: 'execTime',
  net: 'ioTime',
  sync: 'blockTime',
  syscall: 'syscallTime',
  sched: 'schedWaitTime',
  sweep: 'sweepTime',
  gc: 'gcTime',
} as const satisfies Record<string, keyof ExecStat>;

export type SortKey = keyof typeof sortKeys;

/** isSortKey tells whether s names a sort key. */
export function isSortKey(s: string): s is SortKey {
  return Object.hasOwn(sortKeys, s);
}

/** GoroutineRow is one goroutine of the table: its id, group and times (ns). */
export interface GoroutineRow extends ExecStat {
  readonly id: number;
  readonly name: string;
  readonly pc: number;
  readonly creationTime: number;
  readonly startTime: number;
  readonly endTime: number;
}

/** goroutineRows lists the goroutines that keep() accepts, largest `sort` first (then by id). */
export function goroutineRows(stats: Iterable<GoroutineStat>, keep: (g: GoroutineStat) => boolean, sort: SortKey = 'total'): GoroutineRow[] {
  const field = sortKeys[sort];
  const rows: GoroutineRow[] = [];
  for (const g of stats) {
    if (!keep(g)) continue;
    const { regions: _regions, ...row } = g;
    rows.push(row);
  }
  return rows.sort((a, b) => b[field] - a[field] || a.id - b.id);
}

/** WaitRow is one place a goroutine waited: the kind of wait, its stack, how often and how long. */
export interface WaitRow {
  readonly kind: 'net' | 'sync' | 'syscall' | 'sleep' | 'other';
  readonly count: number;
  readonly ns: number;
  readonly stack: Frame[];
}

/** GoroutineDetail is one goroutine: its row, its start function, where it was created, where it waited. */
export interface GoroutineDetail {
  readonly goroutine: GoroutineRow;
  /** The stack the goroutine starts with (its start function), as the GoCreate records it. */
  readonly startStack: Frame[];
  /**
   * The stack of the goroutine that created it, at the `go` statement. For goroutines that existed
   * before the trace began, Go records the stack of the goroutine that started tracing instead.
   */
  readonly createdAt: Frame[];
  readonly waits: WaitRow[];
}

const waitKinds: ReadonlyMap<number, WaitRow['kind']> = new Map([
  [EventType.GoBlockNet, 'net'],
  [EventType.GoBlockSend, 'sync'],
  [EventType.GoBlockRecv, 'sync'],
  [EventType.GoBlockSelect, 'sync'],
  [EventType.GoBlockSync, 'sync'],
  [EventType.GoBlockCond, 'sync'],
  [EventType.GoSysCall, 'syscall'],
  [EventType.GoSleep, 'sleep'],
  [EventType.GoBlock, 'other'],
  [EventType.GoBlockGC, 'other'],
]);

/**
 * goroutineDetail describes goroutine id, or returns undefined when the trace has no such
 * goroutine. Its waits are the blocking events it made that the trace saw end (linked), summed by
 * kind and stack, longest first.
 */
export function goroutineDetail(t: Trace, stats: ReadonlyMap<number, GoroutineStat>, id: number): GoroutineDetail | undefined {
  const g = stats.get(id);
  if (g === undefined) return undefined;
  const ev = t.events;
  let createdAt: Frame[] = [];
  let startStack: Frame[] = [];
  const waits = new Map<string, { kind: WaitRow['kind']; count: number; ns: number; stack: number }>();
  for (let i = 0; i < ev.length; i++) {
    const type = ev.type[i]!;
    if (type === EventType.GoCreate && ev.args[i * argsPerEvent] === id) {
      startStack = stackFrames(t, stackIndex(t, ev.args[i * argsPerEvent + 1]!));
      createdAt = stackFrames(t, ev.stack[i]!);
      continue;
    }
    if (ev.g[i] !== id) continue;
    const kind = waitKinds.get(type);
    const link = ev.link[i]!;
    if (kind === undefined || link < 0) continue;
    const key = `${kind} ${ev.stack[i]}`;
    const w = waits.get(key) ?? { kind, count: 0, ns: 0, stack: ev.stack[i]! };
    w.count++;
    w.ns += ev.ts[link]! - ev.ts[i]!;
    waits.set(key, w);
  }
  const { regions: _regions, ...row } = g;
  return {
    goroutine: row,
    startStack,
    createdAt,
    waits: [...waits.values()].sort((a, b) => b.ns - a.ns).map((w) => ({ kind: w.kind, count: w.count, ns: w.ns, stack: stackFrames(t, w.stack) })),
  };
}

const pct = (part: number, whole: number): string => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '');

/** renderGroups prints the groups as a table, as /goroutines lists them. */
export function renderGroups(rows: readonly GroupRow[]): string {
  const total = rows.reduce((n, r) => n + r.count, 0);
  const lines = [`Goroutines: ${total} in ${rows.length} groups by start function, largest execution time first`];
  lines.push('N\tExecution\tExec%\t  Start function');
  for (const r of rows) lines.push(`${r.count}\t${niceDuration(r.execTime)}\t${pct(r.execTime, rows.reduce((n, x) => n + x.execTime, 0)) || '0.0%'}\t  ${r.name || '(not started during the trace)'}`);
  return `${alignRight(lines.join('\n'), 2)}\n`;
}

const columns: readonly [string, Exclude<keyof ExecStat, 'columns' | 'rangeTimes'>][] = [
  ['Execution', 'execTime'],
  ['Network wait', 'ioTime'],
  ['Sync block', 'blockTime'],
  ['Blocking syscall', 'syscallTime'],
  ['Scheduler wait', 'schedWaitTime'],
  ['GC sweeping', 'sweepTime'],
  ['GC pause', 'gcTime'],
];

/**
 * go122Columns lists the Go 1.22+ columns any row has, in the order Go 1.22+'s goroutine page
 * puts them: "Execution time" first, then by name (so the block reasons come together).
 */
function go122Columns(rows: readonly ExecStat[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.columns ?? {})) names.add(k);
  return [...names].sort((a, b) => (a === b ? 0 : a === 'Execution time' ? -1 : b === 'Execution time' ? 1 : a < b ? -1 : 1));
}

/** renderGo122 prints goroutines of a Go 1.22+ trace with Total and Go 1.22+'s columns. */
function renderGo122(rows: readonly GoroutineRow[]): string {
  const names = go122Columns(rows);
  const lines = [['Goroutine', 'Total', ...names, '  Start function'].join('\t')];
  for (const r of rows) {
    const cells = [String(r.id), niceDuration(r.totalTime)];
    for (const k of names) {
      const v = r.columns?.[k] ?? 0;
      cells.push(`${niceDuration(v)} ${pct(v, r.totalTime) || '-'}`);
    }
    cells.push(`  ${r.name || '(not started)'}`);
    lines.push(cells.join('\t'));
  }
  return `${alignRight(lines.join('\n'), 2)}\n`;
}

/**
 * renderGoroutines prints goroutines with Total and each column with its share of Total: Go
 * 1.19's columns, or for a Go 1.22+ trace the columns its tool shows (see goroutine-transitions.ts).
 */
export function renderGoroutines(rows: readonly GoroutineRow[]): string {
  if (rows.some((r) => r.columns !== undefined)) return renderGo122(rows);
  const lines = [['Goroutine', 'Total', ...columns.map(([h]) => h), '  Start function'].join('\t')];
  for (const r of rows) {
    const cells = [String(r.id), niceDuration(r.totalTime)];
    for (const [, k] of columns) cells.push(`${niceDuration(r[k])} ${pct(r[k], r.totalTime) || '-'}`);
    cells.push(`  ${r.name || '(not started)'}`);
    lines.push(cells.join('\t'));
  }
  return `${alignRight(lines.join('\n'), 2)}\n`;
}

function renderStack(frames: readonly Frame[], indent: string): string[] {
  return frames.map((f) => `${indent}${f.fn} ${f.file}:${f.line}`);
}

/** renderDetail prints one goroutine: its life, its times, its creation stack and its waits. */
export function renderDetail(d: GoroutineDetail): string {
  const g = d.goroutine;
  const out = [`Goroutine ${g.id}: ${g.name || '(not started during the trace)'}`];
  out.push(`  created ${niceDuration(g.creationTime)}, started ${g.startTime ? niceDuration(g.startTime) : '-'}, ended ${g.endTime ? niceDuration(g.endTime) : '- (alive at the end)'} (times from the trace's start)`);
  const times =
    g.columns !== undefined
      ? go122Columns([g]).map((k) => `${k.toLowerCase()} ${niceDuration(g.columns![k]!)}`)
      : columns.map(([h, k]) => `${h.toLowerCase()} ${niceDuration(g[k])}`);
  out.push(`  total ${niceDuration(g.totalTime)}: ${times.join(', ')}`);
  if (d.startStack.length > 0) out.push('  starts in:', ...renderStack(d.startStack, '    '));
  if (d.createdAt.length > 0) out.push('  created at (where tracing began, for a goroutine older than the trace):', ...renderStack(d.createdAt, '    '));
  out.push(d.waits.length > 0 ? '  waited, longest first:' : '  no finished waits in the trace');
  for (const w of d.waits) {
    out.push(`    ${niceDuration(w.ns)} in ${w.count} ${w.kind} wait${w.count === 1 ? '' : 's'}`);
    out.push(...renderStack(w.stack, '      '));
  }
  return `${out.join('\n')}\n`;
}
