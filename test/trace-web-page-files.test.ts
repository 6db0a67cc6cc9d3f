// The trace page's own files are held in memory (issue 18, speed): sent in the turn of the event
// loop that reads their request, not after the server's next step of preparing the first view.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTrace } from '../src/trace/read.js';
import { startWebServer, type WebApp } from '../src/web/server.js';
import { traceApp } from '../src/web/trace-app.js';
import { TraceSession } from '../src/web/trace-session.js';
import { repoRoot } from './helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');

test('the server sends a static file from the body it holds', async () => {
  const app: WebApp = {
    files: new Map([['/held.txt', { path: join(repoRoot, 'no-such-file.txt'), type: 'text/plain', body: new TextEncoder().encode('held\n') }]]),
    api: new Map(),
  };
  const server = await startWebServer({ app, onError: () => {} });
  try {
    const res = await fetch(`${server.url}held.txt`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'held\n');
  } finally {
    await server.close();
  }
});

test('the trace app holds its page and the files the page loads first, as they are on disk', () => {
  const app = traceApp(new TraceSession(readTrace(readFileSync(fixture), fixture), 'tracesvc.trace'));
  for (const path of ['/', '/ui/app.css', '/ui/trace.css', '/ui/trace.js', '/ui/dom.js', '/ui/trace-timeline.js']) {
    const f = app.files.get(path);
    assert.ok(f?.body, `${path} held`);
    assert.deepEqual(Buffer.from(f.body), readFileSync(f.path), path);
  }
});
