// `npm i -g ./proflens-*.tgz` into a temporary prefix, then `proflens top` (issue 21, lighter
// install): the real install path of a user, offline from npm's cache. It installs no native
// code and builds nothing. Skipped, with the reason, when the cache cannot serve the packages.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, scratchDir } from './helpers.js';

/** filesUnder lists every file below dir (the install is a few hundred files). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('npm i -g of the packed tarball, offline, runs proflens top with nothing native installed', { timeout: 180_000 }, (t) => {
  const dir = scratchDir('install');
  // dist/ is built before the tests run: pack it as it is (prepack would build again).
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const tgz = join(dir, pack.stdout.trim().split('\n').at(-1)!);
  const prefix = join(dir, 'prefix');
  const env = { ...process.env, npm_config_update_notifier: 'false' };
  const install = spawnSync('npm', ['i', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tgz], { encoding: 'utf8', env });
  if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) return t.skip("npm's cache cannot install proflens's dependencies offline");
  assert.equal(install.status, 0, install.stderr);
  const files = filesUnder(prefix);
  assert.deepEqual(files.filter((f) => /\.node$|binding\.gyp$|\/prebuilds\//.test(f)), [], 'no native code');
  assert.ok(!files.some((f) => f.includes('@datadog')), '@datadog/pprof is not installed');
  const r = spawnSync(join(prefix, 'bin', 'proflens'), ['top', '--nodecount', '2', join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // As go tool pprof -top -nodecount=2 prints it (no "(inline)" mark once the graph is cut to two nodes).
  assert.match(r.stdout, /\n {5}770ms 51\.33% 51\.33% {6}770ms 51\.33% {2}main\.mix\n {5}460ms 30\.67% 82\.00% {6}460ms 30\.67% {2}main\.fib\n$/);
});
