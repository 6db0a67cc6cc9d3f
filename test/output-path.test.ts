// A bad --output path is reported with the path the user gave and what is wrong with it, never
// with the name of the temporary file proflens writes first (issue 15.16), and leaves nothing.

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');

test('--output into a folder that does not exist, onto a folder, or below a file: one line naming the path', async () => {
  const dir = scratchDir('output');
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'file.txt'), 'x');
  const cases: [string, string][] = [
    [join(dir, 'missing', 'top.txt'), 'no such directory'],
    [join(dir, 'folder'), 'is a directory'],
    [join(dir, 'file.txt', 'top.txt'), 'a part of the path is not a directory'],
  ];
  for (const [out, why] of cases) {
    const r = await runCli(['top', '--output', out, cpu]);
    assert.equal(r.code, 1, out);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `proflens: cannot write ${out}: ${why}\n`);
  }
  assert.deepEqual(readdirSync(dir).sort(), ['file.txt', 'folder']);
  assert.deepEqual(readdirSync(join(dir, 'folder')), []);
});
