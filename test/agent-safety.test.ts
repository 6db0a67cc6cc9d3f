// The agent's safety rules, in-process on real HTTP servers bound to 127.0.0.1: remote clients
// refused (the client's address is set on the real socket before the agent's own check runs),
// tokens, forwarded requests, a variable that throws, a client that leaves mid-profile, a
// disabled heap profiler; and that proflens/agent loads no CLI, report, graph or web code.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { type Agent, Registry, createAgent, isLoopback } from '../src/agent/index.js';
import type { AgentOptions } from '../src/agent/options.js';
import { parseProfile } from '../src/profile/parse.js';
import { repoRoot } from './helpers.js';
import { get } from './node-service.js';

/** Test-only header naming the client address the socket should appear to come from. */
const peerHeader = 'x-test-peer';

/** serveAgent mounts an agent on a node:http server on 127.0.0.1:0. */
async function serveAgent(options: AgentOptions): Promise<{ url: string; agent: Agent; close: () => Promise<void> }> {
  const agent = createAgent(options);
  const server = http.createServer((req, res) => {
    const peer = req.headers[peerHeader];
    if (typeof peer === 'string') Object.defineProperty(req.socket, 'remoteAddress', { value: peer, configurable: true });
    if (!agent.handle(req, res)) res.writeHead(404).end('app\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    agent,
    close: () =>
      new Promise((r) => {
        agent.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('who may ask', () => {
  const closers: (() => Promise<void>)[] = [];
  after(() => Promise.all(closers.map((c) => c())));

  test('loopback addresses are recognised, others are not', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopback(a), a);
    for (const a of ['10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', 'fe80::1', '0.0.0.0', '', undefined]) assert.ok(!isLoopback(a), String(a));
  });

  test('without a token, non-loopback and forwarded clients get 403; loopback gets the answer', async () => {
    const s = await serveAgent({ registry: new Registry() });
    closers.push(s.close);
    assert.equal((await get(`${s.url}/debug/vars`)).status, 200);
    assert.equal((await get(`${s.url}/debug/vars`, { [peerHeader]: '::ffff:127.0.0.1' })).status, 200);
    const remotes: Record<string, string>[] = [{ [peerHeader]: '203.0.113.7' }, { [peerHeader]: '::ffff:10.1.2.3' }, { 'x-forwarded-for': '198.51.100.1' }];
    for (const headers of remotes) {
      const r = await get(`${s.url}/debug/pprof/heap`, headers);
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(r.headers.get('x-go-pprof'), '1');
      assert.match(r.body.toString(), /^proflens agent: .* is not on loopback; configure a token to allow remote clients\n$/);
    }
    // Other paths are not the agent's business: the app answers them whoever asks.
    assert.equal((await get(`${s.url}/elsewhere`, { [peerHeader]: '203.0.113.7' })).status, 404);
  });

  test('with a token, remote clients need it as a bearer token', async () => {
    const token = 's3cret-token-for-tests';
    const s = await serveAgent({ registry: new Registry(), token, maxProfileSeconds: 2 });
    closers.push(s.close);
    const remote = { [peerHeader]: '203.0.113.7' };
    const none = await get(`${s.url}/debug/vars`, remote);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="proflens agent"');
    assert.equal((await get(`${s.url}/debug/vars`, { ...remote, authorization: 'Bearer wrong-token-here' })).status, 401);
    assert.equal((await get(`${s.url}/debug/vars`, { ...remote, authorization: `Basic ${token}` })).status, 401);
    const ok = await get(`${s.url}/debug/vars`, { ...remote, authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    assert.ok('memstats' in JSON.parse(ok.body.toString()));
    // The cap on seconds is the configured one.
    const long = await get(`${s.url}/debug/pprof/profile?seconds=3`, { ...remote, authorization: `Bearer ${token}` });
    assert.equal(long.status, 400);
    assert.equal(long.body.toString(), "profile duration of 3 seconds exceeds the agent's limit of 2 seconds\n");
  });

  test('bad options are refused when the agent is created', () => {
    assert.throws(() => createAgent({ token: 'short' }), /token must be a string of at least 8 characters/);
    assert.throws(() => createAgent({ maxProfileSeconds: 0 }), /maxProfileSeconds must be a positive number/);
    assert.throws(() => createAgent({ heapIntervalBytes: 1.5 }), /heapIntervalBytes must be a positive whole number/);
  });
});

describe('errors stay inside the agent', () => {
  const closers: (() => Promise<void>)[] = [];
  after(() => Promise.all(closers.map((c) => c())));

  test('a throwing variable shows its error in its place; the document stays whole', async () => {
    const registry = new Registry();
    registry.publish('boom', () => {
      throw new Error('database\nunreachable');
    });
    registry.publish('later', () => Promise.resolve(1));
    registry.publish('answer', () => 42);
    registry.publish('big', () => 2n ** 70n);
    const hits = registry.counter('hits');
    hits.add();
    hits.add(2);
    const byRoute = registry.map('byRoute');
    byRoute.add('/b');
    byRoute.add('/a', 5);
    assert.throws(() => registry.publish('answer', () => 1), /reuse of exported var name: answer/);
    const s = await serveAgent({ registry });
    closers.push(s.close);
    const r = await get(`${s.url}/debug/vars`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-length'), String(r.body.length));
    const text = r.body.toString();
    // Go's layout: one variable per line, names sorted.
    const names = text.split('\n').slice(1, -2).map((l) => /^"([^"]+)": /.exec(l)?.[1]);
    assert.deepEqual(names, ['answer', 'big', 'boom', 'byRoute', 'cmdline', 'hits', 'later', 'memstats', 'node']);
    // The document is checked field by field below; any keeps those checks short.
    const doc = JSON.parse(text) as Record<string, any>;
    assert.deepEqual(doc.boom, { error: 'boom: database unreachable' });
    assert.deepEqual(doc.later, { error: 'later: the function returned a Promise; publish a synchronous function' });
    assert.equal(doc.answer, 42);
    assert.equal(doc.big, String(2n ** 70n));
    assert.equal(doc.hits, 3);
    assert.deepEqual(Object.entries(doc.byRoute), [['/a', 5], ['/b', 1]]);
    assert.deepEqual(doc.cmdline, process.argv);
    const m = doc.memstats;
    assert.ok(m.HeapAlloc > 0 && m.Alloc === m.HeapAlloc && m.Sys >= m.HeapSys && m.HeapSys > 0, JSON.stringify(m).slice(0, 200));
    assert.equal(m.PauseNs.length, 256);
    assert.equal(m.PauseEnd.length, 256);
    // Go's runtime.MemStats order, less the fields Node has no counterpart for.
    const goOrder = ['Alloc', 'Sys', 'HeapAlloc', 'HeapSys', 'HeapIdle', 'HeapInuse', 'LastGC', 'PauseTotalNs', 'PauseNs', 'PauseEnd', 'NumGC', 'NumForcedGC', 'GCCPUFraction', 'EnableGC', 'DebugGC'];
    assert.deepEqual(Object.keys(m), goOrder);
    assert.equal(typeof doc.node.eventLoop.utilization, 'number');
    assert.equal(typeof doc.node.uptimeSeconds, 'number');
    assert.ok(Object.keys(doc.node.heap.spaces).includes('old_space'));
  });

  test('event-loop figures describe a finished window once the first second is over', async () => {
    const s = await serveAgent({ registry: new Registry() });
    closers.push(s.close);
    const early = JSON.parse((await get(`${s.url}/debug/vars`)).body.toString()).node.eventLoop;
    assert.ok(early.seconds < 0.9, `the window so far: ${JSON.stringify(early)}`);
    await new Promise((r) => setTimeout(r, 1300));
    const first = JSON.parse((await get(`${s.url}/debug/vars`)).body.toString()).node.eventLoop;
    assert.ok(first.seconds >= 0.95 && first.seconds < 1.3, `the first window: ${JSON.stringify(first)}`);
    assert.ok(first.delayMs.p99 >= first.delayMs.p50 && first.delayMs.max >= first.delayMs.p99, JSON.stringify(first.delayMs));
    assert.ok(first.utilization >= 0 && first.utilization <= 1);
  });

  test('garbage collections fill the PauseNs ring as Go does', async () => {
    const s = await serveAgent({ registry: new Registry() });
    closers.push(s.close);
    const before = JSON.parse((await get(`${s.url}/debug/vars`)).body.toString()).memstats;
    let junk: number[][] = [];
    for (let i = 0; i < 200; i++) junk.push(new Array(50_000).fill(i));
    junk = [];
    await new Promise((r) => setTimeout(r, 50)); // GC entries arrive asynchronously
    const m = JSON.parse((await get(`${s.url}/debug/vars`)).body.toString()).memstats;
    assert.ok(m.NumGC > before.NumGC, `NumGC ${before.NumGC} → ${m.NumGC}`);
    assert.ok(m.PauseTotalNs > before.PauseTotalNs);
    const newest = m.PauseNs[(m.NumGC + 255) % 256];
    assert.ok(newest > 0);
    assert.equal(m.LastGC, m.PauseEnd[(m.NumGC + 255) % 256]);
    assert.equal(junk.length, 0);
  });

  /** leaveMidProfile asks for a 30 s CPU profile, leaves after leaveMs and waits pauseMs more. */
  async function leaveMidProfile(url: string, leaveMs: number, pauseMs: number): Promise<void> {
    const gone = new AbortController();
    const first = fetch(`${url}/debug/pprof/profile?seconds=30`, { signal: gone.signal }).catch((e: Error) => e.name);
    await new Promise((r) => setTimeout(r, leaveMs));
    gone.abort();
    assert.equal(await first, 'AbortError');
    await new Promise((r) => setTimeout(r, pauseMs));
  }

  test('a client that leaves mid-profile ends the profile; the next one can start at once', async () => {
    const s = await serveAgent({ registry: new Registry() });
    closers.push(s.close);
    await leaveMidProfile(s.url, 200, 50);
    const started = Date.now();
    const next = await get(`${s.url}/debug/pprof/profile?seconds=0.5`);
    assert.equal(next.status, 200, next.body.toString());
    assert.ok(Date.now() - started < 5000);
  });

  test('a client that leaves while the source maps load frees the profiler at once', async () => {
    // Source maps looked for in all of node_modules: their walk takes hundreds of ms, and the
    // profiler was held until it ended (the next client got 409 "already in use").
    const s = await serveAgent({ registry: new Registry(), sourceMaps: [join(repoRoot, 'node_modules')] });
    closers.push(s.close);
    await leaveMidProfile(s.url, 30, 20);
    const next = await get(`${s.url}/debug/pprof/profile?seconds=0.2`);
    assert.equal(next.status, 200, next.body.toString());
  });

  test('cpuTime: true adds CPU time to the profile, reported by default', async () => {
    const s = await serveAgent({ registry: new Registry(), cpuTime: true, heapProfiler: false });
    closers.push(s.close);
    const r = await get(`${s.url}/debug/pprof/profile?seconds=0.5`);
    assert.equal(r.status, 200, r.body.toString());
    const p = parseProfile(r.body, 'profile');
    assert.deepEqual(p.sampleTypes.map((t) => `${t.type}/${t.unit}`), ['sample/count', 'wall/nanoseconds', 'cpu/nanoseconds']);
  });

  test('a heap profiler that is off is a 500 with the reason; the agent keeps answering', async () => {
    const errors: Error[] = [];
    const s = await serveAgent({ registry: new Registry(), heapProfiler: false, onError: (e) => errors.push(e) });
    closers.push(s.close);
    const r = await get(`${s.url}/debug/pprof/heap`);
    assert.equal(r.status, 500);
    assert.equal(r.body.toString(), 'Could not read the heap profile: the heap profiler is turned off in the agent options\n');
    assert.equal((await get(`${s.url}/debug/vars`)).status, 200);
  });
});

test('proflens/agent loads no CLI, report, graph, driver or web code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-loads-'));
  try {
    const log = join(dir, 'loaded.txt');
    const hooks = join(dir, 'hooks.mjs');
    // A module hook that writes down every module file resolved, whichever thread it runs on.
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}`,
    );
    const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
    const script = `const a = await import('proflens/agent'); const x = a.createAgent(); a.counter('c').add(); x.close();`;
    execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    const ours = loaded.filter((u) => u.includes('/dist/')).map((u) => u.slice(u.indexOf('/dist/') + 1));
    assert.ok(ours.includes('dist/src/agent/agent.js'), ours.join('\n'));
    assert.ok(ours.includes('dist/src/vars/registry.js'));
    const forbidden = ours.filter((u) => /^dist\/(cli|src\/(report|graph|driver|web|repl|fetch))\//.test(u));
    assert.deepEqual(forbidden, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
