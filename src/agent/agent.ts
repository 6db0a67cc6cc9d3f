// The agent: what net/http/pprof and expvar give a Go service, for a Node service. One request
// handler answers /debug/pprof/… and /debug/vars wherever it is mounted (node:http, Express,
// Fastify, Koa), or listen() serves it on its own port. Nothing here may hurt the host: every
// error is caught and answered (or reported through onError), and profiling waits on timers.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { varsDocument } from '../vars/document.js';
import type { Registry } from '../vars/registry.js';
import { RuntimeMonitor } from '../vars/runtime-stats.js';
import { checkAccess } from './access.js';
import { indexPage } from './index-page.js';
import { type AgentOptions, type Settings, settingsFrom } from './options.js';
import { Busy, HeapProfiler, SourceMaps, cpuProfile, profiler } from './profilers.js';
import { serveError, serveProfile } from './respond.js';

/** The request a handler receives: node's, with the original URL Express keeps when mounted. */
type AgentRequest = http.IncomingMessage & { originalUrl?: string };

/** Agent is a running agent: its handler, its variables, and a way to stop it. */
export interface Agent {
  /**
   * handle answers the request when its path is under /debug/pprof or is /debug/vars, and
   * returns true; otherwise it calls next (when given, as Express middleware) and returns false.
   */
  readonly handle: (req: http.IncomingMessage, res: http.ServerResponse, next?: (err?: unknown) => void) => boolean;
  /** The registry whose variables /debug/vars serves. */
  readonly registry: Registry;
  /** close stops the heap profiler and the runtime watchers this agent started. */
  close(): void;
}

/** Route is what a request asks for. */
type Route = { readonly kind: 'index' | 'redirect' | 'profile' | 'heap' | 'cmdline' | 'vars' | 'unknown'; readonly path: string; readonly query: URLSearchParams };

/** createAgent starts the heap profiler and the runtime watchers and returns the handler. */
export function createAgent(options: AgentOptions = {}): Agent {
  // Without the profiling package there is no agent: say so here, before anything starts.
  profiler();
  const s = settingsFrom(options);
  const monitor = new RuntimeMonitor();
  monitor.start((e) => s.onError(asError(e)));
  const heapProfiler = new HeapProfiler(s);
  heapProfiler.start();
  const maps = new SourceMaps(s);
  const builtins = new Map<string, () => unknown>([
    ['cmdline', () => process.argv],
    ['memstats', () => monitor.memstats()],
    ['node', () => monitor.node()],
  ]);

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse, route: Route): Promise<void> => {
    const verdict = checkAccess(req, s.token);
    if (!verdict.ok) {
      return serveError(res, verdict.status, verdict.reason, verdict.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="proflens agent"' } : {});
    }
    switch (route.kind) {
      case 'redirect':
        res.writeHead(301, { Location: route.path + '/' }).end();
        return;
      case 'index':
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(indexPage());
        return;
      case 'cmdline':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(process.argv.join('\x00'));
        return;
      case 'vars': {
        const doc = varsDocument({ builtins, registry: s.registry });
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(doc) }).end(doc);
        return;
      }
      case 'profile':
        return serveCpuProfile(req, res, route.query, s, maps);
      case 'heap':
        return serveHeapProfile(res, route.query, heapProfiler, maps);
      case 'unknown':
        return serveError(res, 404, 'Unknown profile');
    }
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, next?: (err?: unknown) => void): boolean => {
    const route = routeOf(req as AgentRequest);
    if (!route) {
      next?.();
      return false;
    }
    serve(req, res, route).catch((e: unknown) => {
      s.onError(asError(e));
      try {
        serveError(res, 500, `proflens agent: ${asError(e).message}`);
      } catch {
        res.destroy();
      }
    });
    return true;
  };

  return {
    handle,
    registry: s.registry,
    close: () => {
      heapProfiler.stop();
      monitor.stop();
    },
  };
}

/** routeOf finds the agent's path in the request (req.url, or Express's originalUrl when mounted). */
function routeOf(req: AgentRequest): Route | undefined {
  for (const raw of [req.url, req.originalUrl]) {
    if (raw === undefined || !raw.startsWith('/debug/')) continue;
    let u: URL;
    try {
      u = new URL(raw, 'http://agent');
    } catch {
      continue;
    }
    const path = u.pathname;
    const query = u.searchParams;
    if (path === '/debug/vars') return { kind: 'vars', path, query };
    if (path === '/debug/pprof') return { kind: 'redirect', path, query };
    if (!path.startsWith('/debug/pprof/')) continue;
    const name = path.slice('/debug/pprof/'.length);
    const kind = name === '' ? 'index' : name === 'profile' || name === 'heap' || name === 'cmdline' ? name : 'unknown';
    return { kind, path, query };
  }
  return undefined;
}

/** serveCpuProfile checks `seconds`, takes the profile, and stops early if the client leaves. */
async function serveCpuProfile(req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams, s: Settings, maps: SourceMaps): Promise<void> {
  const given = q.get('seconds');
  let seconds = 30;
  if (given !== null) {
    seconds = /^\s*\d+(\.\d+)?\s*$/.test(given) ? Number(given) : NaN;
    if (!(seconds > 0)) return serveError(res, 400, 'invalid value for "seconds" - must be a positive number');
    if (seconds > s.maxProfileSeconds) {
      return serveError(res, 400, `profile duration of ${seconds} seconds exceeds the agent's limit of ${s.maxProfileSeconds} seconds`);
    }
  }
  const gone = new AbortController();
  const onClose = (): void => {
    if (!res.writableEnded) gone.abort();
  };
  res.once('close', onClose);
  req.once('aborted', onClose);
  let body: Uint8Array | undefined;
  try {
    body = await cpuProfile(s, maps, seconds * 1000, gone.signal);
  } catch (e) {
    if (e instanceof Busy) return serveError(res, 409, `Could not enable CPU profiling: ${e.message}`);
    return serveError(res, 500, `Could not enable CPU profiling: ${asError(e).message}`);
  } finally {
    res.off('close', onClose);
    req.off('aborted', onClose);
  }
  if (body) serveProfile(res, 'profile', body);
}

/** serveHeapProfile answers with the live heap now; `seconds` (Go's delta profiles) is refused. */
async function serveHeapProfile(res: http.ServerResponse, q: URLSearchParams, heap: HeapProfiler, maps: SourceMaps): Promise<void> {
  if (q.has('seconds')) return serveError(res, 400, '"seconds" parameter is not supported for this profile type');
  const debug = q.get('debug');
  if (debug !== null && debug !== '0') return serveError(res, 400, 'debug output is not supported: the agent serves heap profiles as pprof protobuf only');
  if (Number(q.get('gc')) > 0 && typeof globalThis.gc === 'function') globalThis.gc();
  let body: Uint8Array;
  try {
    body = await heap.profile(maps);
  } catch (e) {
    return serveError(res, 500, `Could not read the heap profile: ${asError(e).message}`);
  }
  serveProfile(res, 'heap', body);
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** ListenOptions say where a standalone agent listens; the rest configures the agent. */
export interface ListenOptions extends AgentOptions {
  /** Port to listen on (default 6060, Go's custom; 0 picks a free one). */
  readonly port?: number;
  /** Address to bind (default 127.0.0.1: only this machine can connect). */
  readonly host?: string;
}

/** AgentServer is a standalone agent listening on its own port. */
export interface AgentServer {
  /** Base URL, e.g. http://127.0.0.1:6060. */
  readonly url: string;
  readonly port: number;
  readonly agent: Agent;
  readonly server: http.Server;
  /** close stops listening and stops the agent. */
  close(): Promise<void>;
}

/** listen starts an agent on its own HTTP server and resolves once it is listening. */
export async function listen(options: ListenOptions = {}): Promise<AgentServer> {
  const { port = 6060, host = '127.0.0.1', ...agentOptions } = options;
  const agent = createAgent(agentOptions);
  const server = http.createServer((req, res) => {
    if (!agent.handle(req, res)) serveError(res, 404, '404 page not found');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    agent.close();
    throw e;
  }
  // Keep-alive connections must not keep a closing server (and the process) alive.
  server.on('error', (e) => agentOptions.onError?.(e));
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}`,
    port: addr.port,
    agent,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        agent.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
