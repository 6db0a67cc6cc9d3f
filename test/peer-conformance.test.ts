// google/pprof's own golden cases (../shared/peer-pprof): proflens must print exactly what
// go tool pprof prints, given the same flags. The cases file is read as it is; nothing is copied.
// They live beside the project, not in it: on a clone of the repository alone they are skipped
// (CI has them and runs them all).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, sharedDir, splitFlags } from './helpers.js';

const peerDir = join(sharedDir, 'peer-pprof');
/** The flags every case was generated with (see peer-pprof/README.md). */
const commonFlags = ['-nodecount=20', '-nodefraction=0.05', '-edgefraction=0.01', '-compact_labels', '-divide_by=1'];
/** Views proflens implements; a case of any other view is listed as todo. */
const implemented = new Set(['-text', '-top', '-tree', '-peek', '-traces', '-tags', '-comments', '-dot', '-callgrind']);

const present = existsSync(join(peerDir, 'cases.tsv'));
if (!present) test("google/pprof's golden cases", { skip: '../shared/peer-pprof not present' }, () => {});
const rows = (present ? readFileSync(join(peerDir, 'cases.tsv'), 'utf8') : '')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => l.split('\t') as [string, string, string]);

for (const [input, flags, expected] of rows) {
  const args = splitFlags(flags);
  const viewFlag = args.find((a) => /^-(text|top|tree|peek|traces|tags|comments|callgrind|dot|list|raw|proto)\b/.test(a)) ?? '';
  const view = viewFlag.replace(/=.*/, '');
  const name = `${input} ${flags}`;
  const missing = implemented.has(view) ? undefined : view;
  if (missing) {
    test(name, { todo: `${missing.replace(/=.*/, '')} not implemented yet` }, () => {});
    continue;
  }
  test(name, async () => {
    const r = await runCli([...commonFlags, ...args, join(peerDir, input)]);
    assert.equal(r.code, 0, r.stderr);
    const want = readFileSync(join(peerDir, expected), 'utf8');
    assert.equal(r.stdout.trimEnd(), want.trimEnd());
  });
}
