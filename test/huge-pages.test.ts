// A large input makes proflens start itself again with glibc's huge-page tunable (cli/huge-pages.ts):
// what it prints, its exit code and its end by a signal must be those of the run it replaces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, scratchDir, servedUrl } from './helpers.js';
import { forgetRestart, largeInput } from '../cli/huge-pages.js';

const cli = join(repoRoot, 'dist', 'bin', 'proflens.js');
const linux = process.platform === 'linux';
const skip = linux ? false : 'huge pages are asked for on Linux only';
const restarted = /running again with GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1/;

/** envWith is the environment with GLIBC_TUNABLES unset, or set to `value`. */
function envWith(value?: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  if (value !== undefined) env.GLIBC_TUNABLES = value;
  return env;
}

/** varint encodes n as protobuf does. */
function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

/**
 * largeProfile writes an uncompressed pprof profile of one sample of main.big, whose string table
 * ends with an unused string `padBytes` long: a valid profile past the 16 MB line, written without
 * holding it in memory.
 */
function largeProfile(path: string, padBytes: number): void {
  const field = (tag: number, body: number[]): number[] => [tag, ...varint(body.length), ...body];
  const str = (s: string): number[] => field(0x32, [...Buffer.from(s)]); // string_table = 6
  const head = [
    ...field(0x0a, [0x08, 1, 0x10, 2]), // sample_type {type: "samples", unit: "count"}
    ...field(0x12, [0x0a, 1, 1, 0x10, 7]), // sample {location_id: [1], value: [7]}
    ...field(0x22, [0x08, 1, 0x22, ...field(0x0a, [0x08, 1]).slice(1)]), // location {id 1, line {function_id 1}}
    ...field(0x2a, [0x08, 1, 0x10, 3]), // function {id 1, name: 3}
    ...str(''),
    ...str('samples'),
    ...str('count'),
    ...str('main.big'),
    0x32,
    ...varint(padBytes),
  ];
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.from(head));
  ftruncateSync(fd, head.length + padBytes); // the padding: NUL bytes, never written
  closeSync(fd);
}

test('a small input runs in one process; a large one runs again with the tunable and says so under --debug', { skip }, () => {
  const dir = scratchDir('huge');
  const big = join(dir, 'big.pb');
  largeProfile(big, 17 << 20);
  const again = spawnSync(process.execPath, [cli, 'top', '--debug', big], { env: envWith(), encoding: 'utf8' });
  const once = spawnSync(process.execPath, [cli, 'top', '--debug', big], { env: envWith(''), encoding: 'utf8' });
  assert.match(again.stderr, restarted);
  assert.doesNotMatch(once.stderr, restarted, 'an empty GLIBC_TUNABLES opts out');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, once.stdout, 'the restarted run prints what one process prints');
  assert.match(again.stdout, /^\s+7\s+100%\s+100%\s+7\s+100%\s+main\.big$/m);

  const small = spawnSync(process.execPath, [cli, 'top', '--debug', join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz')], { env: envWith(), encoding: 'utf8' });
  assert.equal(small.status, 0);
  assert.doesNotMatch(small.stderr, restarted);
});

test('the restarted run keeps the exit code and the one-line error of a bad large input', { skip }, () => {
  const dir = scratchDir('huge-bad');
  const bad = join(dir, 'zeros.bin');
  const fd = openSync(bad, 'w');
  ftruncateSync(fd, 17 << 20);
  closeSync(fd);
  const again = spawnSync(process.execPath, [cli, 'top', bad], { env: envWith(), encoding: 'utf8' });
  const once = spawnSync(process.execPath, [cli, 'top', bad], { env: envWith(''), encoding: 'utf8' });
  assert.notEqual(once.status, 0);
  assert.equal(again.status, once.status);
  assert.equal(again.stderr, once.stderr);
  assert.equal(again.stderr.trim().split('\n').length, 1, again.stderr);
});

test('a signal sent to proflens reaches the restarted server, and proflens ends as it does', { skip }, async () => {
  const dir = scratchDir('huge-web');
  const big = join(dir, 'big.pb');
  largeProfile(big, 17 << 20);
  const child = spawn(process.execPath, [cli, 'web', '--no-browser', '--http', '127.0.0.1:0', big], {
    env: envWith(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await servedUrl(child);
    assert.equal((await fetch(url)).status, 200);
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    child.kill('SIGTERM');
    // web stops gracefully on SIGTERM, exit 0; the restarted run's ending is proflens's.
    assert.deepEqual(await ended, [0, null]);
    await assert.rejects(fetch(url), 'the restarted server stopped with it');
  } finally {
    child.kill('SIGKILL');
  }
});

test('completion never restarts, and the restarted run takes the restart out of its environment', { skip }, () => {
  const dir = scratchDir('huge-complete');
  const big = join(dir, 'big.pb');
  largeProfile(big, 17 << 20);
  assert.equal(largeInput(['top', big], {}, 'linux'), big);
  assert.equal(largeInput(['__complete', 'top', big], {}, 'linux'), undefined);
  assert.equal(largeInput(['top', big], { GLIBC_TUNABLES: '' }, 'linux'), undefined);
  // What the restarted run starts in turn (go tool objdump, a browser) gets the user's environment.
  const restarted: NodeJS.ProcessEnv = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', PROFLENS_HUGE_PAGES: '1', HOME: '/h' };
  forgetRestart(restarted);
  assert.deepEqual(restarted, { HOME: '/h' });
  const users: NodeJS.ProcessEnv = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
  forgetRestart(users);
  assert.deepEqual(users, { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, "a user's own setting stays");
});
