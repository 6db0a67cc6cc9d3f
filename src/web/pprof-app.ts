// The pprof views as a WebApp: the page and its assets, speedscope's built files, Graphviz compiled
// to WebAssembly, the JSON endpoints of one WebSession and the filtered profile's download. The
// page asks for everything by paths relative to itself, so the same app also serves under a prefix
// (the trace UI mounts a latency profile's views at /pprof-sync/…).

import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Handler, type StaticFile, type WebApp, addAssetDir, assetsDir, contentType } from './server.js';
import type { WebSession } from './session.js';

const require = createRequire(import.meta.url);

/** pprofFiles lists the files the pprof page needs; the same for every session, so made once. */
let pprofFiles: Map<string, StaticFile> | undefined;

function staticRoutes(): Map<string, StaticFile> {
  if (pprofFiles) return pprofFiles;
  const routes = new Map<string, StaticFile>();
  const ui = assetsDir();
  addAssetDir(routes, '/ui/', ui);
  routes.set('/', { path: join(ui, 'index.html'), type: contentType('.html') });
  const speedscopeDir = join(dirname(require.resolve('speedscope/package.json')), 'dist', 'release');
  const icon = readdirSync(speedscopeDir).find((n) => n.startsWith('favicon-') && n.endsWith('.ico'));
  addAssetDir(routes, '/speedscope/', speedscopeDir);
  if (icon) routes.set('/favicon.ico', { path: join(speedscopeDir, icon), type: contentType('.ico') });
  routes.set('/vendor/viz.js', { path: join(dirname(require.resolve('@viz-js/viz')), 'viz.js'), type: contentType('.js') });
  pprofFiles = routes;
  return routes;
}

/** json answers a value as JSON. */
export const jsonResult = (v: unknown): { type: string; body: string } => ({ type: 'application/json; charset=utf-8', body: JSON.stringify(v) });

function apiRoutes(s: WebSession): Map<string, Handler> {
  return new Map<string, Handler>([
    ['/api/meta', async () => jsonResult(s.meta())],
    ['/api/top', async (q) => jsonResult(await s.top(q))],
    ['/api/peek', async (q) => jsonResult(await s.peek(q))],
    ['/api/source', async (q) => jsonResult(await s.source(q))],
    ['/api/graph', async (q) => jsonResult(await s.graph(q))],
    ['/api/flame', async (q) => ({ type: 'application/json; charset=utf-8', body: await s.flame(q) })],
    ['/api/functions', async (q) => jsonResult(await s.functions(q))],
    ['/api/compare', async (q) => jsonResult((await s.compare(q)) ?? { error: 'no base profile was given (--base FILE)' })],
    ['/api/diff', async (q) => jsonResult((await s.diff(q)) ?? { error: 'no base profile was given (--base FILE)' })],
    [
      '/download/profile.pb.gz',
      async (q) => ({
        type: 'application/octet-stream',
        body: await s.download(q),
        headers: { 'Content-Disposition': 'attachment; filename="profile.pb.gz"' },
      }),
    ],
  ]);
}

/** pprofApp serves the pprof views of one session. */
export function pprofApp(s: WebSession): WebApp {
  return { files: staticRoutes(), api: apiRoutes(s) };
}
