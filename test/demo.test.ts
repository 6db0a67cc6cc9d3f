// The README's main command, end to end: the demo runs the real proflens against the real demo
// service and shows the CPU burners, the leak's growth and the vars.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers.js';

test('npm run demo: top of a CPU profile, the leak in the heap diff, vars', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'demo', 'run.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  const store = /profiles are saved in (\S+)/.exec(out)?.[1];
  if (store) rmSync(store, { recursive: true, force: true });
  assert.match(out, /\$ proflens top --seconds 3 .*\/debug\/pprof\/profile\n/);
  assert.match(out, /^ +[\d.]+m?s +[\d.]+% .* countPrimes$/m);
  const leak = /^ +\S+ +\S+ +\+(\S+) +\S+  leakSessions$/m.exec(out);
  assert.ok(leak, `the heap diff shows leakSessions growing:\n${out}`);
  assert.match(out, /^memstats\.HeapAlloc +[\d.]+[kMG]?B$/m);
  assert.match(out, /To see the CPU flame graph in your browser: .* web \S+\.pb\.gz\n$/);
});
