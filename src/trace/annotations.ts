// User annotations (runtime/trace NewTask, WithRegion/StartRegion): per task type and per region
// type, how many there were and how long they took, as go tool trace's "User-defined tasks" and
// "User-defined regions" pages count them (Go 1.19 cmd/trace/annotations.go).
//
// Go's rules: a task is made of the UserTaskCreate/UserTaskEnd/UserLog events carrying its id;
// only tasks with both create and end ("complete") enter the duration distribution, all count.
// Regions come from the goroutine analysis (a goroutine's regions, including the one a goroutine
// inherits when created inside a task's region); a region type is its name and the top frame of
// the event that started it. A region missing its start or end in the trace runs from the
// trace's first or to its last event. Durations fall into a histogram of five buckets per power
// of ten; each bucket also lists its tasks or regions (id, start, duration), the list a bucket's
// link on Go's pages opens (/usertask?…&latmin=&latmax=, /userregion?…), so a page can show it.

import { EventType, argsPerEvent, stackFrames, stringById, type Frame, type Trace } from './model.js';
import type { GoroutineStat } from './goroutine-stats.js';
import { niceDuration } from './nice-duration.js';

/**
 * Histogram is Go's durationHistogram: bucket b holds durations in [e^(b·ln10/5), e^((b+1)·ln10/5)),
 * with the items (tasks or regions) that fell in each.
 */
export interface Histogram<T> {
  count: number;
  /** counts[b] for b = minBucket..maxBucket. */
  readonly counts: number[];
  /** items[b]: what was counted in bucket b, in the order added. */
  readonly items: T[][];
  minBucket: number;
  maxBucket: number;
}

const logDiv = Math.log(10 ** (1 / 5));

function newHistogram<T>(): Histogram<T> {
  return { count: 0, counts: [], items: [], minBucket: 0, maxBucket: 0 };
}

/** durationBucket is the bucket of a duration (ns), as Go computes it (0 for 0 and below). */
export function durationBucket(d: number): number {
  return d > 0 ? Math.trunc(Math.log(d) / logDiv) : 0;
}

/** addDuration adds one duration (ns) and its item, with Go's bookkeeping of the first and last bucket. */
function addDuration<T>(h: Histogram<T>, d: number, item: T): void {
  const bucket = durationBucket(d);
  while (h.counts.length <= bucket) {
    h.counts.push(0);
    h.items.push([]);
  }
  h.counts[bucket]!++;
  h.items[bucket]!.push(item);
  // Go's condition, kept: the first bucket is whatever came first while the last one is still 0.
  if (bucket < h.minBucket || h.maxBucket === 0) h.minBucket = bucket;
  if (bucket > h.maxBucket) h.maxBucket = bucket;
  h.count++;
}

/** bucketMin is the shortest duration (ns, truncated as Go's time.Duration conversion does) of bucket b. */
export function bucketMin(b: number): number {
  return Math.trunc(Math.exp(b * logDiv));
}

/**
 * HistogramRow is one bucket as the pages print it: from, to (ns; the latmin and latmax of its link
 * on Go's page), how many, and which. Go's linked list takes from ≤ duration ≤ to, both ends in,
 * so a duration on a bound is listed under two links; `items` are exactly the `count` counted here,
 * each in one bucket (Go's float arithmetic puts exactly 1000 ns in the bucket that ends at 1000).
 */
export interface HistogramRow<T = TaskItem | RegionItem> {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly items: T[];
}

/** TaskItem is one task of a bucket: its id in the trace, when it was created and how long it ran (ns). */
export interface TaskItem {
  readonly id: number;
  readonly start: number;
  readonly duration: number;
}

/**
 * RegionItem is one region of a bucket: its goroutine, its task (0: none), when it started and how
 * long it ran (ns) — the columns Go's /userregion page lists (start: the trace's first event for a
 * region that began before the trace).
 */
export interface RegionItem {
  readonly goroutine: number;
  readonly task: number;
  readonly start: number;
  readonly duration: number;
}

function histogramRows<T>(h: Histogram<T>): HistogramRow<T>[] {
  if (h.count === 0) return [];
  const rows: HistogramRow<T>[] = [];
  for (let b = h.minBucket; b <= h.maxBucket; b++) rows.push({ from: bucketMin(b), to: bucketMin(b + 1), count: h.counts[b] ?? 0, items: h.items[b] ?? [] });
  return rows;
}

/** TaskTypeRow is one task type: how many tasks, how many complete, their durations' distribution. */
export interface TaskTypeRow {
  readonly type: string;
  readonly count: number;
  readonly complete: number;
  readonly histogram: HistogramRow<TaskItem>[];
}

/** RegionTypeRow is one region type (name and where it starts) and its durations' distribution. */
export interface RegionTypeRow {
  readonly type: string;
  readonly frame: Frame | undefined;
  readonly count: number;
  readonly histogram: HistogramRow<RegionItem>[];
}

interface Task {
  id: number;
  name: string;
  create: number;
  end: number;
}

/** taskTypes counts tasks by type (name), sorted by type, as /usertasks lists them. */
export function taskTypes(t: Trace): TaskTypeRow[] {
  const ev = t.events;
  const tasks = new Map<number, Task>();
  for (let i = 0; i < ev.length; i++) {
    const type = ev.type[i]!;
    if (type !== EventType.UserTaskCreate && type !== EventType.UserTaskEnd && type !== EventType.UserLog) continue;
    const id = ev.args[i * argsPerEvent]!;
    if (id === 0) continue; // "no task"
    let task = tasks.get(id);
    if (task === undefined) tasks.set(id, (task = { id, name: '', create: -1, end: -1 }));
    if (type === EventType.UserTaskCreate) {
      task.name = stringById(t, ev.args[i * argsPerEvent + 2]!);
      task.create = i;
      // A parent named only by its child's create event is a task too (Go makes one for it).
      const parent = ev.args[i * argsPerEvent + 1]!;
      if (parent !== 0 && !tasks.has(parent)) tasks.set(parent, { id: parent, name: '', create: -1, end: -1 });
    } else if (type === EventType.UserTaskEnd) task.end = i;
  }
  const byType = new Map<string, { count: number; complete: number; h: Histogram<TaskItem> }>();
  for (const task of tasks.values()) {
    let s = byType.get(task.name);
    if (s === undefined) byType.set(task.name, (s = { count: 0, complete: 0, h: newHistogram<TaskItem>() }));
    s.count++;
    if (task.create >= 0 && task.end >= 0) {
      s.complete++;
      const duration = ev.ts[task.end]! - ev.ts[task.create]!;
      addDuration(s.h, duration, { id: task.id, start: ev.ts[task.create]!, duration });
    }
  }
  return [...byType]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, s]) => ({ type, count: s.count, complete: s.complete, histogram: histogramRows(s.h) }));
}

/** regionTypes counts regions by type (name and start frame), sorted by name then PC, as /userregions lists them. */
export function regionTypes(t: Trace, stats: ReadonlyMap<number, GoroutineStat>): RegionTypeRow[] {
  const ev = t.events;
  const first = ev.length > 0 ? ev.ts[0]! : 0;
  const last = ev.length > 1 ? ev.ts[ev.length - 1]! : 0;
  const byType = new Map<string, { type: string; frame: Frame | undefined; h: Histogram<RegionItem> }>();
  for (const g of stats.values()) {
    for (const r of g.regions) {
      const frame = r.start >= 0 ? stackFrames(t, ev.stack[r.start]!)[0] : undefined;
      const key = `${r.name}\n${frame ? `${frame.pc} ${frame.fn} ${frame.file} ${frame.line}` : ''}`;
      let s = byType.get(key);
      if (s === undefined) byType.set(key, (s = { type: r.name, frame, h: newHistogram<RegionItem>() }));
      const from = r.start >= 0 ? ev.ts[r.start]! : first;
      const to = r.end >= 0 ? ev.ts[r.end]! : last;
      addDuration(s.h, to - from, { goroutine: g.id, task: r.taskId, start: from, duration: to - from });
    }
  }
  return [...byType.values()]
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : (a.frame?.pc ?? 0) - (b.frame?.pc ?? 0)))
    .map((s) => ({ type: s.type, frame: s.frame, count: s.h.count, histogram: histogramRows(s.h) }));
}

/** renderHistogram prints the buckets as Go's pages draw them: each lower bound, bar and count, then the last upper bound. */
function renderHistogram(rows: readonly HistogramRow[]): string[] {
  if (rows.length === 0) return [];
  const max = Math.max(1, ...rows.map((r) => r.count));
  const end = niceDuration(rows[rows.length - 1]!.to);
  const width = Math.max(end.length, ...rows.map((r) => niceDuration(r.from).length));
  const lines = rows.map((r) => `    ${niceDuration(r.from).padStart(width)}  ${'█'.repeat(Math.trunc((r.count * 40) / max)).padEnd(40)} ${r.count}`);
  return [...lines, `    ${end.padStart(width)}`];
}

/** renderTaskTypes prints each task type with its count and the distribution of complete tasks' durations. */
export function renderTaskTypes(rows: readonly TaskTypeRow[]): string {
  if (rows.length === 0) return 'No user tasks in the trace (runtime/trace.NewTask).\n';
  const out: string[] = [];
  for (const r of rows) {
    out.push(`${r.type || '(unnamed: created before the trace)'}: ${r.count} tasks, ${r.complete} complete`);
    out.push(...renderHistogram(r.histogram));
  }
  return `${out.join('\n')}\n`;
}

/** renderRegionTypes prints each region type with where it starts, its count and durations. */
export function renderRegionTypes(rows: readonly RegionTypeRow[]): string {
  if (rows.length === 0) return 'No user regions in the trace (runtime/trace.WithRegion, StartRegion).\n';
  const out: string[] = [];
  for (const r of rows) {
    const where = r.frame ? ` at ${r.frame.fn} ${r.frame.file}:${r.frame.line}` : '';
    out.push(`${r.type || '(task inherited by a new goroutine)'}${where}: ${r.count} regions`);
    out.push(...renderHistogram(r.histogram));
  }
  return `${out.join('\n')}\n`;
}
