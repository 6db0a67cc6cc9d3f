// list when a source file cannot be found: said once per file on stderr, and the listing still
// shows each line's values (a deliberate difference: pprof 1.19 shows nothing for that function).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, scratchDir, sharedDir } from './helpers.js';

const cpu = join(sharedDir, 'peer-pprof', 'profiles', 'cpu.pb.gz');

test('list without the source: one note per file, the numbers per line still shown', async () => {
  const empty = scratchDir('src');
  const r = await runCli(['list', 'line1000|line200', '--source-path', empty, cpu]);
  assert.equal(r.code, 0, r.stderr);
  const notes = r.stderr.trimEnd().split('\n');
  assert.deepEqual(notes, [
    `list: could not find file testdata/file1000.src on path ${empty}; showing the values of each line without its source`,
    `list: could not find file testdata/file2000.src on path ${empty}; showing the values of each line without its source`,
  ]);
  assert.equal(
    r.stdout,
    [
      'Total: 1.12s',
      'ROUTINE ======================== line1000 in testdata/file1000.src',
      '     1.10s      1.10s (flat, cum) 98.21% of Total',
      '     1.10s      1.10s      1:',
      'ROUTINE ======================== line2000 in testdata/file2000.src',
      '         0      1.01s (flat, cum) 90.18% of Total',
      '         .      1.01s      4:',
      'ROUTINE ======================== line2001 in testdata/file2000.src',
      '      10ms      1.01s (flat, cum) 90.18% of Total',
      '      10ms      1.01s      9:',
      '',
    ].join('\n'),
  );
});
