// --json prints a view's rows as data: the same numbers the text shows (checked against pprof's
// own golden outputs by the peer cases), for scripts and CI.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DotView } from '../src/report/dot.js';
import type { TagsView } from '../src/report/tags.js';
import type { TracesView } from '../src/report/traces.js';
import type { TreeView } from '../src/report/tree.js';
import { runCli, sharedDir } from './helpers.js';

const profiles = join(sharedDir, 'peer-pprof', 'profiles');
const cpu = join(profiles, 'cpu.pb.gz');

async function json<T>(...args: string[]): Promise<T> {
  const r = await runCli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

test('tree --json: nodes with flat, cum, callers and callees', async () => {
  const v = await json<TreeView>('tree', '--nodecount', '3', cpu);
  assert.deepEqual(
    v.nodes.map((n) => [n.name, n.flat, n.cum]),
    [
      ['line1000', 1100, 1100],
      ['line2001', 10, 1010],
      ['line3002', 10, 1020],
    ],
  );
  const n = v.nodes[1]!;
  assert.deepEqual(n.callers, [{ name: 'line3002', weight: 1010, weightText: '1.01s', percent: 100, inline: true }]);
  assert.deepEqual(
    n.callees.map((e) => [e.name, e.weight, e.inline]),
    [['line1000', 1000, false]],
  );
  assert.equal(v.total, 1120);
  assert.equal(v.unit, 's');
  assert.ok(v.labels.includes('Showing top 3 nodes out of 6'));
});

test('peek --json: only the matching nodes, with all their edges', async () => {
  const v = await json<TreeView>('peek', 'line2001', cpu);
  assert.equal(v.nodes.length, 1);
  const n = v.nodes[0]!;
  assert.equal(n.name, 'line2001');
  assert.deepEqual(
    n.callers.map((e) => [e.name, e.weight]),
    [['line2000', 1010]],
  );
  assert.deepEqual(
    n.callees.map((e) => [e.name, e.weight]),
    [['line1000', 1000]],
  );
});

test('traces --json: every sample with its labels, value and frames', async () => {
  const v = await json<TracesView>('traces', cpu);
  const first = v.traces[0]!;
  assert.equal(first.value, 1000);
  assert.equal(first.valueText, '1s');
  assert.deepEqual(first.labels, { key1: ['tag1'], key2: ['tag1'] });
  assert.deepEqual(
    first.frames.map((f) => [f.name, f.inline]),
    [
      ['line1000', false],
      ['line2001', true],
      ['line2000', false],
      ['line3002', true],
      ['line3001', true],
      ['line3000', false],
    ],
  );
  assert.equal(
    v.traces.reduce((s, t) => s + t.value, 0),
    1120,
  );
});

test('tags --json: keys with totals and values, largest first', async () => {
  const v = await json<TagsView>('tags', join(profiles, 'heap_tags.pb.gz'));
  assert.equal(v.profileTotal, 103424000);
  assert.deepEqual(
    v.keys.map((k) => [k.key, k.total]),
    [
      ['bytes', 103424000],
      ['key1', 66560000],
      ['request', 66560000],
    ],
  );
  assert.deepEqual(
    v.keys[0]!.values.map((x) => [x.name, x.value]),
    [
      ['1.56MB', 65536000],
      ['400kB', 32768000],
      ['200kB', 4096000],
      ['100kB', 1024000],
    ],
  );
});

test('dot --json: nodes with ids the edges and nodelets refer to', async () => {
  const v = await json<DotView>('dot', '--nodefraction', '0.05', '--edgefraction', '0.01', cpu);
  assert.equal(v.title, 'testbinary');
  assert.deepEqual(
    v.nodes.map((n) => [n.id, n.name, n.flat, n.cum]),
    [
      [1, 'line1000', 1100, 1100],
      [2, 'line3000', 0, 1120],
      [3, 'line3001', 0, 1110],
      [4, 'line3002', 10, 1020],
      [5, 'line2001', 10, 1010],
      [6, 'line2000', 0, 1010],
    ],
  );
  assert.deepEqual(
    v.nodes[0]!.nodelets.map((t) => [t.id, t.parent, t.label, t.value]),
    [
      ['N1_0', 'N1', 'key1:tag1\\nkey2:tag1', 1000],
      ['N1_1', 'N1', 'key1:tag2\\nkey3:tag2', 100],
    ],
  );
  const names = new Map(v.nodes.map((n) => [n.id, n.name]));
  assert.deepEqual(
    v.edges.map((e) => `${names.get(e.from)} -> ${names.get(e.to)} ${e.weight}${e.inline ? ' inline' : ''}`),
    [
      'line3000 -> line3001 1110 inline',
      'line2000 -> line2001 1010 inline',
      'line3001 -> line3002 1010 inline',
      'line3002 -> line2000 1010',
      'line2001 -> line1000 1000',
      'line3001 -> line1000 100',
    ],
  );
});
