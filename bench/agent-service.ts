// The service the agent benchmark loads: a small JSON API on node:http with proflens's agent
// mounted, as a real service would have it. Prints `listening on http://HOST:PORT`; exits when
// its standard input closes.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { counter, createAgent } from '../src/agent/index.js';

const agent = createAgent({ sourceMaps: false });
const served = counter('served');

/** handleOrder is the endpoint's work: build, total and serialise a small order. */
function handleOrder(id: number): string {
  const items = Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${id}-${i}`, qty: (i % 3) + 1, price: 9.99 + i }));
  const total = items.reduce((s, it) => s + it.qty * it.price, 0);
  return JSON.stringify({ id, items, total: Math.round(total * 100) / 100 });
}

let next = 0;
const server = http.createServer((req, res) => {
  if (agent.handle(req, res)) return;
  served.add();
  const body = handleOrder(next++);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://${address}:${port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
