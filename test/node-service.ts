// Real Node services for end-to-end tests: demo/service.mjs (the proflens agent mounted on a
// node:http or Express server) started on 127.0.0.1:0, stopped by closing its standard input.

import { join } from 'node:path';
import { repoRoot } from './helpers.js';
import { type ServiceProcess, startService } from '../demo/service-process.js';

/** NodeService is a running demo service. */
export type NodeService = ServiceProcess;

/** servicePath is the demo service the README's demo and these tests run. */
export const servicePath = join(repoRoot, 'demo', 'service.mjs');

/** startNodeService starts demo/service.mjs with the given arguments and waits for its URL. */
export async function startNodeService(args: readonly string[] = []): Promise<NodeService> {
  return startService('demo service', process.execPath, [servicePath, '--port', '0', ...args]);
}

/** get fetches a URL and returns the status, headers and body bytes. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const r = await fetch(url, { headers, redirect: 'manual' });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}
