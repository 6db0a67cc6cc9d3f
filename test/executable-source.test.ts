// `proflens top BINARY PROFILE`, pprof's habit of naming the program first (issue 15.16): an
// executable is named as one; beside a profile it is set aside with a note, alone it is an error.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');

/** Heads of each executable format (magic number, then filler), as the loaders recognise them. */
const executables = [
  { format: 'ELF', head: [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00] },
  { format: 'Mach-O', head: [0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01] },
  { format: 'Mach-O', head: [0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x02] },
  { format: 'PE', head: [0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00] },
];

test('an executable alone: one line saying it is an executable and that none is needed', async () => {
  const dir = scratchDir('exe');
  for (const [i, e] of executables.entries()) {
    const file = join(dir, `prog${i}`);
    writeFileSync(file, Buffer.concat([Buffer.from(e.head), Buffer.alloc(200, 0x11)]));
    const r = await runCli(['top', file]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `proflens: ${file}: an executable (${e.format}), not a profile; proflens needs no executable: give the profile alone\n`);
  }
});

test('an executable named before the profile is ignored with a note, the report is the profile\'s', async () => {
  const exe = join(scratchDir('exe'), 'heap');
  writeFileSync(exe, Buffer.concat([Buffer.from(executables[0]!.head), Buffer.alloc(200, 0x11)]));
  const both = await runCli(['top', exe, heap]);
  const alone = await runCli(['top', heap]);
  assert.equal(both.code, 0, both.stderr);
  assert.equal(both.stdout, alone.stdout);
  assert.equal(both.stderr, `${exe}: an executable (ELF), ignored: proflens reads names from the profile and needs no executable\n`);
  // pprof's own spelling.
  const go = await runCli(['-top', exe, heap]);
  assert.equal(go.stdout, alone.stdout);
});
