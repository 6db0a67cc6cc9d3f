// The fuzz test's worker thread: runs each mutant through the real command line in-process
// (`proflens top FILE`, one in six through tree, traces or raw) and says how each run ended. It reports before each mutant, so that the
// test, watching from the main thread, can name the one that hangs.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { main } from '../cli/main.js';
import { mutants } from './fuzz-mutants.js';

/** FuzzJob is what the test asks of the worker. */
export interface FuzzJob {
  readonly fixtures: string;
  readonly scratch: string;
  readonly count: number;
  readonly seed: number;
}

/** FuzzMessage is what the worker reports: a mutant started, a run that ended badly, the end. */
export type FuzzMessage = { readonly started: string } | { readonly problem: string } | { readonly done: number; readonly reports: number };

const job = workerData as FuzzJob;
const views = ['top', 'top', 'top', 'tree', 'traces', 'raw'];
const post = (m: FuzzMessage): void => parentPort!.postMessage(m);
let reports = 0;
const all = mutants(job.fixtures, job.count, job.seed);
for (const [i, m] of all.entries()) {
  post({ started: `${views[i % views.length]} of ${m.name}` });
  const file = join(job.scratch, `mutant-${i}.pb`);
  writeFileSync(file, m.bytes);
  let stdout = '';
  let stderr = '';
  const code = await main([views[i % views.length]!, file], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { PPROF_TMPDIR: job.scratch } });
  // A report, or one line naming the file and saying what is wrong with it.
  if (code === 0 && stdout !== '') reports++;
  else if (code !== 1 || !stderr.startsWith(`proflens: ${file}: `) || !stderr.endsWith('\n') || stderr.indexOf('\n') !== stderr.length - 1 || /internal error/.test(stderr)) {
    post({ problem: `${m.name}: exit ${code}, ${JSON.stringify(stderr.slice(0, 300))}` });
  }
}
post({ done: all.length, reports });
