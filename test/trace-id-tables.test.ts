// The id-keyed tables the trace reader's passes use instead of Maps: an array for ids near the
// ones already held, a Map for the rest, and the two must agree wherever an id went first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NumberTable, ObjectTable } from '../src/trace/old/id-tables.js';

test('NumberTable: unset ids read 0, whatever their size', () => {
  const t = new NumberTable();
  for (const id of [0, 5, 5000, 1_000_003, 2 ** 40, -1]) assert.equal(t.get(id), 0);
  t.set(5, 7);
  t.set(5000, 8); // past the first array: grows it
  t.set(2 ** 40, 9); // too large for the array
  t.set(-1, 10); // the GC's key in ordering
  assert.deepEqual([t.get(5), t.get(5000), t.get(2 ** 40), t.get(-1), t.get(6)], [7, 8, 9, 10, 0]);
});

test('ObjectTable: an id kept in the Map is still found after the array grows past it', () => {
  const t = new ObjectTable<{ v: number }>();
  const special = { v: 1 };
  t.set(1_000_004, special); // a special P: far past the array, into the Map
  assert.equal(t.get(1_000_004), special);
  assert.equal(t.has(3), false);
  // Fill the array up to and past that id, as a trace with a million goroutines would.
  for (let id = 0; id <= 1_000_010; id += 60_000) t.set(id, { v: id });
  for (let id = 999_999; id <= 1_000_010; id++) if (id !== 1_000_004) t.set(id, { v: id });
  assert.equal(t.get(1_000_004), special);
  assert.equal(t.get(1_000_005)?.v, 1_000_005);
  assert.equal(t.get(1_000_003)?.v, 1_000_003);
  assert.equal(t.has(1), false);
  // A later set of that id writes the array, and wins from then on.
  const next = { v: 2 };
  t.set(1_000_004, next);
  assert.equal(t.get(1_000_004), next);
  assert.equal(t.get(2 ** 60), undefined);
});
