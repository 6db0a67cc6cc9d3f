// A request relayed by a proxy on the same machine arrives from loopback but was made elsewhere:
// whichever header the proxy adds to say so, the agent must count the request as remote (issue 15.5).

import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createAgent, Registry } from '../src/agent/index.js';
import { get } from './node-service.js';

/** Headers relaying proxies add, as real ones spell them, with a plausible value each. */
const proxyHeaders: Record<string, string> = {
  Forwarded: 'for=198.51.100.1;proto=https',
  'X-Forwarded-For': '198.51.100.1',
  'X-Forwarded-Host': 'service.example.com',
  'X-Forwarded-Proto': 'https',
  'X-Forwarded-Port': '443',
  'X-Forwarded-Server': 'edge-1',
  'X-Forwarded-Prefix': '/svc',
  'X-Real-IP': '198.51.100.1',
  'X-Client-IP': '198.51.100.1',
  'Client-IP': '198.51.100.1',
  'True-Client-IP': '198.51.100.1',
  'CF-Connecting-IP': '198.51.100.1',
  'CF-Connecting-IPv6': '2001:db8::1',
  'Fastly-Client-IP': '198.51.100.1',
  'X-Cluster-Client-IP': '198.51.100.1',
  'X-Original-Forwarded-For': '198.51.100.1',
  'X-Envoy-External-Address': '198.51.100.1',
  Via: '1.1 proxy.example.com',
  'CDN-Loop': 'cloudflare',
};

describe('proxy headers make a loopback request remote', () => {
  let url = '';
  let server: http.Server;
  before(async () => {
    const agent = createAgent({ registry: new Registry() });
    server = http.createServer((req, res) => {
      if (!agent.handle(req, res)) res.writeHead(404).end('app\n');
    });
    server.on('close', () => agent.close());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug/vars`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('a plain loopback request, and one with ordinary headers, is answered', async () => {
    assert.equal((await get(url)).status, 200);
    assert.equal((await get(url, { 'X-Request-Id': 'abc', 'User-Agent': 'curl/8', Accept: '*/*' })).status, 200);
  });

  for (const [name, value] of Object.entries(proxyHeaders)) {
    test(`${name} alone counts as remote`, async () => {
      const r = await get(url, { [name]: value });
      assert.equal(r.status, 403, name);
      assert.match(r.body.toString(), /^proflens agent: a client forwarded through 127\.0\.0\.1 is not on loopback; /);
    });
  }
});
