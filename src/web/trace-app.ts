// The trace web UI as a WebApp (server.ts serves it): the trace page and its assets, the JSON
// endpoints of one TraceSession, and each latency profile's pprof views mounted at /pprof-KIND…/.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Handler, type StaticFile, type WebApp, addAssetDir, assetsDir, contentType } from './server.js';
import { jsonResult, pprofApp } from './pprof-app.js';
import type { TraceSession } from './trace-session.js';

/** The trace page and the files it loads before it asks for its data (trace.html's links and imports). */
const pageFiles = ['/', '/ui/app.css', '/ui/trace.css', '/ui/trace.js', '/ui/dom.js', '/ui/trace-timeline.js'];

/** traceApp serves one trace. */
export function traceApp(s: TraceSession): WebApp {
  const ui = assetsDir();
  const files = new Map<string, StaticFile>();
  addAssetDir(files, '/ui/', ui);
  files.set('/', { path: join(ui, 'trace.html'), type: contentType('.html') });
  // The page and the files it loads first, held in memory (40 KB): answered at once while the
  // server computes the timeline and prepares the first view a step at a time.
  for (const path of pageFiles) {
    const f = files.get(path);
    if (f) files.set(path, { ...f, body: readFileSync(f.path) });
  }
  const api = new Map<string, Handler>([
    ['/api/trace/meta', async () => jsonResult(s.meta())],
    ['/api/trace/lanes', async (q) => jsonResult(s.lanes(q))],
    ['/api/trace/counters', async (q) => jsonResult(s.counters(q))],
    ['/api/trace/range', async (q) => jsonResult(s.selectionStats(q))],
    ['/api/trace/slice', async (q) => jsonResult(s.slice(q))],
    ['/api/trace/groups', async () => jsonResult(s.groups())],
    ['/api/trace/goroutines', async (q) => jsonResult(s.goroutines(q))],
    ['/api/trace/goroutine', async (q) => jsonResult(s.goroutine(q))],
    ['/api/trace/tasks', async () => jsonResult(s.tasks())],
    ['/api/trace/tasklist', async (q) => jsonResult(s.taskList(q))],
    ['/api/trace/mmu', async (q) => jsonResult(s.mmu(q))],
    ['/api/trace/regions', async () => jsonResult(s.regions())],
  ]);
  // One app per profile session: the session cache (TraceSession.profileSession) bounds both.
  const mounted = new WeakMap<object, WebApp>();
  return {
    files,
    api,
    mount: async (name) => {
      const session = s.profileSession(name);
      if (!session) return undefined;
      let app = mounted.get(session);
      if (!app) mounted.set(session, (app = pprofApp(session)));
      return app;
    },
  };
}
