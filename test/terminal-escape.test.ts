// Names from a profile are untrusted: a function named "\x1b]0;…\x07" retitles a terminal,
// "\x1b[2J" clears it. On a terminal proflens shows control characters and bytes that are not
// UTF-8 escaped as Go's %q does; piped, it writes them byte for byte, as go tool pprof does.
// The terminal is a pseudo-terminal made by script(1) (util-linux), skipped where it is missing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { encodeProfileProto } from '../src/profile/encode.js';
import { parseProfile } from '../src/profile/parse.js';
import { hasGo } from './go-fixture.js';
import { repoRoot, scratchDir } from './helpers.js';

const run = promisify(execFile);
const proflens = join(repoRoot, 'dist', 'bin', 'proflens.js');
const scriptPath = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

// Retitles the terminal (OSC 0 … BEL), clears it (CSI 2J), then two bytes that are not UTF-8.
const hostile = Buffer.concat([Buffer.from('\x1b]0;pwned\x07\x1b[2J'), Buffer.from([0xff, 0xfe]), Buffer.from('main.evil')]);
const escaped = '\\x1b]0;pwned\\a\\x1b[2J\\xff\\xfemain.evil';

/** A real heap profile whose main.fillCache is renamed to the hostile bytes, written as they are. */
function hostileProfile(): string {
  const src = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
  const p = parseProfile(readFileSync(src), src);
  const placeholder = 'Z'.repeat(hostile.length);
  const raw = Buffer.from(encodeProfileProto({ ...p, strings: p.strings.map((s) => (s === 'main.fillCache' ? placeholder : s)) }));
  const at = raw.indexOf(placeholder);
  assert.ok(at > 0 && raw.indexOf(placeholder, at + 1) < 0);
  hostile.copy(raw, at);
  const file = join(scratchDir('tty-escape'), 'hostile.pb.gz');
  writeFileSync(file, gzipSync(raw));
  return file;
}
const file = hostileProfile();
const env = { ...process.env, TZ: 'UTC', TERM: 'xterm', PROFLENS_HISTORY: '' };

test('piped, the name is written byte for byte', async () => {
  const { stdout } = await run(process.execPath, [proflens, 'top', file], { encoding: 'buffer', env });
  assert.ok(stdout.includes(hostile), 'the hostile bytes, unchanged');
  assert.ok(!stdout.includes(Buffer.from('\uFFFD')), 'no replacement character');
});

test('piped, the bytes are those go tool pprof writes', { skip: !hasGo && 'go is not installed' }, async () => {
  const dir = scratchDir('tty-escape-go');
  const goEnv = { ...env, HOME: dir, PPROF_TMPDIR: dir };
  const noTime = (b: Buffer): string => b.toString('latin1').replace(/^Time: .*\n/m, '');
  for (const view of ['-top', '-traces', '-tree']) {
    const want = await run('go', ['tool', 'pprof', '-symbolize=none', view, file], { encoding: 'buffer', env: goEnv });
    const got = await run(process.execPath, [proflens, view, file], { encoding: 'buffer', env });
    assert.equal(noTime(got.stdout), noTime(want.stdout), view);
  }
});

/** onTerminal runs a command line on a pseudo-terminal and returns what the terminal received. */
async function onTerminal(command: string, input = ''): Promise<string> {
  const child = execFile(scriptPath!, ['-q', '-e', '-c', command, '/dev/null'], { encoding: 'latin1', env, timeout: 30_000 });
  child.stdin!.end(input);
  let out = '';
  child.stdout!.on('data', (d: string) => (out += d));
  await new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}: ${out}`)))));
  return out;
}

test('on a terminal, control characters and bytes that are not UTF-8 are escaped', { skip: scriptPath ? false : 'script(1) is not installed' }, async () => {
  const out = await onTerminal(`${quote(process.execPath)} ${quote(proflens)} top ${quote(file)}`);
  assert.ok(out.includes(escaped), out);
  assert.ok(!out.includes('\x1b'), 'no escape character reaches the terminal');
  assert.ok(!/[\xfe\xff]/.test(out), 'no byte that is not UTF-8');
  assert.match(out, /^ +\S+ +\S+% +\S+% +\S+ +\S+% +\\x1b\]0;pwned\\a/m, 'in the name column, as one name');
});

test('on a terminal, the shell escapes its reports too', { skip: scriptPath ? false : 'script(1) is not installed' }, async () => {
  const out = await onTerminal(`${quote(process.execPath)} ${quote(proflens)} ${quote(file)}`, 'top\nquit\n');
  assert.ok(out.includes(escaped), out);
  // readline draws with escape sequences of its own; the name's must not be among them.
  assert.ok(!out.includes('\x1b]0;pwned') && !out.includes('\x1b[2J'), 'the name is not written raw');
});
