// The agent's full collection (run before each CPU profile, issue 15.7) works without
// --expose-gc and leaves no gc() behind for contexts created afterwards.

import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import { fullGc } from '../src/agent/full-gc.js';

test('fullGc collects without --expose-gc and exposes nothing', async () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'this test runs without --expose-gc');
  const weak = new WeakRef({ big: new Array(1000).fill(0) });
  // A WeakRef keeps its target alive until the current job ends.
  await new Promise((r) => setImmediate(r));
  assert.equal(fullGc(), true);
  assert.equal(weak.deref(), undefined, 'an object only a WeakRef held is gone after a full collection');
  assert.equal(fullGc(), true, 'a second call reuses the collector');
  assert.equal(runInNewContext('typeof gc'), 'undefined');
});
