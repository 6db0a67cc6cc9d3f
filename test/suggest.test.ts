// Typos get the nearest known name (issue 21.2): commands and flags, in the spelling the user typed
// (Go's `-nodecont=3` → `-nodecount`, native `--nodecont` → `--nodecount`). One line, exit 2: the
// project's exit code for usage errors (go tool pprof's flag package also exits 2).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { closestName, editDistance } from '../cli/suggest.js';
import { repoRoot, runCli } from './helpers.js';

const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('tpo', 'top'), 1);
  assert.equal(editDistance('nodecont', 'nodecount'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(closestName('tpo', ['tree', 'top', 'traces']), 'top');
  assert.equal(closestName('xyz', ['top', 'tree']), undefined, 'three edits off a three-letter word is no typo');
});

const cases: [args: string[], line: string][] = [
  [['tpo', cpu], "proflens: unknown command 'tpo' (did you mean top?)"],
  [['difff', 'a', 'b'], "proflens: unknown command 'difff' (did you mean diff?)"],
  [['-nodecont=3', '-top', cpu], "proflens: unknown option '-nodecont=3' (did you mean -nodecount?)"],
  [['top', '-nodecont=3', cpu], "proflens: unknown option '-nodecont=3' (did you mean -nodecount?)"],
  [['-tpo', cpu], "proflens: unknown option '-tpo' (did you mean -top?)"],
  [['-sample_indx=alloc_space', '-top', cpu], "proflens: unknown option '-sample_indx=alloc_space' (did you mean -sample_index?)"],
  [['top', '--nodecont', '3', cpu], "proflens: unknown option '--nodecont' (did you mean --nodecount?)"],
  [['top', '--sample-indx', 'cpu', cpu], "proflens: unknown option '--sample-indx' (did you mean --sample-index?)"],
  // Nothing near: no guess, only where to look.
  [['top', '--bogus', cpu], "proflens: unknown option '--bogus' (see proflens --help)"],
  [['frobnicate', cpu], "proflens: unknown command 'frobnicate' (see proflens --help)"],
];

for (const [args, line] of cases) {
  test(`${args.slice(0, -1).join(' ')} → ${line.replace(/^proflens: /, '')}`, async () => {
    const r = await runCli(args);
    assert.equal(r.stderr, line + '\n');
    assert.equal(r.stdout, '');
    assert.equal(r.code, 2);
  });
}
