// Real Go services for end-to-end tests: the programs of fixtures/go built once per test process
// and started in their `-http 127.0.0.1:0` mode, serving net/http/pprof on a free loopback port.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './helpers.js';

/** hasGo tells whether a Go toolchain is installed (CI installs Debian's golang-go). */
export const hasGo = ((): boolean => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const binDir = mkdtempSync(join(tmpdir(), 'proflens-go-'));
const built = new Set<string>();

/** GoService is a running fixture program. */
export interface GoService {
  /** Its base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** startGoFixture builds (once) and starts fixtures/go/cmd/<name> serving on 127.0.0.1:0. */
export async function startGoFixture(name: string): Promise<GoService> {
  const bin = join(binDir, name);
  if (!built.has(name)) {
    execFileSync('go', ['build', '-o', bin, `./cmd/${name}`], { cwd: join(repoRoot, 'fixtures', 'go'), stdio: ['ignore', 'ignore', 'inherit'] });
    built.add(name);
  }
  // stdin stays open as a pipe: the program exits when it closes, so it cannot outlive the test.
  const child = spawn(bin, ['-http', '127.0.0.1:0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${name}: no "listening on" line within 10 s`)), 10_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1]!);
      else reject(new Error(`${name}: unexpected first line ${JSON.stringify(line)}`));
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
  });
  return {
    url,
    process: child,
    stop: async () => {
      child.stdin!.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
