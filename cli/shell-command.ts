// `proflens <source...>` (also `proflens shell <source...>`): load the profile once, then the
// interactive `(pprof)` shell on it. main.ts imports this file only when the shell is asked for,
// and this file imports the shell only then, so `proflens top` loads none of it.

import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadProfile } from '../src/driver/driver.js';
import { UsageError } from '../src/profile/errors.js';
import { type SourceFlags, configFromFlags, loadOptions, withProgress } from './options.js';
import { openCommandTerminal } from './command-terminal.js';
import { didYouMean } from './suggest.js';
import { type WebIO, openOrSay, withPage } from './web-command.js';
import { textWriter } from './terminal-text.js';

/** historyEnv names the variable that moves the history file (empty: keep no history). */
export const historyEnv = 'PROFLENS_HISTORY';

/** historyPath is where the shell keeps its history: $PROFLENS_HISTORY, else ~/.proflens_history. */
export function historyPath(env: NodeJS.ProcessEnv): string | undefined {
  const set = env[historyEnv];
  if (set !== undefined) return set === '' ? undefined : set;
  const home = env.HOME || homedir();
  return home ? join(home, '.proflens_history') : undefined;
}

/**
 * mistypedCommand tells whether the first word, taken for a source because it names no command,
 * is more likely a mistyped command (`proflens tpo heap.pb.gz`): a bare word that is no file.
 * pprof would fetch it as http://tpo/…; a host is still reachable as `tpo:80` or a URL.
 */
async function mistypedCommand(word: string): Promise<boolean> {
  if (!/^[A-Za-z][\w-]*$/.test(word)) return false;
  try {
    await stat(word);
    return false;
  } catch {
    return true;
  }
}

/** runShellCommand loads the sources and runs the shell on them until the user leaves. */
export async function runShellCommand(
  io: WebIO,
  sources: string[],
  flags: Parameters<typeof configFromFlags>[0] & SourceFlags & { browser?: boolean },
  commands: readonly string[] = [],
): Promise<void> {
  if (await mistypedCommand(sources[0]!)) {
    throw new UsageError(`unknown command '${sources[0]}'${didYouMean(sources[0]!, commands) || ' (see proflens --help)'}`);
  }
  const cfg = configFromFlags(flags);
  // pprof takes the binary before the profiles (`go tool pprof BINARY PROFILE`); disasm reads it.
  const { splitBinary } = await import('../src/binutils/disasm-profile.js');
  const { binary, profiles } = await splitBinary(sources);
  sources = profiles;
  // A profile on standard input leaves the terminal itself for commands.
  const profileOnStdin = [...sources, ...(flags.base ?? []), ...(flags.diffBase ?? [])].includes('-');
  const terminal = !io.stdin && profileOnStdin ? openCommandTerminal() : undefined;
  const profile = await withProgress(io, (progress) => loadProfile(sources, { ...loadOptions(flags, io), ...progress })).catch((e: unknown) => {
    terminal?.destroy();
    throw e;
  });
  const { runShell } = await import('../src/repl/shell.js');
  const { writeFileWhole } = await import('../src/fetch/write-file.js');
  // A test hands its own input and captures output through io.stdout; a real run talks to the
  // terminal directly, so that readline can edit lines and complete.
  // Strings reach io.stdout as they are (decodeStrings: false), bytes kept from a profile included.
  const streams = io.stdin
    ? { input: io.stdin, output: new Writable({ decodeStrings: false, write: (chunk: Buffer | string, _enc, done) => (io.stdout(chunk.toString()), done()) }) }
    : { input: terminal ?? process.stdin, output: process.stdout, report: textWriter(process.stdout) };
  const history = historyPath(io.env ?? process.env);
  const servers: { close(): Promise<void> }[] = [];
  try {
    await runShell(profile, { ...cfg, ...(typeof flags.output === 'string' && { output: flags.output }) }, {
      io: { ...streams, message: io.stderr },
      ...(history !== undefined && { historyFile: history }),
      writeFile: io.writeFile ?? writeFileWhole,
      ...(binary !== undefined && { binary }),
      ...(io.env !== undefined && { env: io.env }),
      // `web` serves the shell's current profile and settings, as pprof's shell does; each server
      // lives until the shell ends.
      web: async ({ profile: p, config, page = '' }) => {
        const [{ WebSession }, { startWebServer }] = await Promise.all([import('../src/web/session.js'), import('../src/web/server.js')]);
        const server = await startWebServer({
          session: new WebSession({ profile: p, config, title: sources.join(' ') }),
          host: '127.0.0.1',
          port: 0,
          onError: (e) => io.stderr(`proflens: web: ${e instanceof Error ? e.message : String(e)}\n`),
        });
        servers.push(server);
        const url = withPage(server.url, page);
        if (flags.browser !== false) await openOrSay(io, url, 'proflens: web', 'open the address below in a browser');
        return `Serving web UI on ${url}`;
      },
    });
  } finally {
    terminal?.destroy();
    await Promise.all(servers.map((s) => s.close()));
  }
}
