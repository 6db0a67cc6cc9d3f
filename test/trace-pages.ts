// Reading what go tool trace's Goroutine analysis pages say (the saved /goroutines and
// /goroutine?id=PC pages of Go 1.19), and comparing our goroutine analysis with them.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GoroutineStat } from '../src/trace/goroutine-stats.js';
import { groupRows } from '../src/trace/goroutine-report.js';
import { niceDuration } from '../src/trace/nice-duration.js';
import { formatFixed } from '../src/units/go-format.js';

/** samples splits a -traces output into its header and its samples, sorted (Go's come in map order). */
export function samples(text: string): string[] {
  const blocks = text.split(/^-{11}\+-+\n/m);
  return [blocks[0]!, ...blocks.slice(1).filter((b) => b !== '').sort()];
}

/** PageGroup is one line of /goroutines: a link to the group's page, its name and size. */
export interface PageGroup {
  readonly pc: number;
  readonly name: string;
  readonly n: number;
}

/** groupsPage reads the groups of a /goroutines page, in the page's order. */
export function groupsPage(html: string): PageGroup[] {
  return [...html.matchAll(/<a href="\/goroutine\?id=(\d+)">([^<]*)<\/a> N=(\d+) <br>/g)].map((m) => ({
    pc: Number(m[1]),
    name: unescapeHtml(m[2]!),
    n: Number(m[3]),
  }));
}

/** PageGoroutine is one row of a /goroutine?id=PC page: the id and its printed durations. */
export interface PageGoroutine {
  readonly id: number;
  /** Total, Execution, Network wait, Sync block, Blocking syscall, Scheduler wait, GC sweeping, GC pause. */
  readonly cells: readonly string[];
}

/** groupPage reads a /goroutine?id=PC page: its summary lines and rows. */
export function groupPage(html: string): { name: string; n: number; execPercent: string; rows: PageGoroutine[] } {
  const name = /<td>Goroutine Name:<\/td><td>([^<]*)<\/td>/.exec(html)![1]!;
  const n = Number(/<td>Number of Goroutines:<\/td><td>(\d+)<\/td>/.exec(html)![1]);
  const execPercent = /<td>Execution Time:<\/td><td>([^<]*) of total program execution time <\/td>/.exec(html)![1]!;
  const rows = [...html.matchAll(/<tr>\s*<td> <a href="\/trace\?goid=(\d+)">\d+<\/a> <\/td>\s*<td> ([^<]*) <\/td>[\s\S]*?<\/div>\s*<\/td>((?:\s*<td>[^<]*<\/td>){7})/g)].map((m) => ({
    id: Number(m[1]),
    cells: [m[2]!, ...[...m[3]!.matchAll(/<td> ([^<]*?)\s*<\/td>/g)].map((c) => c[1]!.replace(/ \(\d+\.\d%\)$/, ''))],
  }));
  return { name: unescapeHtml(name), n, execPercent, rows };
}

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** printedCells is a goroutine's row as the page prints it (Go's niceDuration, truncated). */
export function printedCells(g: GoroutineStat): string[] {
  return [g.totalTime, g.execTime, g.ioTime, g.blockTime, g.syscallTime, g.schedWaitTime, g.sweepTime, g.gcTime].map(niceDuration);
}

/**
 * assertMatchesPages checks goroutine statistics against the saved pages of trace `name` in `dir`:
 * the groups, their sizes and order (Go sorts by execution time; ties come in map order, so only
 * the order of different times is checked), and each group page's percentage and rows.
 */
export function assertMatchesPages(stats: ReadonlyMap<number, GoroutineStat>, dir: string, name: string): number {
  const page = groupsPage(readFileSync(join(dir, `${name}.goroutines.html`), 'utf8'));
  const ours = groupRows(stats.values());
  assert.deepEqual(
    [...ours].map((g) => ({ pc: g.pc, name: g.name, n: g.count })).sort((a, b) => a.pc - b.pc),
    [...page].sort((a, b) => a.pc - b.pc),
    `${name}: groups`,
  );
  const exec = new Map(ours.map((g) => [g.pc, g.execTime]));
  for (let i = 1; i < page.length; i++) {
    assert.ok(exec.get(page[i - 1]!.pc)! >= exec.get(page[i]!.pc)!, `${name}: Go lists ${page[i - 1]!.name} before ${page[i]!.name}`);
  }
  const totalExec = ours.reduce((s, g) => s + g.execTime, 0);
  let checked = 0;
  const files = readdirSync(dir).filter((f) => f.startsWith(`${name}.goroutine-`) && f.endsWith('.html'));
  assert.ok(files.length > 0, `${name}: no group pages`);
  for (const f of files) {
    const pc = Number(/goroutine-(\d+)\.html$/.exec(f)![1]);
    const gp = groupPage(readFileSync(join(dir, f), 'utf8'));
    const members = [...stats.values()].filter((g) => g.pc === pc);
    assert.equal(gp.n, members.length, `${f}: number of goroutines`);
    assert.equal(gp.name, members[0]?.name ?? '', `${f}: name`);
    const groupExec = members.reduce((s, g) => s + g.execTime, 0);
    if (totalExec > 0) assert.equal(gp.execPercent, `${formatFixed((groupExec / totalExec) * 100, 2)}%`, `${f}: execution share`);
    assert.equal(gp.rows.length, members.length, `${f}: rows`);
    for (const row of gp.rows) {
      assert.deepEqual(printedCells(stats.get(row.id)!), row.cells, `${f}: goroutine ${row.id}`);
      checked++;
    }
  }
  return checked;
}

/** PageAnnotation is one row of /usertasks or /userregions: type, where, count and histogram. */
export interface PageAnnotation {
  readonly type: string;
  /** /userregions only: "fn file:line pc(hex)". */
  readonly where?: string;
  readonly count: number;
  /** Each bucket as the page prints it: its lower bound (niceDuration) and its count. */
  readonly buckets: readonly [string, number][];
}

/** annotationsPage reads a /usertasks or /userregions page. */
export function annotationsPage(html: string): PageAnnotation[] {
  const body = html.slice(html.indexOf('<table border="1"'));
  return body
    .split(/\n {2}<tr>\n/)
    .slice(1)
    .map((row) => {
      const region = /^ {4}<td>([^<]*)<br>([^<]*)<br>([^<]*)<\/td>\n {4}<td><a href="\/userregion\?type=[^&]*&pc=([0-9a-f]+)">(\d+)<\/a>/.exec(row);
      const task = /^ {4}<td>([^<]*)<\/td>\n {4}<td><a href="\/usertask\?type=[^"]*">(\d+)<\/a>/.exec(row);
      const buckets = [...row.matchAll(/<tr><td class="histoTime" align="right">(?:<a [^>]*>)?([^<]+)(?:<\/a>)?<\/td>.*?<div style="position:relative">(\d+)<\/div>/g)].map(
        (m) => [m[1]!, Number(m[2])] as [string, number],
      );
      if (region) return { type: unescapeHtml(region[1]!), where: `${region[2]} ${region[3]} ${region[4]}`, count: Number(region[5]), buckets };
      assert.ok(task, `unreadable row: ${row.slice(0, 200)}`);
      return { type: unescapeHtml(task[1]!), count: Number(task[2]), buckets };
    });
}
