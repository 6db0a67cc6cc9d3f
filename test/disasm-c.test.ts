// -disasm on a C program (issue 21.3): go tool pprof disassembles every binary with Go's own
// disassembler (cmd/internal/objfile), a C one too, and so does proflens. A tiny C program built with
// gcc and a hand-made profile of it (a mapping naming the binary, samples at two instructions of
// work and one return address in main) go to both; the outputs must be the same byte for byte. A
// position-independent build is loaded far from its file addresses, which Go 1.19's pprof compares
// its symbols at: both answer "no matches".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { msg, stringTable, v, varint } from './proto-bytes.js';
import { runCli, scratchDir } from './helpers.js';
import { hasGo } from './go-fixture.js';

const run = promisify(execFile);
const hasGcc = ((): boolean => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = hasGo && hasGcc ? false : 'needs gcc (the C program) and go (go tool pprof is the reference, go tool objdump the disassembler)';

const source = `#include <stdio.h>
unsigned long work(unsigned long n) { unsigned long s = 0; for (unsigned long i = 0; i < n; i++) s += i * i ^ (s >> 3); return s; }
int main(void) { printf("%lu\\n", work(100000000UL)); return 0; }
`;

/** symbols reads `go tool nm -size` addresses of the program's work and main. */
function symbols(bin: string): { work: number; main: number } {
  const out = execFileSync('go', ['tool', 'nm', '-size', bin], { encoding: 'utf8' });
  const at = (name: string): number => parseInt(new RegExp(`^\\s*([0-9a-f]+)\\s+\\d+\\s+T ${name}$`, 'm').exec(out)![1]!, 16);
  return { work: at('work'), main: at('main') };
}

/**
 * cProfile is a CPU-like profile of bin: 5 samples at work+0x16, 3 at work+0x1d (both called from
 * main+0x0e), its one mapping at [start, start+0x2000) with the given file offset.
 */
function cProfile(bin: string, start: number, offset: number, base: number): string {
  const { work, main } = symbols(bin);
  const packed = (num: number, xs: number[]): number[] => msg(num, xs.flatMap(varint));
  const loc = (id: number, addr: number, fn: number, line: number): number[] => msg(4, [...v(1, id), ...v(2, 1), ...v(3, base + addr), ...msg(4, [...v(1, fn), ...v(2, line)])]);
  const bytes = [
    ...msg(1, [...v(1, 1), ...v(2, 2)]),
    ...msg(2, [...packed(1, [1, 3]), ...packed(2, [5])]),
    ...msg(2, [...packed(1, [2, 3]), ...packed(2, [3])]),
    ...msg(3, [...v(1, 1), ...v(2, start), ...v(3, start + 0x2000), ...v(4, offset), ...v(5, 6), ...v(7, 1)]),
    ...loc(1, work + 0x16, 1, 2),
    ...loc(2, work + 0x1d, 1, 2),
    ...loc(3, main + 0x0e, 2, 3),
    ...msg(5, [...v(1, 1), ...v(2, 3), ...v(3, 3), ...v(4, 5)]),
    ...msg(5, [...v(1, 2), ...v(2, 4), ...v(3, 4), ...v(4, 5)]),
    ...stringTable(['', 'samples', 'count', 'work', 'main', 'c.c', bin]),
  ];
  const path = `${bin}.pb`;
  writeFileSync(path, Buffer.from(bytes));
  return path;
}

async function pprofDisasm(re: string, prof: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    return { ...(await run('go', ['tool', 'pprof', `-disasm=${re}`, prof])), code: 0 };
  } catch (e) {
    const f = e as { stdout: string; stderr: string; code: number };
    return { stdout: f.stdout, stderr: f.stderr, code: f.code };
  }
}

test('-disasm of a C binary prints what go tool pprof -disasm prints', { skip }, async () => {
  const dir = scratchDir('disasm-c');
  writeFileSync(join(dir, 'c.c'), source);
  const bin = join(dir, 'cprog');
  execFileSync('gcc', ['-O1', '-no-pie', '-o', bin, join(dir, 'c.c')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const prof = cProfile(bin, 0x400000, 0, 0);
  const want = await pprofDisasm('.', prof);
  // Go's disassembler knows no line of a C binary: the locations come from the profile.
  assert.match(want.stdout, /ROUTINE =+ main\n[^]*ROUTINE =+ work\n[^]*;work c\.c:2\n/);
  const r = await runCli(['disasm', '.', prof]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, want.stdout);
});

test('-disasm of a position-independent C binary: no matches, as go tool pprof 1.19 says', { skip }, async () => {
  const dir = scratchDir('disasm-pie');
  writeFileSync(join(dir, 'c.c'), source);
  const bin = join(dir, 'cpie');
  execFileSync('gcc', ['-O1', '-pie', '-fPIE', '-o', bin, join(dir, 'c.c')], { stdio: ['ignore', 'ignore', 'inherit'] });
  // Loaded at 0x555555554000 as Linux loads a PIE, its text mapped from file offset 0x1000.
  const prof = cProfile(bin, 0x555555555000, 0x1000, 0x555555554000);
  const want = await pprofDisasm('.', prof);
  assert.equal(want.stderr, 'no matches found for regexp: .\n');
  const r = await runCli(['disasm', '.', prof]);
  assert.equal(r.stdout, want.stdout);
  assert.equal(r.stderr, `proflens: ${want.stderr}`);
  assert.equal(r.code, want.code);
});
