// Starting a service program (the demo's, or a Go fixture in a test): spawn it, wait for its one
// line `listening on URL`, and give back a way to stop it. Its stdin stays an open pipe: these
// programs exit when it closes, so whoever started one can never leave it running.

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** ServiceProcess is a running service and its base URL. */
export interface ServiceProcess {
  /** Its base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** startService runs `command args…` and resolves once it says where it listens. */
export async function startService(name: string, command: string, args: readonly string[]): Promise<ServiceProcess> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
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
