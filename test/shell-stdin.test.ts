// `proflens - < heap.pb.gz` (issue 15.14): the profile on standard input, the shell's commands
// from the terminal (/dev/tty) as pprof reads them; with no terminal, one line saying so at once.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers.js';
import { shellQuote, tmuxPath, tmuxSession } from './tmux-session.js';

const proflens = join(repoRoot, 'dist', 'bin', 'proflens.js');
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');

test('with no terminal, the shell on standard input refuses in one line', { skip: process.platform === 'win32' && 'no /dev/tty' }, async () => {
  // detached: a session of its own, so no controlling terminal even when the tests run in one.
  const child = spawn(process.execPath, [proflens, '-'], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdin.end(readFileSync(heap));
  const timer = setTimeout(() => child.kill(), 15_000);
  const code = await new Promise((r) => child.on('close', r));
  clearTimeout(timer);
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.equal(
    err,
    'proflens: -: the profile comes on standard input, so the shell reads its commands from the terminal, and there is none; give a view (proflens top -) or save the profile to a file first\n',
  );
});

test('on a terminal: the profile from standard input, commands from the terminal', { skip: tmuxPath ? false : 'tmux is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-stdin-tty-'));
  const { tmux, waitFor, kill } = tmuxSession(dir);
  try {
    // The exit status is printed, and the pane kept a while, so that the test can read it.
    const cmd = `env TZ=UTC TERM=xterm PROFLENS_HISTORY= ${shellQuote(process.execPath)} ${shellQuote(proflens)} - < ${shellQuote(heap)}; echo "exit=$?"; sleep 30`;
    tmux('new-session', '-d', '-x', '150', '-y', '50', '-s', 'shell', cmd);
    let s = await waitFor(/\(pprof\)$/);
    assert.match(s, /^File: heap\nType: inuse_space\nTime: .*\nEntering interactive mode \(type "help" for commands, "o" for options\)\n\(pprof\)$/);
    tmux('send-keys', '-t', 'shell', 'top 2', 'Enter');
    s = await waitFor(/Showing top 2 nodes out of \d+[\s\S]*main\.allocateBig[\s\S]*\n\(pprof\)$/);
    tmux('send-keys', '-t', 'shell', 'q', 'Enter');
    s = await waitFor(/exit=\d+$/);
    assert.match(s, /\(pprof\) q\nexit=0$/);
  } finally {
    kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
