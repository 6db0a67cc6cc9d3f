// Bounded input (issue 15.2): what gzip inflates to, what a file or standard input holds, and what
// a server sends are all held to --max-size; a bomb fetched over HTTP is refused before it is saved.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const heapFile = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
const bin = join(repoRoot, 'dist', 'bin', 'proflens.js');

/**
 * bomb is a valid heap profile followed by an unknown field of 50 MB of zeros (decoders skip
 * unknown fields, so it parses), gzipped to about 0.2 MB: without a bound on inflating, it is read
 * whole and saved.
 */
function bomb(): Buffer {
  const size = 50_000_000;
  const tag = [0xa2, 0x06]; // field 100, wire type 2 (length-delimited)
  const length: number[] = [];
  for (let v = size; ; v = Math.floor(v / 128)) {
    if (v < 0x80) {
      length.push(v);
      break;
    }
    length.push((v & 0x7f) | 0x80);
  }
  return gzipSync(Buffer.concat([gunzipSync(readFileSync(heapFile)), Buffer.from([...tag, ...length]), Buffer.alloc(size)]), { level: 1 });
}

test('a gzip bomb is refused at --max-size with one line naming the file', async () => {
  const file = join(scratchDir('bomb'), 'bomb.pb.gz');
  writeFileSync(file, bomb());
  const r = await runCli(['top', '--max-size', '10MB', file]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `proflens: ${file}: gzip data inflates to more than 10485760 bytes, the limit (--max-size sets it)\n`);
  // Under the limit it is a profile like any other.
  const ok = await runCli(['top', '--max-size', '60MB', '--nodecount', '1', file]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^File: heap\n/);
});

test('a gzip bomb served over HTTP is refused and nothing is saved in the store', async () => {
  const body = bomb();
  const server = http.createServer((_req, res) => res.end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug/pprof/heap`;
  const store = scratchDir('bomb-store');
  try {
    const r = await runCli(['top', '--max-size', '10MB', url], undefined, { env: { PPROF_TMPDIR: store, HOME: store } });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `proflens: ${url}: gzip data inflates to more than 10485760 bytes, the limit (--max-size sets it)\n`);
    assert.deepEqual(readdirSync(store), []);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('/dev/zero is refused at the limit, not read forever', { skip: !existsSync('/dev/zero') && 'no /dev/zero here' }, () => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, 'top', '--max-size', '1MB', '/dev/zero'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, 'proflens was still reading after 20 s');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'proflens: /dev/zero: more than 1048576 bytes, the limit (--max-size sets it)\n');
  assert.ok(Date.now() - started < 20_000);
});

test('a file or standard input over the limit is refused before it is parsed', async () => {
  const size = readFileSync(heapFile).length;
  const file = await runCli(['top', '--max-size', '1000', heapFile]);
  assert.equal(file.code, 1);
  assert.equal(file.stderr, `proflens: ${heapFile}: ${size} bytes, over the limit of 1000 bytes (--max-size sets it)\n`);
  const stdin = await runCli(['top', '--max-size', '1000', '-'], readFileSync(heapFile));
  assert.equal(stdin.code, 1);
  assert.equal(stdin.stderr, 'proflens: -: more than 1000 bytes, the limit (--max-size sets it)\n');
});

const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

test('a pipe whose writer is still writing is read to its end', { skip: !hasMkfifo && 'mkfifo is not installed' }, async () => {
  // A named pipe, as `proflens top <(curl …)` hands proflens: not a regular file, and its end
  // comes only when the writer closes it.
  const fifo = join(scratchDir('fifo'), 'heap.pipe');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const child = spawn(process.execPath, [bin, 'top', '--nodecount', '1', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const bytes = readFileSync(heapFile);
  const writer = createWriteStream(fifo);
  writer.write(bytes.subarray(0, 100));
  await new Promise((r) => setTimeout(r, 300));
  writer.end(bytes.subarray(100));
  const code = await new Promise((r) => child.on('close', r));
  assert.equal(code, 0, err);
  assert.match(out, /^File: heap\nType: inuse_space\n/);
});

test('a profile gzipped in several members reads whole, within the limit or refused past it', async () => {
  // The trailer then gives only the last member's size: the output outgrows it and is read the second way.
  const raw = gunzipSync(readFileSync(heapFile));
  const file = join(scratchDir('members'), 'members.pb.gz');
  writeFileSync(file, Buffer.concat([gzipSync(raw.subarray(0, 1000)), gzipSync(raw.subarray(1000))]));
  const whole = await runCli(['top', heapFile]);
  const members = await runCli(['top', file]);
  assert.equal(members.code, 0, members.stderr);
  assert.equal(members.stdout, whole.stdout);
  const small = await runCli(['top', '--max-size', String(raw.length - 1), file]);
  assert.equal(small.stderr, `proflens: ${file}: gzip data inflates to more than ${raw.length - 1} bytes, the limit (--max-size sets it)\n`);
});
