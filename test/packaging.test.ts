// What `npm pack` ships (issue 15.18): the built executable (a clone has no dist/, so prepack
// builds), the LICENSE package.json names, and nothing the executable does not load: the bundle
// in dist/bin holds the CLI, so dist/cli stays home, as do the tests, benchmarks and demo.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot, scratchDir } from './helpers.js';

interface PackageJson {
  scripts: Record<string, string>;
  license: string;
  bin: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

let packed: string[] | undefined;
/** packedFiles lists what `npm pack` would put in the tarball (scripts not run: dist/ is built). */
function packedFiles(): string[] {
  if (packed) return packed;
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (packed = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
}

test('npm pack builds first, ships the executable and the LICENSE, and no code it never loads', () => {
  assert.equal(pkg.scripts.prepack, 'npm run build', 'a fresh clone has no dist/: packing must build it');
  const files = packedFiles();
  assert.ok(files.includes('dist/bin/proflens.js'), files.join('\n'));
  assert.ok(files.includes(pkg.bin.proflens!.replace(/^\.\//, '')));
  assert.ok(files.includes('dist/src/agent/index.js'), 'proflens/agent');
  assert.ok(files.includes('LICENSE'));
  assert.deepEqual(
    files.filter((f) => /^dist\/(cli|test|bench|demo)\//.test(f)),
    [],
  );
});

test('LICENSE is the Apache License 2.0 that package.json names', () => {
  assert.equal(pkg.license, 'Apache-2.0');
  const text = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
  assert.match(text, /^\s+Apache License\n\s+Version 2\.0, January 2004\n\s+http:\/\/www\.apache\.org\/licenses\/\n/);
  assert.match(text, /\n\s+END OF TERMS AND CONDITIONS\n/);
});

test('the packed files alone run proflens', () => {
  const dir = scratchDir('packed');
  for (const f of packedFiles()) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(repoRoot, f), join(dir, f));
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  const bin = join(dir, 'dist', 'bin', 'proflens.js');
  const r = spawnSync(process.execPath, [bin, '-top', '-nodecount=1', join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Showing top 1 nodes out of \d+$/m);
  // A view in a lazily loaded chunk of its own.
  const tree = spawnSync(process.execPath, [bin, 'tree', '--nodecount', '1', join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz')], { encoding: 'utf8' });
  assert.equal(tree.status, 0, tree.stderr);
  assert.match(tree.stdout, /^ +770ms 51\.33% 51\.33% +770ms 51\.33% +\| main\.mix$/m);
});
