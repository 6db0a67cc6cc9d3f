// Fuzzing the parse and top path (issue 15.11): a few hundred deterministic mutants of the fixture
// profiles, each run through the command line in a worker thread. Every run must end in a report
// or in one line naming the file (exit 1): never an internal error, never a hang.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { FuzzJob, FuzzMessage } from './fuzz-worker.js';
import { repoRoot, scratchDir } from './helpers.js';

/** How long one mutant may take before it counts as a hang (they take milliseconds). */
const hangMs = 10_000;

test('mutated profiles end in a report or a one-line error naming the file', { timeout: 120_000 }, async () => {
  const job: FuzzJob = { fixtures: join(repoRoot, 'fixtures', 'profiles'), scratch: scratchDir('fuzz'), count: 600, seed: 20261213 };
  const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData: job });
  const problems: string[] = [];
  let current = '(starting)';
  const end = await new Promise<{ done: number; reports: number }>((resolve, reject) => {
    let watchdog = setTimeout(() => reject(new Error(`hung on ${current}`)), hangMs);
    worker.on('message', (m: FuzzMessage) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => reject(new Error(`no answer after ${hangMs / 1000} s on ${current}`)), hangMs);
      if ('started' in m) current = m.started;
      else if ('problem' in m) problems.push(m.problem);
      else {
        clearTimeout(watchdog);
        resolve(m);
      }
    });
    worker.on('error', (e) => {
      clearTimeout(watchdog);
      reject(new Error(`${current}: ${e.message}`));
    });
  }).finally(() => void worker.terminate());
  assert.equal(end.done, job.count);
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} of ${job.count} mutants ended badly`);
  // The mutants are not all refused: many damage only values or names, and still make a report.
  assert.ok(end.reports > 0, 'no mutant made a report');
});
