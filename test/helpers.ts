// Shared test helpers: run the CLI in-process and capture what it prints.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { type CliIO, main } from '../cli/main.js';

/** repoRoot is the project's top folder (tests run from dist/test). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** sharedDir is ../shared beside the project. */
export const sharedDir = join(repoRoot, '..', 'shared');

/** RunResult is what one in-process run of the CLI printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** runCli runs proflens in-process with the given arguments. */
export async function runCli(args: string[], stdin?: Uint8Array, io: Partial<CliIO> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    ...(stdin && { readStdin: async () => stdin }),
    ...io,
  });
  return { code, stdout, stderr };
}

/** splitFlags splits a cases.tsv flags column into arguments. */
export function splitFlags(flags: string): string[] {
  return flags.split(/\s+/).filter((s) => s !== '');
}

/** runShellCli runs proflens in-process with a script on the shell's input; no history is kept. */
export async function runShellCli(args: string[], script: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const { Readable } = await import('node:stream');
  return runCli(args, undefined, { stdin: Readable.from([script]), env: { ...process.env, PROFLENS_HISTORY: '', ...env } });
}

const scratch = new Set<string>();
process.on('exit', () => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** scratchDir makes an empty temporary folder that is removed when the test process exits. */
export function scratchDir(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `proflens-${name}-`));
  scratch.add(d);
  return d;
}

/** servedUrl is the first http://127.0.0.1:PORT/ a spawned proflens prints, or an error when it exits first. */
export function servedUrl(child: import('node:child_process').ChildProcessWithoutNullStreams | import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}
