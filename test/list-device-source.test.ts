// `list` on a profile that names a device as a source file: the profile's paths are untrusted,
// and /dev/zero would be read forever (pprof 1.19 does), a named pipe waited on. Only regular
// files are read; the rest are said to be unreadable, as a missing file is.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeProfile } from '../src/profile/encode.js';
import { parseProfile } from '../src/profile/parse.js';
import { repoRoot, scratchDir } from './helpers.js';

const bin = join(repoRoot, 'dist', 'bin', 'proflens.js');

test('a source file that is /dev/zero is not read', { skip: !existsSync('/dev/zero') && 'no /dev/zero here' }, () => {
  const heap = parseProfile(readFileSync(join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz')), 'heap');
  // main.fillCache's file, whatever folder the fixture was made in, becomes /dev/zero.
  const strings = heap.strings.map((s) => (s.endsWith('/fixtures/go/cmd/heap/main.go') ? '/dev/zero' : s));
  assert.notDeepEqual(strings, heap.strings);
  const file = join(scratchDir('devzero'), 'devzero.pb.gz');
  writeFileSync(file, encodeProfile({ ...heap, strings }));
  // Spawned, with a deadline: before the fix this read gigabytes of zeros and never ended.
  const r = spawnSync(process.execPath, [bin, 'list', 'main.fillCache', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, 'list was still reading after 20 s');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'list: open /dev/zero: not a regular file; showing the values of each line without its source\n');
  assert.match(r.stdout, /^Total: 57\.24MB\nROUTINE =+ main\.fillCache in \/dev\/zero\n/);
});
