// Who the web UI answers (issue 15.3): only Hosts that name the server (so DNS rebinding finds
// nothing on any bind address), and, bound beyond loopback, only requests with its token.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { join } from 'node:path';
import type { WebIO } from '../cli/web-command.js';
import { main } from '../cli/main.js';
import { loadProfile } from '../src/driver/driver.js';
import { webAccess } from '../src/web/access.js';
import { startWebServer } from '../src/web/server.js';
import { WebSession } from '../src/web/session.js';
import { fixtureConfig, profiles } from './web-helpers.js';

interface Reply {
  status: number;
  setCookie: string[];
  body: string;
}

/** get fetches a path raw from host:port with the Host header (none when it is '') and other headers chosen. */
function get(host: string, port: number, path: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ agent: false, host, port, path, headers, setHost: headers.host !== '' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode!, setCookie: res.headers['set-cookie'] ?? [], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('bound to 127.0.0.2, a foreign Host is refused and the server\'s own names are answered', async () => {
  const profile = await loadProfile([join(profiles, 'go-heap.pb.gz')]);
  const server = await startWebServer({ session: new WebSession({ profile, config: fixtureConfig(), title: 'go-heap' }), host: '127.0.0.2' });
  try {
    const port = Number(new URL(server.url).port);
    assert.equal(server.url, `http://127.0.0.2:${port}/`, 'no token on loopback');
    assert.equal(server.warning, undefined);
    for (const host of ['evil.com', `evil.com:${port}`, `127.0.0.2:${port + 1}`, '']) {
      assert.equal((await get('127.0.0.2', port, '/api/meta', { host })).status, 421, host || '(no Host)');
    }
    for (const host of [`127.0.0.2:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      assert.equal((await get('127.0.0.2', port, '/api/meta', { host })).status, 200, host);
    }
  } finally {
    await server.close();
  }
});

test('bound to 0.0.0.0: a warning on start-up, and no answer without the token', { timeout: 30_000 }, async () => {
  let stdout = '';
  let stderr = '';
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  let printed!: (url: string) => void;
  const url = new Promise<string>((r) => (printed = r));
  const io: WebIO = {
    stdout: (s) => {
      stdout += s;
      const m = /Serving web UI on (\S+)/.exec(stdout);
      if (m) printed(m[1]!);
    },
    stderr: (s) => (stderr += s),
    untilStopped: () => stopped,
    openBrowser: async () => assert.fail('--no-browser opened a browser'),
  };
  const run = main(['web', '--http', '0.0.0.0:0', '--no-browser', join(profiles, 'go-heap.pb.gz')], io);
  try {
    const u = new URL(await Promise.race([url, run.then((code) => assert.fail(`exited ${code}: ${stderr}`))]));
    assert.equal(u.hostname, '0.0.0.0');
    const token = u.searchParams.get('token') ?? '';
    assert.match(token, /^[\w-]{24,}$/, 'the URL carries a random token');
    assert.match(stderr, /^proflens: web: warning: serving on every network interface \(0\.0\.0\.0\), beyond this machine: .*token/m);
    const port = Number(u.port);
    const host = `127.0.0.1:${port}`;

    for (const path of ['/', '/api/meta', '/ui/app.js', `/api/meta?token=${token}x`]) {
      const r = await get('127.0.0.1', port, path, { host });
      assert.equal(r.status, 403, path);
      assert.match(r.body, /token/);
    }
    assert.equal((await get('127.0.0.1', port, '/api/meta', { host, cookie: `proflens_token_${port}=wrong` })).status, 403);

    // The printed URL: answered, and the cookie set for the page's own requests.
    const first = await get('127.0.0.1', port, `/?token=${token}`, { host: `0.0.0.0:${port}` });
    assert.equal(first.status, 200);
    const cookie = first.setCookie.find((c) => c.startsWith(`proflens_token_${port}=`));
    assert.ok(cookie, `Set-Cookie: ${first.setCookie.join(' | ')}`);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    assert.equal((await get('127.0.0.1', port, '/api/meta', { host, cookie: `other=1; ${pair}` })).status, 200);
    assert.equal((await get('127.0.0.1', port, '/api/meta', { host, authorization: `Bearer ${token}` })).status, 200);
    // The token does not open the server to a foreign Host.
    assert.equal((await get('127.0.0.1', port, `/api/meta?token=${token}`, { host: 'evil.com', cookie: pair })).status, 421);
  } finally {
    stop();
    assert.equal(await run, 0);
  }
});

test('bound to a LAN address: its address and the name given, not localhost', () => {
  const access = webAccess('192.168.7.9', 8080, 'box.lan', 'secret-token');
  assert.equal(access.token, 'secret-token');
  const ask = (host: string, path = '/?token=secret-token') => {
    const req = { headers: { host } } as unknown as IncomingMessage;
    return access.check(req, new URL(path, 'http://x')).ok;
  };
  assert.equal(ask('192.168.7.9:8080'), true);
  assert.equal(ask('box.lan:8080'), true);
  assert.equal(ask('BOX.LAN:8080'), true);
  for (const h of ['localhost:8080', '127.0.0.1:8080', 'box.lan', 'box.lan:80', 'evil.com:8080']) assert.equal(ask(h), false, h);
  assert.equal(ask('box.lan:8080', '/'), false, 'no token');
  assert.equal(ask('box.lan:8080', '/?token=secret-tokeN'), false, 'wrong token');
});
