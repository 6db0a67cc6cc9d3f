// Shell completion (issue 21.4): the bash script is sourced in a real bash and run as bash runs
// it on Tab (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT set as bash sets them, `=` a word of
// its own); it calls back the real executable. Sample types and function names are those of the
// fixtures' Go programs (fixtures/go/cmd/*/main.go) and of Go's heap profile, read by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const bin = join(repoRoot, 'dist', 'bin', 'proflens.js');
const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * bashComplete presses Tab in bash after `line` (the cursor at its end unless `rest` follows it)
 * and returns COMPREPLY. words are bash's split of the whole line, cword the index of the word
 * at the cursor.
 */
async function bashComplete(cwd: string, words: string[], cword: number, line: string, rest = ''): Promise<string[]> {
  const script = [
    `proflens() { ${quote(process.execPath)} ${quote(bin)} "$@"; }`,
    'source <(proflens completion bash)',
    `COMP_WORDS=(${words.map(quote).join(' ')}); COMP_CWORD=${cword}`,
    `COMP_LINE=${quote(line + rest)}; COMP_POINT=${line.length}`,
    '_proflens',
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('\n');
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd });
  return stdout.split('\n').filter((l) => l !== '');
}

test('bash: commands, then options in both spellings', async () => {
  const cwd = scratchDir('complete-bash');
  assert.deepEqual(await bashComplete(cwd, ['proflens', 'to'], 1, 'proflens to'), ['top', 'topproto']);
  assert.deepEqual(await bashComplete(cwd, ['proflens', 'top', '--nodec'], 2, 'proflens top --nodec'), ['--nodecount']);
  assert.deepEqual(await bashComplete(cwd, ['proflens', '-sample_ind'], 1, 'proflens -sample_ind'), ['-sample_index']);
  assert.deepEqual(await bashComplete(cwd, ['proflens', 'completion', ''], 2, 'proflens completion '), ['bash', 'zsh', 'fish']);
});

test('bash: sample types and function names of the profile on the line', async () => {
  const cwd = scratchDir('complete-names');
  const types = await bashComplete(cwd, ['proflens', 'top', heap, '--sample-index', ''], 4, `proflens top ${heap} --sample-index `);
  assert.deepEqual(types, ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
  // `--focus=main.f`: bash makes `=` a word; the profile comes after the cursor.
  const line = 'proflens top --focus=main.f';
  const focus = await bashComplete(cwd, ['proflens', 'top', '--focus', '=', 'main.f', cpu], 4, line, ` ${cpu}`);
  assert.deepEqual(focus, ['main.fib', 'main.main.func1']);
  const list = await bashComplete(cwd, ['proflens', 'list', 'hash', cpu], 2, 'proflens list hash', ` ${cpu}`);
  assert.deepEqual(list, ['main.hashLoop']);
});

test('bash: sources complete to files', async () => {
  const cwd = scratchDir('complete-files');
  writeFileSync(join(cwd, 'heap.pb.gz'), '');
  assert.deepEqual(await bashComplete(cwd, ['proflens', 'top', 'he'], 2, 'proflens top he'), ['heap.pb.gz']);
  // The first word is a command or a source (the shell): `he` is both the heap command and the file.
  assert.deepEqual(await bashComplete(cwd, ['proflens', 'he'], 1, 'proflens he'), ['heap', 'heap.pb.gz']);
});

test('completion zsh and fish: scripts calling back __complete; an unknown shell is a usage error', async () => {
  for (const shell of ['zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /proflens __complete /);
  }
  const bad = await runCli(['completion', 'tcsh']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^proflens: .*tcsh.*bash, zsh, fish/);
});
