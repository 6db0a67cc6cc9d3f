// The trace web server without a browser: its routes and their limits (the same access rules as
// proflens web), bad parameters as one-line errors, the latency profiles mounted per scope.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';
import { serveTrace } from './trace-web-helpers.js';

type Served = Awaited<ReturnType<typeof serveTrace>>;
let server: Served;
before(async () => {
  server = await serveTrace(join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace'), 'tracesvc.trace');
});
after(() => server.close());

/** get fetches a path raw, with the Host header chosen (fetch does not let a test set it). */
function get(path: string, host?: string): Promise<{ status: number; csp: string; body: string }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ agent: false, host: u.hostname, port: u.port, path, headers: { host: host ?? u.host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, csp: String(res.headers['content-security-policy']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the trace server answers its own routes only, with the web UI’s rules', async () => {
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.match(page.body, /<canvas id="tl-canvas">/);
  assert.match(page.csp, /script-src 'self'/);
  assert.equal((await get('/ui/trace-timeline.js')).status, 200);
  for (const path of ['/etc/passwd', '/ui/../server.js', '/api/top', '/pprof-nope/', '/pprof-sync-g../', '/pprof-sync-x1/', '/pprof-sync/../../etc/passwd']) {
    assert.equal((await get(path)).status, 404, path);
  }
  assert.equal((await get('/api/trace/meta', 'evil.example:80')).status, 421);
  assert.equal((await get('/pprof-sync/api/meta', 'evil.example:80')).status, 421);
});

test('bad parameters are one-line errors, not crashes', async () => {
  for (const [path, message] of [
    ['/api/trace/lanes?lanes=abc', /lanes: "abc" is not N or N-M/],
    ['/api/trace/lanes?width=100000&lanes=0', /width: 100000 is not between 1 and 8192/],
    ['/api/trace/lanes?start=x', /start: "x" is not a number/],
    [`/api/trace/lanes?lanes=${Array(400).fill('0-5').join(',')}`, /more than 2000 lanes/],
    ['/api/trace/counters?start=500&end=100', /end 100 is before start 500/],
    ['/api/trace/slice?i=999999999', /no slice 999999999/],
    ['/api/trace/goroutine?id=123456789', /no goroutine 123456789/],
  ] as const) {
    const r = await get(path);
    assert.equal(r.status, 400, path);
    assert.match((JSON.parse(r.body) as { error: string }).error, message, path);
  }
});

test('a latency profile is served by the pprof views under its scope: whole trace, one group, a range', async () => {
  const whole = JSON.parse((await get('/pprof-sync/api/top')).body) as { total: number; labels: string[] };
  assert.ok(whole.total > 0);
  assert.ok(whole.labels.includes('Type: delay'), whole.labels.join('|'));
  const groups = server.session.groups();
  const serve = groups.find((g) => g.name === 'net/http.(*conn).serve')!;
  const group = JSON.parse((await get(`/pprof-sync-g${serve.pc}/api/top`)).body) as { total: number };
  assert.ok(group.total > 0 && group.total < whole.total, `${group.total} of ${whole.total}`);
  const range = JSON.parse((await get('/pprof-sync-r0-1/api/top')).body) as { total?: number; error?: string };
  assert.ok(range.error !== undefined || range.total === 0, 'no wait begins in the first nanosecond');
  assert.equal((await get('/pprof-sync/')).status, 200);
  assert.equal((await get('/pprof-sync/speedscope/index.html')).status, 200);
});
