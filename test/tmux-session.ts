// A tmux server of a test's own (its own socket, no user configuration) that runs one command
// on a pseudo-terminal: keys are typed into it and the screen is read back.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** tmuxPath is where tmux is installed, if it is. */
export const tmuxPath = ['/usr/bin/tmux', '/usr/local/bin/tmux', '/opt/homebrew/bin/tmux'].find((p) => existsSync(p));

/** shellQuote quotes a word for sh. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** TmuxSession drives the tmux server whose socket is in `dir`; its one session is called `shell`. */
export interface TmuxSession {
  /** Runs a tmux command on this server. */
  tmux(...args: string[]): string;
  /** The screen, trailing blanks of lines and of the screen left out. */
  screen(): string;
  /** Polls the screen until it matches (15 s at most), and returns it. */
  waitFor(re: RegExp): Promise<string>;
  /** Whether the session is still running. */
  running(): boolean;
  /** Stops the server, if it has not ended with its last session. */
  kill(): void;
}

/** tmuxSession makes a server with its socket in `dir` (nothing runs until `new-session`). */
export function tmuxSession(dir: string): TmuxSession {
  const socket = join(dir, 'tmux.sock');
  const tmux = (...args: string[]): string => execFileSync(tmuxPath!, ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const screen = (): string =>
    tmux('capture-pane', '-p', '-t', 'shell')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trimEnd();
  return {
    tmux,
    screen,
    async waitFor(re: RegExp): Promise<string> {
      const until = Date.now() + 15_000;
      for (;;) {
        const s = screen();
        if (re.test(s)) return s;
        if (Date.now() > until) assert.fail(`screen never matched ${re}:\n${s}`);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
    running(): boolean {
      try {
        tmux('has-session', '-t', 'shell');
        return true;
      } catch {
        return false;
      }
    },
    kill(): void {
      try {
        tmux('kill-server');
      } catch {
        // Already gone with its last session.
      }
    },
  };
}
