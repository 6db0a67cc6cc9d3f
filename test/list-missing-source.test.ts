// list when a source file cannot be found: said once per file on stderr, and the listing still
// shows each line's values (a deliberate difference: pprof 1.19 shows nothing for that function).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');

test('list without the source: one note per file, the numbers per line still shown', async () => {
  const empty = scratchDir('src');
  // The fixture was recorded in /work/main: trimmed, its file names are relative to nothing here.
  const r = await runCli(['list', 'main\\.fib|serve\\.Main', '--trim-path', '/work/main', '--source-path', empty, cpu]);
  assert.equal(r.code, 0, r.stderr);
  const notes = r.stderr.trimEnd().split('\n');
  assert.deepEqual(notes, [
    `list: could not find file fixtures/go/cmd/cpu/main.go on path ${empty}; showing the values of each line without its source`,
    `list: could not find file fixtures/go/internal/serve/serve.go on path ${empty}; showing the values of each line without its source`,
  ]);
  // The lines with values in go tool pprof -list='main\.fib|serve\.Main' -trim_path=/work/main, with the sources found.
  assert.equal(
    r.stdout,
    [
      'Total: 1.50s',
      'ROUTINE ======================== main.fib in fixtures/go/cmd/cpu/main.go',
      '     460ms      720ms (flat, cum) 48.00% of Total',
      '     140ms      140ms     17:',
      '     120ms      120ms     19:',
      '     200ms      460ms     21:',
      'ROUTINE ======================== proflens/fixtures/internal/serve.Main in fixtures/go/internal/serve/serve.go',
      '         0      1.50s (flat, cum)   100% of Total',
      '         .      1.50s     50:',
      '',
    ].join('\n'),
  );
});
