// Collecting over HTTP: real Go services with net/http/pprof, and small local servers that
// misbehave on purpose for every failure a user can meet. Every server binds 127.0.0.1:0.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type GoService, hasGo, startGoFixture } from './go-fixture.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const heapProfile = readFileSync(join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz'));

/** A fresh, empty store folder for fetched profiles. */
const newStore = (): string => scratchDir('store');
const envFor = (store: string): NodeJS.ProcessEnv => ({ PPROF_TMPDIR: store, HOME: store });

/** serve starts a local HTTP(S) server with the handler and returns its base URL. */
async function serve(handler: http.RequestListener, tls?: https.ServerOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('a real Go service with net/http/pprof', { skip: !hasGo && 'go is not installed' }, () => {
  let goroutines: GoService;
  before(async () => {
    goroutines = await startGoFixture('goroutine');
  });
  after(() => goroutines?.stop());

  test('fetches, saves under pprof names, and --base shows the leak as the only growth', async () => {
    const store = newStore();
    const env = envFor(store);
    const url = `${goroutines.url.replace('http://', '')}/debug/pprof/goroutine`; // host:port/path, no scheme
    const first = await runCli(['top', url], undefined, { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^File: goroutine\nType: goroutine\n/);
    const saved1 = join(store, 'pprof.goroutine.goroutine.001.pb.gz');
    assert.equal(first.stderr, `Saved profile in ${saved1}\n`);

    await new Promise((r) => setTimeout(r, 1000)); // about five more goroutines leak
    const second = await runCli(['top', url], undefined, { env });
    const saved2 = join(store, 'pprof.goroutine.goroutine.002.pb.gz');
    assert.equal(second.stderr, `Saved profile in ${saved2}\n`);
    assert.deepEqual(readdirSync(store).sort(), ['pprof.goroutine.goroutine.001.pb.gz', 'pprof.goroutine.goroutine.002.pb.gz']);

    const diff = await runCli(['top', '--base', saved1, saved2]);
    assert.equal(diff.code, 0, diff.stderr);
    // The leak is the growth: runtime.gopark first, under main.waitForever. (The HTTP request
    // that fetched the profile may add a goroutine of its own, so other rows can show 1.)
    const rows = diff.stdout.split('\n').filter((l) => /^\s*-?\d/.test(l));
    const [gopark] = rows;
    assert.match(gopark!, /^\s+(\d+) .*runtime\.gopark$/);
    assert.ok(Number(gopark!.trim().split(/\s+/)[0]) >= 2, diff.stdout);
    const waitForever = rows.find((l) => l.endsWith(' main.waitForever'));
    assert.ok(waitForever && Number(waitForever.trim().split(/\s+/)[3]) >= 2, diff.stdout);
    // go tool pprof says the same of the same files (its Time line has an older layout).
    const pprof = execFileSync('go', ['tool', 'pprof', '-top', '-base', saved1, saved2], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const noTime = (s: string): string => s.replace(/^Time: .*\n/m, '');
    assert.equal(noTime(diff.stdout), noTime(pprof));
  });

  test('fetch saves a Go execution trace as it came, for go tool trace; views say what it is', async () => {
    const store = newStore();
    const env = envFor(store);
    const traceUrl = `${goroutines.url}/debug/pprof/trace?seconds=1`;
    const r = await runCli(['fetch', traceUrl], undefined, { env });
    assert.equal(r.code, 0, r.stderr);
    const saved = join(store, 'trace.001.out');
    assert.equal(r.stdout, `${saved}\n`);
    assert.equal(r.stderr, `(a Go execution trace: open it with go tool trace ${saved})\n`);
    assert.match(readFileSync(saved, 'latin1').slice(0, 16), /^go 1\.\d+ trace\0/);
    // go tool trace reads it: its scheduler-latency profile, a pprof profile, reads in proflens.
    const sched = join(store, 'sched.pb');
    writeFileSync(sched, execFileSync('go', ['tool', 'trace', '-pprof=sched', saved], { stdio: ['ignore', 'pipe', 'ignore'] }));
    const top = await runCli(['top', sched]);
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stdout, /^Type: delay\n/m);
    // A view cannot show a trace: one line says what it is and what to do; nothing is saved.
    const view = await runCli(['top', traceUrl], undefined, { env });
    assert.equal(view.code, 1);
    assert.equal(view.stderr, `proflens: ${traceUrl}: not a pprof profile (it is a Go execution trace: save it with proflens fetch and open it with go tool trace)\n`);
    assert.deepEqual(readdirSync(store).sort(), ['sched.pb', 'trace.001.out']);
  });

  test('a heap profile over HTTP reads as go tool pprof reads the saved file', async () => {
    const heap = await startGoFixture('heap');
    try {
      const store = newStore();
      const r = await runCli(['top', '--sample-index', 'alloc_space', `${heap.url}/debug/pprof/heap`], undefined, { env: envFor(store) });
      assert.equal(r.code, 0, r.stderr);
      const saved = join(store, 'pprof.heap.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz');
      assert.equal(r.stderr, `Saved profile in ${saved}\n`);
      assert.match(r.stdout, /main\.fillCache\n/);
      const pprof = execFileSync('go', ['tool', 'pprof', '-top', '-sample_index=alloc_space', saved], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal(r.stdout.replace(/^Time: .*\n/m, ''), pprof.replace(/^Time: .*\n/m, ''));
    } finally {
      await heap.stop();
    }
  });

  test('a CPU profile of --seconds 1 from the default path, and Go refusing a second one at once', async () => {
    const cpu = await startGoFixture('cpu');
    try {
      const store = newStore();
      const env = envFor(store);
      const [a, b] = await Promise.all([
        runCli(['top', '--seconds', '1', '--nodecount', '3', cpu.url], undefined, { env }),
        new Promise((r) => setTimeout(r, 200)).then(() => runCli(['top', `${cpu.url}/debug/pprof/profile?seconds=1`], undefined, { env })),
      ]);
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, /^File: cpu\nType: cpu\n/);
      assert.match(a.stdout, /main\.(fib|hashLoop)/);
      assert.deepEqual(readdirSync(store), ['pprof.cpu.samples.cpu.001.pb.gz']);
      assert.equal(b.code, 1);
      assert.equal(
        b.stderr,
        `proflens: ${cpu.url}/debug/pprof/profile?seconds=1: server response: 500 Internal Server Error - Could not enable CPU profiling: cpu profiling already in use\n`,
      );
    } finally {
      await cpu.stop();
    }
  });
});

describe('failures, each one line naming the URL, nothing half-written', () => {
  let store: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    store = newStore();
    env = envFor(store);
  });
  after(() => assert.deepEqual(readdirSync(store), [], 'no failed fetch leaves a file behind'));

  const fails = async (url: string, want: string | RegExp, ...flags: string[]): Promise<void> => {
    const r = await runCli(['top', ...flags, url], undefined, { env });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    if (typeof want === 'string') assert.equal(r.stderr, `proflens: ${url}: ${want}\n`);
    else assert.match(r.stderr, want);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
  };

  test('connection refused and an unknown host', async () => {
    const s = await serve(() => {});
    await s.close(); // the port is free again: nobody listens
    await fails(`${s.url}/debug/pprof/heap`, 'connection refused');
    await fails('http://proflens-test.invalid:6060/debug/pprof/heap', 'cannot resolve host proflens-test.invalid');
  });

  test("a status with the server's own reason (X-Go-Pprof), and a plain status", async () => {
    const s = await serve((req, res) => {
      if (req.url!.startsWith('/debug/pprof/profile')) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'x-go-pprof': '1' });
        res.end("profile duration exceeds server's WriteTimeout\n");
      } else {
        res.writeHead(404).end('404 page not found\n');
      }
    });
    try {
      await fails(`${s.url}/debug/pprof/profile?seconds=60`, "server response: 400 Bad Request - profile duration exceeds server's WriteTimeout");
      await fails(`${s.url}/debug/pprof/nothing`, 'server response: 404 Not Found');
    } finally {
      await s.close();
    }
  });

  test('an HTML page, JSON, a truncated profile, a body over --max-size, a timeout', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/html') res.end('<!DOCTYPE html><html><body>login</body></html>');
      else if (req.url === '/json') res.end('{"error":"nope"}');
      else if (req.url === '/cut') res.end(heapProfile.subarray(0, heapProfile.length - 40));
      else if (req.url === '/big') res.end(heapProfile);
      // /slow never answers.
    });
    try {
      await fails(`${s.url}/html`, /^proflens: http:\/\/127\.0\.0\.1:\d+\/html: .*HTML/);
      await fails(`${s.url}/json`, /^proflens: http:\/\/127\.0\.0\.1:\d+\/json: .*JSON/);
      await fails(`${s.url}/cut`, /^proflens: http:\/\/127\.0\.0\.1:\d+\/cut: .*(truncated|unexpected end)/);
      await fails(`${s.url}/big`, /^proflens: http:\/\/127\.0\.0\.1:\d+\/big: response .*is over the limit of 1024 bytes\n$/, '--max-size', '1kb');
      await fails(`${s.url}/slow`, 'timed out after 1s', '--timeout', '1');
    } finally {
      await s.close();
    }
  });
});

test('several sources are merged; a failing one is reported and the rest used', async () => {
  const s = await serve((req, res) => {
    if (req.url === '/heap') res.end(heapProfile);
    else res.writeHead(503).end();
  });
  const store = newStore();
  try {
    const one = await runCli(['top', `${s.url}/heap`], undefined, { env: envFor(store) });
    const two = await runCli(['top', `${s.url}/heap`, `${s.url}/heap`], undefined, { env: envFor(store) });
    assert.equal(two.code, 0, two.stderr);
    // Two copies of the same profile: every value doubles.
    const total = (out: string): number => Number(/ of ([\d.]+)MB total/.exec(out)?.[1]);
    assert.ok(total(one.stdout) > 50, one.stdout);
    assert.ok(Math.abs(total(two.stdout) - 2 * total(one.stdout)) < 0.02, two.stdout);
    const partial = await runCli(['top', `${s.url}/heap`, `${s.url}/down`], undefined, { env: envFor(store) });
    assert.equal(partial.code, 0);
    assert.equal(partial.stdout, one.stdout);
    assert.match(partial.stderr, new RegExp(`^Saved profile in .*\\n${s.url}/down: server response: 503 Service Unavailable\\nFetched 1 source profiles out of 2\\n$`));
    const none = await runCli(['top', `${s.url}/down`, `${s.url}/down`], undefined, { env: envFor(store) });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /proflens: failed to fetch any source profiles\n$/);
    // Saved profiles are never overwritten: one, two (each source saved apart), partial.
    assert.deepEqual(readdirSync(store).sort(), ['001', '002', '003', '004'].map((n) => `pprof.heap.alloc_objects.alloc_space.inuse_objects.inuse_space.${n}.pb.gz`));
  } finally {
    await s.close();
  }
});

test('a fetch that takes seconds shows a countdown on a terminal, and nothing when piped', async () => {
  const s = await serve((_, res) => {
    setTimeout(() => res.end(heapProfile), 1300);
  });
  try {
    const url = `${s.url}/debug/pprof/profile?seconds=1`;
    const tty = await runCli(['top', '--seconds', '1', s.url], undefined, { env: envFor(newStore()), stderrIsTTY: true });
    assert.equal(tty.code, 0);
    assert.ok(tty.stderr.includes(`\r\x1b[KFetching profile over HTTP from ${url} — 1s left`), JSON.stringify(tty.stderr));
    assert.ok(tty.stderr.includes('waiting for the server'), JSON.stringify(tty.stderr));
    assert.match(tty.stderr, /\r\x1b\[KSaved profile in \S+\n$/);
    const piped = await runCli(['top', '--seconds', '1', s.url], undefined, { env: envFor(newStore()) });
    assert.match(piped.stderr, /^Saved profile in \S+\n$/);
  } finally {
    await s.close();
  }
});

test('https: a trusted CA (--tls-ca), an untrusted certificate, and https+insecure://', async (t) => {
  const dir = scratchDir('tls');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  } catch {
    t.skip('openssl is not installed');
    return;
  }
  // The server also asks for a client certificate, and names the one it got (or none).
  let client = '';
  const s = await serve(
    (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      client = String(peer?.subject?.CN ?? 'none');
      res.end(heapProfile);
    },
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')), requestCert: true, rejectUnauthorized: false },
  );
  const env = envFor(newStore());
  try {
    const url = `${s.url}/debug/pprof/heap`;
    const trusted = await runCli(['top', '--tls-ca', join(dir, 'cert.pem'), url], undefined, { env });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, /^File: heap\n/);
    const untrusted = await runCli(['top', url], undefined, { env });
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /^proflens: https:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap: TLS: .*--tls-ca.*\n$/);
    assert.equal(client, 'none');
    const insecure = await runCli(['-top', url.replace('https://', 'https+insecure://')], undefined, { env });
    assert.equal(insecure.code, 0, insecure.stderr);
    assert.equal(insecure.stdout, trusted.stdout);
    // --tls-cert and --tls-key present a client certificate (here the server's own pair).
    const withCert = await runCli(['top', '--tls-ca', join(dir, 'cert.pem'), '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem'), url], undefined, { env });
    assert.equal(withCert.code, 0, withCert.stderr);
    assert.equal(client, '127.0.0.1');
    const missing = await runCli(['top', '--tls-cert', join(dir, 'nope.pem'), url], undefined, { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^proflens: https:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap: cannot read --tls-cert .*nope\.pem: ENOENT\n$/);
  } finally {
    await s.close();
  }
});

test('Go spellings: -seconds, -base and -diff_base', async () => {
  const fx = join(repoRoot, 'fixtures', 'profiles');
  const go = await runCli(['-top', `-diff_base=${join(fx, 'go-heap-early.pb.gz')}`, join(fx, 'go-heap.pb.gz')]);
  const native = await runCli(['top', '--diff-base', join(fx, 'go-heap-early.pb.gz'), join(fx, 'go-heap.pb.gz')]);
  assert.equal(go.code, 0, go.stderr);
  assert.equal(go.stdout, native.stdout);
  const both = await runCli(['top', '--base', 'a', '--diff-base', 'b', 'c']);
  assert.equal(both.code, 2);
  assert.equal(both.stderr, 'proflens: --base and --diff-base cannot both be given\n');
  const norm = await runCli(['top', '--normalize', join(fx, 'go-heap.pb.gz')]);
  assert.equal(norm.code, 2);
  assert.equal(norm.stderr, 'proflens: must have base profile to normalize by\n');
});

test('a saved name already taken is never overwritten', async () => {
  const store = newStore();
  const taken = join(store, 'pprof.heap.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz');
  writeFileSync(taken, 'keep me');
  const s = await serve((_, res) => res.end(heapProfile));
  try {
    const r = await runCli(['top', `${s.url}/heap`], undefined, { env: envFor(store) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(taken, 'utf8'), 'keep me');
    assert.deepEqual(readFileSync(taken.replace('.001.', '.002.')), heapProfile);
  } finally {
    await s.close();
  }
});
