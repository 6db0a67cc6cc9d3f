// Profiles decoded in a worker thread arrive whole (every table, transferred) and fail as in place.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProfileError } from '../src/profile/errors.js';
import { ParsePool } from '../src/profile/parse-parallel.js';
import { parseProfile } from '../src/profile/parse.js';
import { repoRoot } from './helpers.js';

test('a worker decodes the same profile as the main thread, and reports errors the same way', async () => {
  const bytes = readFileSync(join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz'));
  const pool = new ParsePool(0, 1); // every profile to the one worker while it is free
  const [inWorker, inPlace] = await Promise.all([pool.parse(bytes, 'heap'), pool.parse(bytes, 'heap')]);
  assert.ok(inWorker.samples.locations.length > 0);
  assert.deepEqual(inWorker, parseProfile(bytes, 'heap'));
  assert.deepEqual(inPlace, inWorker);
  await assert.rejects(Promise.resolve(pool.parse(bytes.subarray(0, 100), 'cut.pb.gz')), (e: unknown) => e instanceof ProfileError && /^cut\.pb\.gz: truncated gzip data$/.test(e.message));
});
