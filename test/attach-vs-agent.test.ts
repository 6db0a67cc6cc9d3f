// The same workload profiled two ways (issue 20, ground truth): the demo service, which mounts the
// agent, profiled over HTTP by the agent and by attach through its inspector. Both must put the
// same function first among the program's own (V8's pseudo-frames and GC aside): countPrimes.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

let child: ChildProcess | undefined;
after(() => child?.kill('SIGKILL'));

/** firstFunction is the first row of a top report that names a function of the program. */
function firstFunction(top: string): string | undefined {
  for (const m of top.matchAll(/^ *\S+ +\S+% +\S+% +\S+ +\S+% +(.+)$/gm)) {
    const name = m[1]!;
    if (!name.startsWith('(') && name !== 'Garbage Collection') return name;
  }
  return undefined;
}

test('the demo service: the agent and attach find the same hottest function', async () => {
  // --inspect-port=0: a free port for the inspector, so this file runs beside the other attach tests.
  child = spawn(process.execPath, ['--inspect-port=0', join(repoRoot, 'demo', 'service.mjs'), '--port', '0'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const url = /listening on (\S+)/.exec(line.toString())![1]!;
  const env = { ...process.env, PPROF_TMPDIR: scratchDir('attach-vs-agent') };

  const viaAgent = await runCli(['top', `${url}/debug/pprof/profile`, '--seconds', '2'], undefined, { env });
  assert.equal(viaAgent.code, 0, viaAgent.stderr);
  const viaAttach = await runCli(['top', '--pid', String(child.pid), '--seconds', '2'], undefined, { env });
  assert.equal(viaAttach.code, 0, viaAttach.stderr);
  assert.equal(firstFunction(viaAgent.stdout), 'countPrimes', viaAgent.stdout);
  assert.equal(firstFunction(viaAttach.stdout), 'countPrimes', viaAttach.stdout);
});
