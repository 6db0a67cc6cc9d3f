// proflens/agent end to end: real Node services (node:http and Express) with the agent, CPU and
// heap profiles collected over real HTTP and read by proflens and by go tool pprof, and the
// agent's refusals: a second CPU profile, bad seconds, remote clients, tokens.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultConfig } from '../src/driver/config.js';
import { generateView } from '../src/driver/driver.js';
import { fetchBytes } from '../src/fetch/http.js';
import { parseProfile } from '../src/profile/parse.js';
import type { Profile } from '../src/profile/model.js';
import { hasGo } from './go-fixture.js';
import { type NodeService, get, servicePath, startNodeService } from './node-service.js';

const scratch = mkdtempSync(join(tmpdir(), 'proflens-agent-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** topNames returns the function names of the top view, by flat value, for a sample type. */
async function topRows(p: Profile, sampleIndex = ''): Promise<{ name: string; flat: number; cum: number }[]> {
  const cfg = { ...defaultConfig(), sampleIndex };
  const r = await generateView(p, 'top', cfg);
  assert.equal(r.view, 'top');
  return r.view === 'top' ? r.data.rows.map((x) => ({ name: x.name, flat: x.flat, cum: x.cum })) : [];
}

/** pprofTop runs go tool pprof -top on saved bytes. */
function pprofTop(bytes: Uint8Array, name: string): string {
  const file = join(scratch, name);
  writeFileSync(file, bytes);
  return execFileSync('go', ['tool', 'pprof', '-top', '-symbolize=none', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
}

/** heapUntil reads heap profiles until one shows fn (the sampler needs some allocation first). */
async function heapShowing(url: string, fn: string): Promise<{ bytes: Buffer; profile: Profile }> {
  for (let i = 0; ; i++) {
    const r = await get(`${url}/debug/pprof/heap`);
    assert.equal(r.status, 200, r.body.toString());
    const profile = parseProfile(r.body, 'heap');
    if ((await topRows(profile)).some((x) => x.name === fn) || i === 20) return { bytes: r.body, profile };
    await new Promise((res) => setTimeout(res, 250));
  }
}

describe('the agent on a node:http service', () => {
  let svc: NodeService;
  // hashStrings runs ~2 ms every 100 ms: at the default 10 ms a 1 s profile missed it about one run
  // in ten; at 1 ms it holds some 20 samples of it.
  const serviceArgs = ['--heap-interval', '16384', '--cpu-interval', '1'];
  before(async () => {
    svc = await startNodeService(serviceArgs);
  });
  after(() => svc.stop());

  test('a CPU profile over HTTP names the functions that burn CPU, with lines; go tool pprof reads it', async () => {
    const profiling = get(`${svc.url}/debug/pprof/profile?seconds=1`);
    // The service keeps answering while it is profiled.
    for (let i = 0; i < 5; i++) {
      const r = await get(`${svc.url}/work`);
      assert.equal(r.status, 200);
      assert.match(r.body.toString(), /^\d+$/);
    }
    const r = await profiling;
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(r.headers.get('content-type'), 'application/octet-stream');
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="profile"');
    assert.deepEqual([...r.body.subarray(0, 2)], [0x1f, 0x8b], 'gzip-encoded, like Go');
    const p = parseProfile(r.body, 'profile');
    assert.deepEqual(p.sampleTypes.map((t) => t.type), ['sample', 'wall']);
    assert.ok(p.durationNanos >= 0.9e9 && p.durationNanos < 5e9, `duration ${p.durationNanos}`);
    const rows = await topRows(p);
    const burner = rows.find((x) => x.name === 'countPrimes');
    assert.ok(burner && burner.flat > 0, `countPrimes burns CPU: ${JSON.stringify(rows.slice(0, 8))}`);
    assert.ok(rows.some((x) => x.name === 'hashStrings' && x.flat > 0), 'the second burner too');
    // Line numbers: countPrimes's samples sit on lines inside its body, not on one line.
    const lines = await generateView(p, 'top', { ...defaultConfig(), granularity: 'lines' });
    assert.ok(lines.view === 'top' && lines.text.split('\n').some((l) => /countPrimes .*service\.mjs:\d+/.test(l)), JSON.stringify(lines.data));
    if (hasGo) assert.match(pprofTop(r.body, 'node-cpu.pb.gz'), /\scountPrimes$/m);
  });

  test('a heap profile shows what the leaking function keeps; go tool pprof reads it', async () => {
    const { bytes, profile } = await heapShowing(svc.url, 'leakSessions');
    assert.deepEqual(profile.sampleTypes.map((t) => t.type), ['inuse_objects', 'inuse_space']);
    const rows = await topRows(profile);
    const leak = rows.find((x) => x.name === 'leakSessions');
    assert.ok(leak && leak.cum > 0, JSON.stringify(rows.slice(0, 8)));
    const objects = await topRows(profile, 'inuse_objects');
    assert.ok(objects.some((x) => x.name === 'leakSessions' && x.cum > 0));
    if (hasGo) assert.match(pprofTop(bytes, 'node-heap.pb.gz'), /Type: inuse_space[\s\S]*\sleakSessions$/m);
  });

  test('one CPU profile at a time: the second gets 409 with a one-line reason, as Go does', async () => {
    const [a, b] = await Promise.all([get(`${svc.url}/debug/pprof/profile?seconds=1`), new Promise((r) => setTimeout(r, 100)).then(() => get(`${svc.url}/debug/pprof/profile?seconds=1`))]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 409);
    assert.equal(b.headers.get('x-go-pprof'), '1');
    assert.equal(b.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(b.body.toString(), 'Could not enable CPU profiling: cpu profiling already in use\n');
  });

  test("proflens's collector shows the agent's reason for a refusal", async () => {
    const url = `${svc.url}/debug/pprof/profile?seconds=0`;
    await assert.rejects(fetchBytes({ url, display: url, seconds: 0, timeoutMs: 5000, insecure: false }), {
      message: `${url}: server response: 400 Bad Request - invalid value for "seconds" - must be a positive number`,
    });
  });

  test('bad seconds are refused with 400 and the reason', async () => {
    const cases: [string, string][] = [
      ['profile?seconds=abc', 'invalid value for "seconds" - must be a positive number'],
      ['profile?seconds=-1', 'invalid value for "seconds" - must be a positive number'],
      ['profile?seconds=0', 'invalid value for "seconds" - must be a positive number'],
      ['profile?seconds=', 'invalid value for "seconds" - must be a positive number'],
      ['profile?seconds=301', "profile duration of 301 seconds exceeds the agent's limit of 300 seconds"],
      ['heap?seconds=5', '"seconds" parameter is not supported for this profile type'],
    ];
    for (const [path, reason] of cases) {
      const r = await get(`${svc.url}/debug/pprof/${path}`);
      assert.equal(r.status, 400, path);
      assert.equal(r.headers.get('x-go-pprof'), '1', path);
      assert.equal(r.body.toString(), reason + '\n', path);
    }
  });

  test('the index, cmdline, the redirect and unknown profiles answer as Go does', async () => {
    const index = await get(`${svc.url}/debug/pprof/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = index.body.toString();
    for (const name of ['cmdline', 'heap', 'profile']) assert.ok(html.includes(`<a href='${name}'>${name}</a>`), name);
    const redirect = await get(`${svc.url}/debug/pprof`);
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/debug/pprof/');
    const cmdline = await get(`${svc.url}/debug/pprof/cmdline`);
    assert.deepEqual(cmdline.body.toString().split('\0'), [process.execPath, servicePath, '--port', '0', ...serviceArgs]);
    const unknown = await get(`${svc.url}/debug/pprof/goroutine`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.toString(), 'Unknown profile\n');
    const other = await get(`${svc.url}/`);
    assert.equal(other.body.toString(), 'hello from the proflens demo service\n', 'the service still answers its own routes');
  });
});

describe('the agent mounted on an Express app', () => {
  let svc: NodeService;
  before(async () => {
    svc = await startNodeService(['--express', '--heap-interval', '16384']);
  });
  after(() => svc.stop());

  test('CPU and heap profiles, vars, and the app routes all answer', async () => {
    const cpu = await get(`${svc.url}/debug/pprof/profile?seconds=1`);
    assert.equal(cpu.status, 200, cpu.body.toString());
    const rows = await topRows(parseProfile(cpu.body, 'profile'));
    assert.ok(rows.some((x) => x.name === 'countPrimes' && x.flat > 0), JSON.stringify(rows.slice(0, 8)));
    const { profile } = await heapShowing(svc.url, 'leakSessions');
    assert.ok((await topRows(profile)).some((x) => x.name === 'leakSessions'));
    const vars = await get(`${svc.url}/debug/vars`);
    assert.equal(vars.headers.get('content-type'), 'application/json; charset=utf-8');
    const doc = JSON.parse(vars.body.toString()) as Record<string, unknown>;
    assert.equal(typeof (doc.memstats as Record<string, unknown>).HeapAlloc, 'number');
    assert.equal((await get(`${svc.url}/work`)).status, 200);
    // Paths that are not the agent's go on to Express (its own 404 page, not the agent's).
    const missing = await get(`${svc.url}/debug/other`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-go-pprof'), null);
  });
});
