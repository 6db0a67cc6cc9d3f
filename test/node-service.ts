// Real Node services for end-to-end tests: demo/service.mjs (the proflens agent mounted on a
// node:http or Express server) started on 127.0.0.1:0, stopped by closing its standard input.

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './helpers.js';

/** NodeService is a running demo service. */
export interface NodeService {
  /** Its base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** servicePath is the demo service the README's demo and these tests run. */
export const servicePath = join(repoRoot, 'demo', 'service.mjs');

/** startNodeService starts demo/service.mjs with the given arguments and waits for its URL. */
export async function startNodeService(args: readonly string[] = []): Promise<NodeService> {
  const child = spawn(process.execPath, [servicePath, '--port', '0', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('demo service: no "listening on" line within 10 s')), 10_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1]!);
      else reject(new Error(`demo service: unexpected first line ${JSON.stringify(line)}`));
    });
    child.once('exit', (code) => reject(new Error(`demo service exited with ${code} before listening`)));
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

/** get fetches a URL and returns the status, headers and body bytes. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const r = await fetch(url, { headers, redirect: 'manual' });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}
