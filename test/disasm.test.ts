// -disasm=RE (issue 21.1): pprof disassembles the profiled binary with objdump. The profile holds
// neither; proflens says which is missing and what to run instead, in one line, exit 1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, runCli } from './helpers.js';

const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');

test('-disasm names the binary that is not there, and offers list', async () => {
  const r = await runCli(['-disasm=main.fib', cpu]);
  assert.equal(r.code, 1);
  // The fixture's mapping names the binary it was built as, long gone (go tool pprof: "open …: no such file").
  assert.equal(
    r.stderr,
    "proflens: disasm needs the profiled binary to read instructions from: /tmp/tmp.bz54TFRPu8/bin/cpu is not there (name it before the profile); proflens list 'main.fib' shows the source lines with their samples\n",
  );
});

test('-disasm without go says so; a regex matching nothing is pprof\'s error', async () => {
  const r = await runCli(['disasm', 'main.fib', cpu], undefined, { env: { PATH: '' } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^proflens: disasm needs the go command \(go tool objdump, the disassembler go tool pprof uses\) and the profiled binary, which the profile does not hold; proflens list 'main\.fib' shows/);
  const none = await runCli(['-disasm=nosuch', cpu]);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'proflens: no matches found for regexp: nosuch\n');
});
