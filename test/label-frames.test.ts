// -tagroot and -tagleaf (issue 21.1): label values as pseudo frames at the root or leaf of every
// stack, as current pprof adds them (internal/driver/tagroot.go). Every expected text below was
// printed by `go tool pprof -symbolize=none FLAGS` (Go 1.19, whose pprof has both flags) on the
// same bytes, written to a file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { msg, stringTable, v, varint } from './proto-bytes.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

/**
 * labelled is a profile of three samples: main→work with handler=api and size=2048 bytes (5),
 * main→work with handler=web (3), main alone without labels (2).
 */
function labelled(): string {
  const packed = (num: number, xs: number[]): number[] => msg(num, xs.flatMap(varint));
  const label = (key: number, str: number, num = 0, unit = 0): number[] =>
    msg(3, [...v(1, key), ...(str ? v(2, str) : []), ...(num ? v(3, num) : []), ...(unit ? v(4, unit) : [])]);
  const bytes = [
    ...msg(1, [...v(1, 1), ...v(2, 2)]),
    ...msg(2, [...packed(1, [2, 1]), ...packed(2, [5]), ...label(5, 6), ...label(8, 0, 2048, 9)]),
    ...msg(2, [...packed(1, [2, 1]), ...packed(2, [3]), ...label(5, 7)]),
    ...msg(2, [...packed(1, [1]), ...packed(2, [2])]),
    ...msg(4, [...v(1, 1), ...msg(4, [...v(1, 1), ...v(2, 10)])]),
    ...msg(4, [...v(1, 2), ...msg(4, [...v(1, 2), ...v(2, 20)])]),
    ...msg(5, [...v(1, 1), ...v(2, 3), ...v(4, 10)]),
    ...msg(5, [...v(1, 2), ...v(2, 4), ...v(4, 10)]),
    ...stringTable(['', 'samples', 'count', 'main', 'work', 'handler', 'api', 'web', 'size', 'bytes', 'main.go']),
  ];
  const path = join(scratchDir('tagroot'), 'labels.pb');
  writeFileSync(path, Buffer.from(bytes));
  return path;
}

const top = (rows: string): string => `Type: samples\n${rows}`;

test('-tagroot: one frame per key above each stack, the first key outermost; a sample without the key gets an unnamed frame', async () => {
  const r = await runCli(['-top', '-tagroot=handler,size', labelled()]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    top(`Showing nodes accounting for 10, 100% of 10 total
      flat  flat%   sum%        cum   cum%
         8 80.00% 80.00%          8 80.00%  work
         2 20.00%   100%         10   100%  main
         0     0%   100%          5 50.00%  2kB
         0     0%   100%          5 50.00%  <unknown>
         0     0%   100%          5 50.00%  api
         0     0%   100%          3 30.00%  web
`),
  );
});

test('-tagleaf: frames below each stack, the last key innermost', async () => {
  const r = await runCli(['traces', '--tagleaf', 'handler,size', labelled()]);
  assert.equal(r.code, 0, r.stderr);
  const bar = '-----------+-------------------------------------------------------\n';
  assert.equal(
    r.stdout,
    top(`${bar}   handler:  api
      size:  2kB
         5   2kB
             api
             work
             main
${bar}   handler:  web
         3   <unknown>
             web
             work
             main
${bar}         2   <unknown>
             <unknown>
             main
${bar}`),
  );
});

test('numeric values are printed in -unit when the sample carries units, bare when it carries none', async () => {
  const r = await runCli(['-top', '-tagleaf=size', '-unit=MB', labelled()]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    top(`Showing nodes accounting for 10MB, 100% of 10MB total
      flat  flat%   sum%        cum   cum%
       5MB 50.00% 50.00%        5MB 50.00%  0
       5MB 50.00%   100%        5MB 50.00%  <unknown>
         0     0%   100%       10MB   100%  main
         0     0%   100%        8MB 80.00%  work
`),
  );
  // Go's heap profiles give their `bytes` label no unit: pprof prints 1024, not 1kB or 0MB.
  const heap = await runCli(['-top', '-nodecount=4', '-tagroot=bytes', '-unit=MB', join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz')]);
  assert.equal(heap.code, 0, heap.stderr);
  assert.match(heap.stdout, /\n {9}0 {5}0% 99\.62% {4}19\.53MB 34\.12% {2}1024\n$/);
});

test('a key no sample has: pprof\'s note, and every stack under an unnamed frame', async () => {
  const r = await runCli(['-top', '-tagroot=nosuch', labelled()]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, 'TagRoot expression matched no samples\n');
  assert.match(r.stdout, /\n {9}0 {5}0% {3}100% {9}10 {3}100% {2}<unknown>\n$/);
  const leaf = await runCli(['-top', '-tagleaf=nosuch', labelled()]);
  assert.equal(leaf.stderr, 'TagLeaf expression matched no samples\n');
});
