// The lighter install (issue 21): the command line depends on nothing native, so `npm i -g
// proflens` builds nothing and stays small; @datadog/pprof, which only the agent uses, is an
// optional peer, and the agent says in one line when it is missing.

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, scratchDir } from './helpers.js';

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  hasInstallScript?: boolean;
}
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/** installed are the folders `npm i proflens` installs: every locked package but the dev ones. */
const installed = Object.entries(lock.packages).filter(([path, e]) => path !== '' && !e.dev);

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += folderBytes(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

test('the installed dependencies hold no native code and no install script, and weigh under 10 MB', () => {
  assert.equal(pkg.dependencies['@datadog/pprof'], undefined, '@datadog/pprof is the agent\'s, not a dependency of the CLI');
  assert.ok(pkg.peerDependencies?.['@datadog/pprof'] && pkg.peerDependenciesMeta?.['@datadog/pprof']?.optional, 'an optional peer');
  assert.ok(installed.length > 0);
  let bytes = 0;
  for (const [path, e] of installed) {
    assert.ok(!e.hasInstallScript, `${path} runs an install script`);
    const dir = join(repoRoot, path);
    if (!existsSync(dir)) continue; // an optional package this platform did not get
    for (const native of ['binding.gyp', 'prebuilds', 'build/Release']) assert.ok(!existsSync(join(dir, native)), `${path} holds ${native}`);
    bytes += folderBytes(dir);
  }
  // 24 MB with @datadog/pprof (15 MB of native builds for every platform), 9 MB without.
  assert.ok(bytes < 10 * 2 ** 20, `${(bytes / 2 ** 20).toFixed(1)} MB of dependencies`);
});

test('proflens/agent without @datadog/pprof: importing works, creating an agent is one clear error', () => {
  // A copy of the library beside node_modules holding the installed dependencies only: Node
  // resolves from the real path of a file, so the copy cannot see the repository's node_modules.
  const dir = scratchDir('no-datadog');
  cpSync(join(repoRoot, 'dist', 'src'), join(dir, 'dist', 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'proflens', type: 'module' }));
  for (const [path] of installed) {
    if (path.split('node_modules/').length !== 2 || !existsSync(join(repoRoot, path))) continue; // top-level ones
    mkdirSync(join(dir, path, '..'), { recursive: true });
    symlinkSync(join(repoRoot, path), join(dir, path));
  }
  const script = `
    const m = await import(${JSON.stringify(join(dir, 'dist', 'src', 'agent', 'index.js'))});
    for (const make of [() => m.createAgent(), () => m.listen({ port: 0 })]) {
      try { await make(); console.log('created'); } catch (e) { console.log(e.name + ': ' + e.message + ' | ' + (e instanceof m.MissingProfiler)); }
    }
    process.exit(0); // an agent that was created anyway keeps timers and a server open`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  const line = 'MissingProfiler: proflens/agent needs @datadog/pprof, which is not installed: npm install @datadog/pprof@^5.20.0 | true';
  assert.equal(r.stdout, `${line}\n${line}\n`);
});
