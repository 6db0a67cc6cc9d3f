// The local web server: a fixed set of routes and nothing else. What it serves is a WebApp the
// caller gives: static files and JSON endpoints by exact path, and optionally sub-apps mounted under
// /NAME/… that a resolver names (a trace's latency profiles, each in the pprof views). The pprof
// app (pprof-app.ts) is the page, its assets, speedscope's built files, Graphviz compiled to
// WebAssembly, the JSON endpoints and the profile download; the trace app is src/web/trace-app.ts.
//
// It binds 127.0.0.1 unless told otherwise, answers only GET and HEAD, and only requests whose Host
// header names this server; bound beyond loopback, only requests that carry its token (access.ts).
// Every page is served with a content security policy that allows scripts from this origin only,
// so a string from a profile that slipped into markup could still not run.

import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProfileError, UsageError } from '../profile/errors.js';
import { type WebAccess, isWildcard, webAccess } from './access.js';
import type { WebSession } from './session.js';

/** StaticFile is a file the server may send, with its content type. */
export interface StaticFile {
  readonly path: string;
  readonly type: string;
  /**
   * Its content, read when the app was made, for a page's own small files: sent in the turn of the
   * event loop that reads the request, where a read of the file waits for the next turn (the trace
   * server's next step of preparing the first view, 0.1–0.2 s on a 100 MB trace).
   */
  readonly body?: Uint8Array;
}

/** HandlerResult is what an endpoint answers. */
export interface HandlerResult {
  readonly type: string;
  readonly body: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

/** Handler answers one endpoint; it throws UsageError or ProfileError for what the page did wrong (400). */
export type Handler = (q: URLSearchParams) => Promise<HandlerResult>;

/**
 * WebApp is what a server serves: every route fixed when the app is made. `mount`, when given,
 * serves sub-apps at /NAME/…: NAME (letters, digits, '.', '_', '-') is handed to `mount`, which
 * returns the app for it or undefined (404), and the rest of the path is looked up in that app.
 */
export interface WebApp {
  readonly files: ReadonlyMap<string, StaticFile>;
  readonly api: ReadonlyMap<string, Handler>;
  readonly mount?: (name: string) => Promise<WebApp | undefined>;
}

/** WebServerOptions say what to serve and where. */
export interface WebServerOptions {
  /** What to serve; `session` is the shorthand for the pprof views of one WebSession. */
  readonly app?: WebApp;
  readonly session?: WebSession;
  /** Host to bind; default 127.0.0.1. */
  readonly host?: string;
  /** Port to bind; 0 (the default) lets the system pick one. */
  readonly port?: number;
  /** The token required when bound beyond loopback; default: a random one. */
  readonly token?: string;
  /** Receives errors that are not the page's fault (a bug, a file that vanished). */
  readonly onError?: (e: unknown) => void;
  /** Told of each request as it is read (the trace server holds its background steps meanwhile). */
  readonly onRequest?: () => void;
}

/** WebServer is a running server. */
export interface WebServer {
  /** The page's address, e.g. http://127.0.0.1:41234/, with `?token=…` when one is needed. */
  readonly url: string;
  /** The token requests must carry, when bound beyond loopback. */
  readonly token?: string;
  /** Set when other machines can reach the server: what to tell the user on start-up. */
  readonly warning?: string;
  close(): Promise<void>;
}

/**
 * assetsDir holds the pages' files. The package ships them as src/web/assets; the code that serves
 * them runs from dist/src/web (tsc's output) or dist/bin (the bundled executable), so they are
 * looked for in each folder up from here.
 */
export function assetsDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const assets = join(dir, 'src', 'web', 'assets');
    try {
      readdirSync(assets);
      return assets;
    } catch {
      // not here
    }
    if (dirname(dir) === dir) throw new ProfileError('web UI assets not found (src/web/assets)');
  }
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * addAssetDir adds every file of `dir` with a known type as `prefix` + its name. Only files present
 * when the app is made are served: nothing else on disk is reachable.
 */
export function addAssetDir(routes: Map<string, StaticFile>, prefix: string, dir: string): void {
  for (const name of readdirSync(dir)) {
    const ext = /\.[a-z0-9]+$/.exec(name)?.[0] ?? '';
    const type = types[ext];
    if (type) routes.set(prefix + name, { path: join(dir, name), type });
  }
}

/** contentType is the type the server sends a file of that extension ('.html') with. */
export const contentType = (ext: string): string => types[ext] ?? 'application/octet-stream';

const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "font-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** startWebServer binds the server and resolves once it is listening. */
export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const app = o.app ?? (o.session ? (await import('./pprof-app.js')).pprofApp(o.session) : undefined);
  if (!app) throw new Error('startWebServer: nothing to serve (app or session)');
  const host = o.host === undefined || o.host === '' ? '127.0.0.1' : o.host;
  let access: WebAccess | undefined;

  const server = createServer((req, res) => {
    o.onRequest?.();
    handle(req, res).catch((e: unknown) => {
      o.onError?.(e);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Nothing is answered before the server knows its address.
    const verdict = access?.check(req, url) ?? { ok: false, status: 421, reason: 'unknown host' };
    if (!verdict.ok) return send(res, verdict.status, 'text/plain; charset=utf-8', `${verdict.reason}\n`);
    if (verdict.setCookie) res.setHeader('Set-Cookie', verdict.setCookie);
    const route = await findRoute(app!, url.pathname);
    if (route === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    try {
      if ('path' in route) return send(res, 200, route.type, route.body ?? (await readFile(route.path)), { 'Cache-Control': 'no-cache' });
      const r = await route(url.searchParams);
      return send(res, 200, r.type, r.body, { 'Cache-Control': 'no-store', ...r.headers });
    } catch (e) {
      // Bad parameters and profiles the filters empty are the page's to show; anything else is a bug.
      if (e instanceof UsageError || e instanceof ProfileError) return send(res, 400, 'application/json; charset=utf-8', JSON.stringify({ error: e.message }));
      throw e;
    }
  }

  /** findRoute looks a path up in the app, or in the sub-app its first segment names. */
  async function findRoute(a: WebApp, path: string): Promise<StaticFile | Handler | undefined> {
    const found = a.files.get(path) ?? a.api.get(path);
    if (found !== undefined || !a.mount) return found;
    const m = /^\/([A-Za-z0-9._-]{1,64})(\/.*)$/.exec(path);
    if (!m || m[1] === '.' || m[1] === '..') return undefined;
    const sub = await a.mount(m[1]!);
    return sub && findRoute(sub, m[2]!);
  }

  function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...securityHeaders, ...headers });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new ProfileError(`cannot listen on ${host}:${o.port ?? 0}: ${e.code === 'EADDRINUSE' ? 'address in use' : e.message}`, { cause: e })),
    );
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const { address: bound, port } = server.address() as AddressInfo;
  access = webAccess(bound, port, host, o.token);
  const token = access.token;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/${token === undefined ? '' : `?token=${token}`}`,
    ...(token !== undefined && {
      token,
      warning:
        `serving on ${isWildcard(bound) ? `every network interface (${shown})` : shown}, beyond this machine: ` +
        'anyone who can reach it and has the URL with its token can read the profile and the source files it names',
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
