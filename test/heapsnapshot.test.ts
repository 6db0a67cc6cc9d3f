// The heap snapshot reader and analyses on small snapshots written here, whose dominators,
// retained sizes and distances are worked out by hand (issue 20): the meta's field order is the
// file's to choose, a weak edge retains nothing, a shared object belongs to neither sharer, and
// the reader gives the same result whatever the chunk size.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareSnapshots } from '../src/v8/heapsnapshot-compare.js';
import { readHeapSnapshot } from '../src/v8/heapsnapshot-read.js';
import { analyseSnapshot, summarize } from '../src/v8/heapsnapshot-summary.js';
import { scratchDir } from './helpers.js';

/** TinyNode is one node of a hand-written snapshot; edges name their target by its position in the list. */
interface TinyNode {
  type: string;
  name: string;
  id: number;
  size: number;
  edges?: [type: string, name: string | number, to: number][];
}

const nodeTypes = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
const edgeTypes = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
/** An unusual field order, so that a reader assuming V8's order gets every number wrong. */
const nodeFields = ['edge_count', 'id', 'self_size', 'name', 'type'];
const edgeFields = ['to_node', 'type', 'name_or_index'];

/** tinySnapshot writes the nodes as a .heapsnapshot in V8's format (fields in the order above); `locations`: [node, script, line, column]. */
function tinySnapshot(nodes: TinyNode[], extra = '', locations: [number, number, number, number][] = []): string {
  const strings: string[] = [''];
  const str = (s: string) => {
    const i = strings.indexOf(s);
    return i >= 0 ? i : strings.push(s) - 1;
  };
  const n: number[] = [];
  const e: number[] = [];
  for (const node of nodes) {
    const fields: Record<string, number> = { edge_count: node.edges?.length ?? 0, id: node.id, self_size: node.size, name: str(node.name), type: nodeTypes.indexOf(node.type) };
    n.push(...nodeFields.map((f) => fields[f]!));
    for (const [type, name, to] of node.edges ?? []) {
      const ef: Record<string, number> = { to_node: to * nodeFields.length, type: edgeTypes.indexOf(type), name_or_index: typeof name === 'number' ? name : str(name) };
      e.push(...edgeFields.map((f) => ef[f]!));
    }
  }
  const meta = {
    node_fields: nodeFields, node_types: [...nodeFields.map((f) => (f === 'type' ? nodeTypes : 'number'))],
    edge_fields: edgeFields, edge_types: edgeFields.map((f) => (f === 'type' ? edgeTypes : 'number')),
    location_fields: ['script_id', 'object_index', 'column', 'line'],
  };
  const loc = locations.flatMap(([node, script, line, column]) => [script, node * nodeFields.length, column, line]);
  // V8's layout: the header first, one record per line, escapes in strings as JSON writes them.
  return `{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":${nodes.length},"edge_count":${e.length / 3}},\n"nodes":[${n.join(',')}],\n"edges":[${e.join(',')}],${extra}\n"locations":[${loc.join(',')}],\n"strings":[${strings.map((s) => JSON.stringify(s)).join(',\n')}]}\n`;
}

// root ─shortcut→ global ─.a→ A:Foo(100) ─.x→ C:Bar(7)
//                        ─.b→ B:Foo(50)  ─.y→ C
//                                        ─.d→ D:Baz(3) ←weak─ A
// C has two retainers, so only global dominates it; D's other retainer is weak, so B dominates it.
const graph: TinyNode[] = [
  { type: 'synthetic', name: '', id: 1, size: 0, edges: [['shortcut', 'global', 1]] },
  { type: 'object', name: 'global', id: 3, size: 10, edges: [['property', 'a', 2], ['property', 'b', 3]] },
  { type: 'object', name: 'Foo', id: 5, size: 100, edges: [['property', 'x', 4], ['weak', 'w', 5]] },
  { type: 'object', name: 'Foo', id: 7, size: 50, edges: [['property', 'y', 4], ['property', 'd', 5]] },
  { type: 'object', name: 'Bar', id: 9, size: 7 },
  { type: 'object', name: 'Baz', id: 11, size: 3 },
];

function write(name: string, text: string): string {
  const p = join(scratchDir('heapsnapshot'), name);
  writeFileSync(p, text);
  return p;
}

test('retained sizes by hand: a weak edge retains nothing, a shared object stays with their dominator', () => {
  const s = analyseSnapshot(readHeapSnapshot(write('tiny.heapsnapshot', tinySnapshot(graph))));
  assert.deepEqual([...s.retention.retainedSizes], [170, 170, 100, 53, 7, 3]);
  assert.deepEqual([...s.retention.dominators], [0, 0, 1, 1, 1, 3]);
  assert.deepEqual([...s.retention.distances], [-5, 1, 2, 2, 3, 3].map((d, i) => (i === 0 ? 100000000 : d)));
  const sum = summarize(s);
  assert.equal(sum.totalSize, 170);
  assert.deepEqual(
    sum.rows.map((r) => [r.name, r.count, r.shallowSize, r.retainedSize, r.distance]),
    [['global', 1, 10, 170, 1], ['Foo', 2, 150, 153, 2], ['Bar', 1, 7, 7, 3], ['Baz', 1, 3, 3, 3]],
  );
});

test('a class retains each object once: one Foo inside another counts only in the outer one', () => {
  // global → Foo(20) → Foo(5): the class retains 25, not 30.
  const nested: TinyNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0, edges: [['shortcut', 'global', 1]] },
    { type: 'object', name: 'global', id: 3, size: 1, edges: [['property', 'outer', 2]] },
    { type: 'object', name: 'Foo', id: 5, size: 20, edges: [['property', 'inner', 3]] },
    { type: 'object', name: 'Foo', id: 7, size: 5 },
  ];
  const rows = summarize(analyseSnapshot(readHeapSnapshot(write('nested.heapsnapshot', tinySnapshot(nested))))).rows;
  assert.deepEqual(rows.find((r) => r.name === 'Foo'), { name: 'Foo', count: 2, shallowSize: 25, retainedSize: 25, distance: 2 });
});

test('the comparison matches objects by id: new, deleted and moved between classes', () => {
  const before = write('before.heapsnapshot', tinySnapshot(graph));
  // Baz (id 11) gone; a new Foo (id 13) held by global; Bar's id kept.
  const after: TinyNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0, edges: [['shortcut', 'global', 1]] },
    { type: 'object', name: 'global', id: 3, size: 10, edges: [['property', 'a', 2], ['property', 'b', 3], ['property', 'c', 5]] },
    { type: 'object', name: 'Foo', id: 5, size: 100, edges: [['property', 'x', 4]] },
    { type: 'object', name: 'Foo', id: 7, size: 50, edges: [['property', 'y', 4]] },
    { type: 'object', name: 'Bar', id: 9, size: 7 },
    { type: 'object', name: 'Foo', id: 13, size: 30 },
  ];
  const c = compareSnapshots(analyseSnapshot(readHeapSnapshot(before)), analyseSnapshot(readHeapSnapshot(write('after.heapsnapshot', tinySnapshot(after)))));
  assert.deepEqual(
    c.rows.map((r) => [r.name, r.newCount, r.deletedCount, r.sizeDelta]),
    [['Foo', 1, 0, 30], ['Baz', 0, 1, -3]],
  );
  assert.deepEqual(c.newObjects.map((o) => o.path.map((s) => `${s.node}${s.edge}`)), [['global.c', 'Foo']]);
});

test('the reader: any chunk size, strings with escapes across chunk ends, skipped sections', () => {
  const named: TinyNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0, edges: [['shortcut', 'global', 1]] },
    { type: 'object', name: 'quote " back \\ é 中 \n', id: 3, size: 10 },
  ];
  // Sections proflens does not use, with brackets and quotes inside strings, are passed over.
  const extra = `"trace_tree":[1,[2,[]]],"samples":[],"other":{"a":"]}\\"[{"},`;
  const file = write('named.heapsnapshot', tinySnapshot(named, extra));
  const whole = readHeapSnapshot(file);
  assert.equal(whole.strings[whole.nodes.name[1]!], 'quote " back \\ é 中 \n');
  for (const chunkSize of [1, 2, 3, 7, 64]) {
    const r = readHeapSnapshot(file, { chunkSize });
    assert.deepEqual(r.strings, whole.strings, `chunk ${chunkSize}`);
    assert.deepEqual([...r.nodes.selfSize], [0, 10]);
    assert.deepEqual([...r.edges.toNode], [1]);
  }
});

test('bad snapshots: one ProfileError line naming the file and what is wrong', () => {
  const good = tinySnapshot(graph);
  const cases: [string, string, RegExp][] = [
    ['truncated', good.slice(0, good.indexOf('"edges"') + 20), /: truncated V8 heap snapshot \(the file ends inside "edges"\)$/],
    ['empty', '', /: not a V8 heap snapshot: the file is empty$/],
    ['text', 'hello, world\n', /: not a V8 heap snapshot: it does not start with '\{'$/],
    ['no self_size', good.replace('"self_size"', '"size"'), /"snapshot\.meta\.node_fields" has no "self_size"$/],
    ['edge out of range', good.replace('"edges":[5,', '"edges":[500,'), /edge 0 points to 500, which is not a node$/],
    ['edge count', good.replace('"nodes":[1,', '"nodes":[2,'), /edge counts add up to 8 edges but "edges" holds 7$/],
    ['negative', good.replace('"nodes":[1,', '"nodes":[-1,'), /'-' at byte \d+ where a non-negative integer was expected \(in "nodes"\)$/],
    ['not whole records', good.replace('"nodes":[1,', '"nodes":[1,1,'), /"nodes" holds 31 numbers, not a multiple of its 5 fields$/],
    ['trailing data', good + 'x', /data after the end of the snapshot/],
  ];
  for (const [what, text, want] of cases) {
    const file = write(`${what.replace(/ /g, '-')}.heapsnapshot`, text);
    assert.throws(() => readHeapSnapshot(file), (e: Error) => {
      assert.equal(e.name, 'ProfileError', what);
      assert.ok(e.message.startsWith(file + ': '), `${what}: ${e.message}`);
      assert.match(e.message, want, what);
      assert.ok(!e.message.includes('\n'), what);
      return true;
    });
  }
});

test('classes as DevTools names them: plain objects by common property sets, constructors apart by place', () => {
  // Plain objects: two with a and b, in that order (an interface: at least two objects start so),
  // one with c, b and a (it has the interface's properties: it joins it), one with a alone (it
  // does not: Object); two Foo constructors
  // defined in two places (script 7 lines 3 and 9), one Foo without a known place.
  const obj = (id: number, props: string[]): TinyNode => ({ type: 'object', name: 'Object', id, size: 10, edges: props.map((p): [string, string, number] => ['property', p, 1]) });
  const nodes: TinyNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0, edges: [2, 3, 4, 5, 6, 7, 8, 9].map((to): [string, string, number] => ['shortcut', `g${to}`, to]) },
    { type: 'string', name: 'v', id: 3, size: 4 },
    obj(5, ['a', 'b']), obj(7, ['a', 'b']), obj(9, ['c', 'b', 'a']), obj(11, ['a']),
    { type: 'object', name: 'Foo', id: 13, size: 8 },
    { type: 'object', name: 'Foo', id: 15, size: 8 },
    { type: 'object', name: 'Foo', id: 17, size: 8 },
    { type: 'closure', name: 'handler', id: 19, size: 32 },
  ];
  const file = write('classes.heapsnapshot', tinySnapshot(nodes, '', [[6, 7, 3, 0], [7, 7, 9, 2], [9, 7, 20, 0]]));
  const rows = summarize(analyseSnapshot(readHeapSnapshot(file))).rows;
  const got = rows.map((r) => [r.name, r.count, r.location ? `${r.location.scriptId}:${r.location.line}:${r.location.column}` : '']).sort();
  assert.deepEqual(got, [
    ['(string)', 1, ''],
    ['Foo', 1, ''],
    ['Foo', 1, '7:3:0'],
    ['Foo', 1, '7:9:2'],
    // A closure has a place too, but closures are not kept apart by it (one row each otherwise).
    ['Function', 1, ''],
    ['Object', 1, ''],
    ['{a, b}', 3, ''],
  ]);
});
