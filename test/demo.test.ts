// The README's main command, end to end: the demo runs the real proflens against the real demo
// service and shows the CPU burners, the leak's growth and the vars.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers.js';

test('npm run demo: top of a CPU profile, the leak in the heap diff, vars, a trace summary', { timeout: 240_000 }, () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'demo', 'run.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 200_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  const store = /profiles are saved in (\S+)/.exec(out)?.[1];
  if (store) rmSync(store, { recursive: true, force: true });
  assert.match(out, /\$ proflens top --seconds 3 .*\/debug\/pprof\/profile\n/);
  assert.match(out, /^ +[\d.]+m?s +[\d.]+% .* countPrimes$/m);
  // The README: the diff "puts leakSessions first", and by a clear margin over what comes next
  // (the CPU work's short-lived garbage, counted as live until V8 collects it).
  const rows = /^ +base +new +delta +delta%\n((?: +\S+ +\S+ +[-+]\S+ +\S+  .*\n)+)/m.exec(out)?.[1]?.trimEnd().split('\n');
  assert.ok(rows, `the heap diff has rows:\n${out}`);
  const [first, ...others] = rows.map((l) => /^ +\S+ +\S+ +([-+][\d.]+)([kMG]?)B +\S+  (.*)$/.exec(l)!);
  assert.equal(first?.[3], 'leakSessions', `leakSessions grows most:\n${out}`);
  const bytes = (m: RegExpExecArray): number => Math.abs(Number(m[1])) * 1024 ** ' kMG'.indexOf(m[2] || ' ');
  // About 4 MB/s (the README) for the four seconds between the snapshots: at least half of that.
  assert.ok(bytes(first!) >= 8 * 1024 ** 2, `leakSessions grows by 8MB or more:\n${out}`);
  for (const o of others) assert.ok(bytes(first!) >= 2 * bytes(o), `leakSessions changes at least twice as much as ${o[3]}:\n${out}`);
  assert.match(out, /^memstats\.HeapAlloc +[\d.]+[kMG]?B$/m);
  // A Go service traced live (or, without Go, the fixture trace): its summary, and where to see its timeline.
  assert.match(out, /\$ proflens trace summary /);
  assert.match(out, /^Go 1\.\d+ execution trace, [\d,]+ events/m);
  assert.match(out, /To see the trace's timeline in your browser: .* trace \S+\n/);
  assert.match(out, /To see the CPU flame graph in your browser: .* web \S+\.pb\.gz\n$/);
});
