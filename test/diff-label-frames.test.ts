// `proflens diff --tagroot/--tagleaf` (issue 21): the label frames are added to both profiles
// before they are compared, as `go tool pprof -diff_base=BASE -tagroot=KEY` adds them to the
// merged profile. The expected deltas were printed by (Go 1.19)
//   go tool pprof -symbolize=none -nodefraction=0 -diff_base=go-heap-early.pb.gz -tagroot=bytes -top go-heap.pb.gz
// whose cum column reads 24576kB for 25165824, 12288kB for 12582912, 0.05kB for 48; 1024 (20000kB
// in both) is not in it, as it did not change.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './helpers.js';
import { profiles } from './web-helpers.js';

const base = join(profiles, 'go-heap-early.pb.gz');
const next = join(profiles, 'go-heap.pb.gz');

/** row finds the diff row of a name: base, new, delta, delta% as printed. */
function row(out: string, name: string): string[] | undefined {
  const line = out.split('\n').find((l) => l.trim().split(/\s+/).slice(4).join(' ') === name);
  return line?.trim().split(/\s+/).slice(0, 4);
}

test('diff --tagroot: label frames on both sides, with the deltas of go tool pprof -diff_base -tagroot', async () => {
  const r = await runCli(['diff', '--cum', '--tagroot', 'bytes', base, next]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(row(r.stdout, '25165824'), ['0', '24MB', '+24MB', 'new']);
  assert.deepEqual(row(r.stdout, '12582912'), ['0', '12MB', '+12MB', 'new']);
  assert.deepEqual(row(r.stdout, '48')?.slice(2), ['+48B', '+100%']);
  assert.equal(row(r.stdout, '1024'), undefined, 'unchanged: not a row');
  assert.equal(r.stderr, '');
});

test('diff --tagleaf: the leaf frames carry the flat deltas', async () => {
  const r = await runCli(['diff', '--tagleaf', 'bytes', base, next]);
  assert.equal(r.code, 0, r.stderr);
  // At the leaf a label frame holds the flat values: the 24MB of main.allocateBigger's samples.
  assert.deepEqual(row(r.stdout, '25165824'), ['0', '24MB', '+24MB', 'new']);
});

test('diff --tagroot with a key no sample has: pprof\'s note, once', async () => {
  const r = await runCli(['diff', '--tagroot', 'nosuchkey', base, next]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, 'TagRoot expression matched no samples\n');
});
