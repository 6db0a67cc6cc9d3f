// --json prints a view's rows as data: the same numbers the text shows, for scripts and CI. The
// expected numbers are those `go tool pprof` prints for the same fixtures (fixtures/expected, or
// the command named beside them), in the profile's own unit (nanoseconds, bytes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DotView } from '../src/report/dot.js';
import type { TagsView } from '../src/report/tags.js';
import type { TracesView } from '../src/report/traces.js';
import type { TreeView } from '../src/report/tree.js';
import { repoRoot, runCli } from './helpers.js';

const profiles = join(repoRoot, 'fixtures', 'profiles');
const cpu = join(profiles, 'go-cpu.pb.gz');
const heap = join(profiles, 'go-heap.pb.gz');
const ms = 1e6;

async function json<T>(...args: string[]): Promise<T> {
  const r = await runCli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

test('tree --json: nodes with flat, cum, callers and callees', async () => {
  // go tool pprof -tree -nodecount=3 go-cpu.pb.gz
  const v = await json<TreeView>('tree', '--nodecount', '3', cpu);
  assert.deepEqual(
    v.nodes.map((n) => [n.name, n.flat, n.cum]),
    [
      ['main.mix', 770 * ms, 770 * ms],
      ['main.fib', 460 * ms, 460 * ms],
      ['main.hashLoop', 270 * ms, 1040 * ms],
    ],
  );
  assert.deepEqual(v.nodes[0]!.callers, [{ name: 'main.hashLoop', weight: 770 * ms, weightText: '770ms', percent: 100, inline: true }]);
  assert.deepEqual(
    v.nodes[2]!.callees.map((e) => [e.name, e.weight, e.inline]),
    [['main.mix', 770 * ms, true]],
  );
  assert.equal(v.total, 1500 * ms);
  assert.equal(v.unit, 'ms');
  assert.ok(v.labels.includes('Showing top 3 nodes out of 8'));
});

test('peek --json: only the matching nodes, with all their edges', async () => {
  // fixtures/expected/go-cpu.peek=main.fib
  const v = await json<TreeView>('peek', 'main\\.fib', cpu);
  assert.deepEqual(
    v.nodes.map((n) => [n.name, n.callers.map((e) => [e.name, e.weight]), n.callees.length]),
    [['main.fib', [['main.work', 460 * ms]], 0]],
  );
});

test('traces --json: every sample with its labels, value and frames', async () => {
  // go tool pprof -traces go-heap.pb.gz: the second trace is "bytes: 48B", 48B, main.allocateBigger …
  const v = await json<TracesView>('traces', heap);
  const second = v.traces[1]!;
  assert.equal(second.value, 48);
  assert.equal(second.valueText, '48B');
  assert.deepEqual(second.labels, {});
  assert.deepEqual(second.numLabels, { bytes: ['48B'] });
  assert.deepEqual(
    second.frames.map((f) => [f.name, f.inline]),
    [
      ['main.allocateBigger', false],
      ['main.allocateBig', false],
      ['main.main.func1', false],
      ['proflens/fixtures/internal/serve.Main', false],
      ['main.main', false],
      ['runtime.main', false],
    ],
  );
  // inuse_space of every sample (go tool pprof -raw), 57.24MB.
  assert.equal(
    v.traces.reduce((s, t) => s + t.value, 0),
    60016104,
  );
});

test('tags --json: keys with totals and values, largest first', async () => {
  // go tool pprof -tags go-heap.pb.gz: "bytes: Total 57.2MB", then 24MB, 1kB (19.5MB), 12MB, 1.40MB, 16B (311.7kB)
  const v = await json<TagsView>('tags', heap);
  assert.equal(v.profileTotal, 60016104);
  assert.deepEqual(
    v.keys.map((k) => [k.key, k.total]),
    [['bytes', 60016104]],
  );
  assert.deepEqual(
    v.keys[0]!.values.slice(0, 5).map((x) => [x.name, x.value]),
    [
      ['24MB', 25165824],
      ['1kB', 20480000],
      ['12MB', 12582912],
      ['1.40MB', 1466368],
      ['16B', 319184],
    ],
  );
});

test('dot --json: nodes with ids the edges and nodelets refer to', async () => {
  // go tool pprof -dot -nodefraction=0.05 -edgefraction=0.01 go-cpu.pb.gz
  const v = await json<DotView>('dot', '--nodefraction', '0.05', '--edgefraction', '0.01', cpu);
  assert.equal(v.title, 'cpu');
  assert.deepEqual(
    v.nodes.map((n) => [n.id, n.name, n.flat, n.cum]),
    [
      [1, 'main.mix', 770 * ms, 770 * ms],
      [2, 'runtime.main', 0, 1500 * ms],
      [3, 'main.work', 0, 1500 * ms],
      [4, 'main.hashLoop', 270 * ms, 1040 * ms],
      [5, 'main.fib', 460 * ms, 460 * ms],
      [6, 'main.main', 0, 1500 * ms],
      [7, 'main.main.func1', 0, 1500 * ms],
      [8, 'proflens/fixtures/internal/serve.Main', 0, 1500 * ms],
    ],
  );
  const names = new Map(v.nodes.map((n) => [n.id, n.name]));
  assert.deepEqual(
    v.edges.map((e) => `${names.get(e.from)} -> ${names.get(e.to)} ${e.weight / ms}ms${e.inline ? ' inline' : ''}`),
    [
      'main.main -> proflens/fixtures/internal/serve.Main 1500ms',
      'main.main.func1 -> main.work 1500ms',
      'proflens/fixtures/internal/serve.Main -> main.main.func1 1500ms',
      'runtime.main -> main.main 1500ms',
      'main.work -> main.hashLoop 1040ms inline',
      'main.hashLoop -> main.mix 770ms inline',
      'main.work -> main.fib 460ms',
    ],
  );
  // go tool pprof -dot go-heap.pb.gz: NN5_0 "1kB" 19.53MB, NN5_1 "1.40MB", NN5_2 "16B" 0.30MB under N5 (main.fillCache).
  const h = await json<DotView>('dot', heap);
  const fill = h.nodes.find((n) => n.name === 'main.fillCache')!;
  assert.equal(fill.id, 5);
  assert.deepEqual(
    fill.nodelets.map((t) => [t.id, t.parent, t.label, t.value]),
    [
      ['NN5_0', 'N5', '1kB', 20480000],
      ['NN5_1', 'N5', '1.40MB', 1466368],
      ['NN5_2', 'N5', '16B', 319168],
    ],
  );
});
