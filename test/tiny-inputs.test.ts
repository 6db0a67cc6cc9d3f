// Tiny inputs that once reached `internal error` (issue 15.11): each must end in one line naming
// the file, as pprof's errors do.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runCli, scratchDir } from './helpers.js';

test('the gzip of nothing is an empty input file, as pprof says', async () => {
  // `printf '' | gzip > e.gz`; go tool pprof -top e.gz: "e.gz: parsing profile: empty input file".
  const dir = scratchDir('tiny');
  const gz = join(dir, 'e.gz');
  writeFileSync(gz, gzipSync(Buffer.alloc(0)));
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  for (const file of [gz, empty]) {
    const r = await runCli(['top', file]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `proflens: ${file}: empty input file\n`);
  }
});

test('65,536 sample types and 65,537 empty samples: one line, not a 34 GB table', async () => {
  // About 300 bytes gzipped: sample_type (field 1) empty 65,536 times, then sample (field 2)
  // empty 65,537 times, and a string table of "" (so that it is the samples that are refused).
  // Each sample lacks its values; pprof refuses the profile too.
  const types = 65_536;
  const raw = Buffer.alloc(types * 2 + (types + 1) * 2 + 2);
  for (let i = 0; i < types; i++) raw.set([0x0a, 0x00], 2 * i);
  for (let i = 0; i <= types; i++) raw.set([0x12, 0x00], 2 * types + 2 * i);
  raw.set([0x32, 0x00], raw.length - 2);
  const file = join(scratchDir('tiny'), 'types.pb.gz');
  writeFileSync(file, gzipSync(raw, { level: 9 }));
  const r = await runCli(['top', file]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `proflens: ${file}: malformed profile: sample 0 has 0 values for 65536 sample types\n`);
});

test('a profile without a string table is refused naming the file, as pprof refuses it', async () => {
  // Only time_nanos (field 9): pprof 1.19 says "parsing profile: unrecognized profile format".
  const file = join(scratchDir('tiny'), 'nostrings.pb');
  writeFileSync(file, Buffer.from([0x48, 0x01]));
  const r = await runCli(['top', file]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `proflens: ${file}: malformed profile: no string table\n`);
});
