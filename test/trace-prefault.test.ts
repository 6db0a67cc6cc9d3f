// The page toucher (src/trace/prefault.ts) writes to the pages of the reader's columns from a
// second thread while the reader fills them (issue 16, speed). It must never change what is read:
// the same events with it as without, also when the reader replaces a column halfway (a goroutine
// id past 2^32−1 widens the goroutine column) and the toucher is stopped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readRawEvents, type RawEvents } from '../src/trace/old/wire.js';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';
import { goroutinePerIdTrace } from './trace-writer.js';

const columns = ['type', 'ticks', 'p', 'g', 'off', 'args', 'stackId'] as const;

function assertSameEvents(a: RawEvents, b: RawEvents): void {
  assert.equal(a.length, b.length);
  for (const c of columns) assert.deepEqual(Array.from(a[c]), Array.from(b[c]), `column ${c}`);
  assert.deepEqual([...a.wideArgs], [...b.wideArgs]);
}

test('a real trace reads the same with the page toucher as without, into shared memory', () => {
  const buf = readFileSync(join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace'));
  const plain = readRawEvents(buf, 1019, false).events;
  const touched = readRawEvents(buf, 1019, true).events;
  assert.ok(touched.ticks.buffer instanceof SharedArrayBuffer, 'the toucher ran on shared columns');
  assert.ok(!(plain.ticks.buffer instanceof SharedArrayBuffer));
  assertSameEvents(plain, touched);
});

test('the toucher stops when a column is widened halfway, and nothing read changes', () => {
  // 20,000 goroutines (60,000 events, past several of the reader's progress marks), one of them
  // with an id past 2^32−1 in the middle.
  const ids = Array.from({ length: 20_000 }, (_, k) => (k === 10_000 ? 2 ** 32 + 5 : k + 2));
  const buf = goroutinePerIdTrace(ids);
  const plain = readRawEvents(buf, 1019, false).events;
  const touched = readRawEvents(buf, 1019, true).events;
  assert.ok(touched.g instanceof Float64Array, 'the goroutine column was widened');
  assert.equal(touched.g[3 * 10_000 + 2], 2 ** 32 + 5);
  assertSameEvents(plain, touched);
});
