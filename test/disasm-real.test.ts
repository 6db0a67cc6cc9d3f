// -disasm=RE for real (issue 21): a Go fixture binary and a CPU profile of it, disassembled by
// proflens and by go tool pprof (Go 1.19, the specification): the outputs must be the same, byte
// for byte (headers, per-instruction flat/cum, locations, the undecodable tail of a symbol).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runCli } from './helpers.js';
import { builtCpuProfile, hasGo } from './go-fixture.js';
import { renderDisasm } from '../src/report/disasm.js';

const run = promisify(execFile);
const skip = hasGo ? false : 'needs the go command (the fixture is built and go tool pprof is the reference)';

const cpuFixture = builtCpuProfile;

async function pprofDisasm(re: string, bin: string, prof: string): Promise<string> {
  return (await run('go', ['tool', 'pprof', `-disasm=${re}`, bin, prof], { env: { ...process.env, TZ: 'UTC' } })).stdout;
}

test('disasm RE BINARY PROFILE prints what go tool pprof -disasm prints', { skip }, async () => {
  const { bin, prof } = await cpuFixture();
  // main\. takes main.fib, main.work (main.hashLoop and main.mix inlined: one node per address) and
  // main.main, whose last instruction is cut by pprof's decoding range and shows as `?`.
  const want = await pprofDisasm('main\\.', bin, prof);
  assert.match(want, /ROUTINE =+ main\.fib\n/);
  const r = await runCli(['disasm', 'main\\.', bin, prof]);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, want);
});

test('disasm finds the binary at the path the profile names; Go-style -disasm=RE works too', { skip }, async () => {
  const { bin, prof } = await cpuFixture();
  const want = await pprofDisasm('main.fib', bin, prof);
  const r = await runCli(['disasm', 'main.fib', prof]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, want);
  const goStyle = await runCli(['-disasm=main.fib', bin, prof]);
  assert.equal(goStyle.stdout, want);
});

test('an instruction of 40 characters or more gets its location on a line of its own, as pprof prints it', () => {
  const text = 'MOVQ runtime.someVeryLongSymbolName(SB), AX'; // 43 characters
  const out = renderDisasm({
    total: 10,
    format: (v) => `${v}ms`,
    routines: [{ name: 'f', flat: 3, cum: 5, rows: [
      { address: 0x401000n, text, function: 'f', file: 'f.go', line: 3, flat: 3, cum: 5 },
      { address: 0x401007n, text: 'RET', function: 'f', file: 'f.go', line: 3, flat: 0, cum: 0 },
    ] }],
  });
  // pprof: "%74s;%s" for the location, then "%10s %10s %10x: %s"; an unchanged location is not repeated.
  assert.equal(out, [
    'Total: 10ms',
    'ROUTINE ======================== f',
    '       3ms        5ms (flat, cum) 50.00% of Total',
    ' '.repeat(74) + ';f f.go:3',
    `       3ms        5ms     401000: ${text}`,
    '         .          .     401007: RET',
    '',
  ].join('\n'));
});
