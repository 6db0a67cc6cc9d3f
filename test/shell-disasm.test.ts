// The shell's `disasm RE` (issue 21), against go tool pprof's shell run live on the same input: a
// Go fixture binary named before its CPU profile, as `go tool pprof BINARY PROFILE` takes them. The
// reports (standard output) must be the same byte for byte, and so must the messages after the
// greeting (no match, no argument, `help disasm`).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, runCli, runShellCli } from './helpers.js';
import { builtCpuProfile, hasGo } from './go-fixture.js';

const run = promisify(execFile);
const skip = hasGo ? false : 'needs the go command (the fixture is built and go tool pprof is the reference)';

const cpuFixture = builtCpuProfile;

/** afterGreeting drops the greeting (File:, Type:, Time: …), whose Time: line proflens writes as current pprof does. */
const afterGreeting = (stderr: string): string => stderr.slice(stderr.indexOf('Entering interactive mode'));

test('disasm in the shell prints what go tool pprof\'s shell prints', { skip }, async () => {
  const { bin, prof } = await cpuFixture();
  // An ignore word drops samples first: `-fib` leaves main.fib out, `-main.main` leaves nothing.
  const script = 'disasm main.fib\ndisasm main\\. -fib\ndisasm main\\. -main.main\ndisasm nomatch\ndisasm\nhelp disasm\n';
  const pprof = new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = execFile('go', ['tool', 'pprof', '-symbolize=none', bin, prof], { env: { ...process.env, TZ: 'UTC' } }, (err, stdout, stderr) =>
      err ? reject(err) : resolve({ stdout, stderr }),
    );
    child.stdin!.end(script);
  });
  const [want, got] = await Promise.all([pprof, runShellCli([bin, prof], script)]);
  assert.match(want.stdout, /ROUTINE =+ main\.fib\n[^]*ROUTINE =+ main\.work\n/);
  assert.match(want.stderr, /no matches found for regexp: main\\\.\n/);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(got.stdout, want.stdout);
  assert.equal(afterGreeting(got.stderr), afterGreeting(want.stderr));
});

test('disasm in the shell without go, or without the binary, says which is missing in one line', { skip }, async () => {
  const { bin, prof } = await cpuFixture();
  const noGo = await runShellCli([bin, prof], 'disasm main.fib\n', { PATH: '' });
  assert.equal(noGo.code, 0);
  assert.match(afterGreeting(noGo.stderr), /^Entering.*\ndisasm needs the go command .*; list main.fib shows the source lines with their samples\n$/);
  // The profile's mapping names a binary that is not there (fixtures/profiles/go-cpu.pb.gz was made elsewhere).
  const noBinary = await runShellCli([join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz')], 'disasm main\\.\n');
  assert.match(afterGreeting(noBinary.stderr), /^Entering.*\ndisasm needs the profiled binary to read instructions from: .* is not there \(name it before the profile\); list main\\\. shows/);
});

test('disasm --ignore leaves out the routines of ignored samples, as go tool pprof -disasm -ignore does', { skip }, async () => {
  const { bin, prof } = await cpuFixture();
  const want = (await run('go', ['tool', 'pprof', '-disasm=main\\.', '-ignore=fib', bin, prof])).stdout;
  assert.doesNotMatch(want, /main\.fib\n/);
  const r = await runCli(['disasm', 'main\\.', '--ignore', 'fib', bin, prof]);
  assert.equal(r.stdout, want);
});
