// The shell on a real terminal: tmux gives it a pseudo-terminal, keys are typed into it and the
// screen is read back. Checks the prompt, tab completion of commands and function names, and
// history kept between runs. Skipped (visibly) where tmux is missing; .ci/run installs it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';
import { shellQuote as quote, tmuxPath, tmuxSession } from './tmux-session.js';

const proflens = join(repoRoot, 'dist', 'bin', 'proflens.js');
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');

test('on a terminal: prompt, tab completion, history between runs', { skip: tmuxPath ? false : 'tmux is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-tty-'));
  // A server of our own (its own socket, no user configuration), killed at the end.
  const { tmux, waitFor, running, kill } = tmuxSession(dir);
  const history = join(dir, 'history');
  const start = (): void => {
    const cmd = `env TZ=UTC TERM=xterm PROFLENS_HISTORY=${quote(history)} ${quote(process.execPath)} ${quote(proflens)} ${quote(heap)}`;
    tmux('new-session', '-d', '-x', '150', '-y', '50', '-s', 'shell', cmd);
  };
  try {
    start();
    let s = await waitFor(/\(pprof\)$/);
    assert.match(s, /^File: heap\nType: inuse_space\nTime: .*\nEntering interactive mode \(type "help" for commands, "o" for options\)\n\(pprof\)$/);
    // The prompt is `(pprof) `: the cursor waits one space after it.
    assert.equal(tmux('display-message', '-p', '-t', 'shell', '#{cursor_x}').trim(), String('(pprof) '.length));

    // A command completes from its prefix…
    tmux('send-keys', '-t', 'shell', 'tre', 'Tab');
    s = await waitFor(/\(pprof\) tree$/);
    tmux('send-keys', '-t', 'shell', ' 3', 'Enter');
    s = await waitFor(/\+-{10,}\n\(pprof\)$/);
    // …a function name from a part of it, and the view runs on it.
    tmux('send-keys', '-t', 'shell', 'list fillC', 'Tab');
    s = await waitFor(/\(pprof\) list main\.fillCache$/);
    tmux('send-keys', '-t', 'shell', 'Enter');
    s = await waitFor(/ROUTINE =+ main\.fillCache[\s\S]*\n\(pprof\)$/);
    tmux('send-keys', '-t', 'shell', 'q', 'Enter');
    const until = Date.now() + 10_000;
    while (running() && Date.now() < until) await new Promise((r) => setTimeout(r, 30));
    assert.equal(running(), false, 'q leaves the shell');
    assert.equal(readFileSync(history, 'utf8'), 'tree 3\nlist main.fillCache\nq\n');

    // The next run recalls the last command with the up arrow.
    start();
    await waitFor(/\(pprof\)$/);
    tmux('send-keys', '-t', 'shell', 'Up', 'Up');
    await waitFor(/\(pprof\) list main\.fillCache$/);
    // Ctrl-D on an empty line leaves too.
    tmux('send-keys', '-t', 'shell', 'C-u', 'C-d');
    const until2 = Date.now() + 10_000;
    while (running() && Date.now() < until2) await new Promise((r) => setTimeout(r, 30));
    assert.equal(running(), false, 'Ctrl-D leaves the shell');
  } finally {
    kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
