// The service the agent benchmark loads: a small JSON API on node:http with proflens's agent
// mounted, as a real service would have it. Prints `listening on http://HOST:PORT`; exits when
// its standard input closes.
//
// It also times, inside the service, how long each /debug/vars and /order request takes from its
// arrival to its last byte (GET /bench/served-latency reports and resets): the agent's own share
// of a request's latency, apart from the client's and the operating system's.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { counter, createAgent } from '../src/agent/index.js';
import { summarize } from './latency.js';

const agent = createAgent({ sourceMaps: false });
const servedCount = counter('served');

/** handleOrder is the endpoint's work: build, total and serialise a small order. */
function handleOrder(id: number): string {
  const items = Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${id}-${i}`, qty: (i % 3) + 1, price: 9.99 + i }));
  const total = items.reduce((s, it) => s + it.qty * it.price, 0);
  return JSON.stringify({ id, items, total: Math.round(total * 100) / 100 });
}

/** served holds the in-service times (ms) of the timed paths since the last report. */
const served = new Map<string, number[]>([
  ['/debug/vars', []],
  // The probe's ordinary requests, apart from the load's.
  ['/order?probe', []],
]);

function latencyReport(): string {
  const report = Object.fromEntries([...served].map(([path, ms]) => [path, summarize(ms)]));
  for (const ms of served.values()) ms.length = 0;
  return JSON.stringify(report);
}

let next = 0;
const server = http.createServer((req, res) => {
  const times = served.get(req.url ?? '');
  if (times) {
    const t = performance.now();
    res.once('finish', () => times.push(performance.now() - t));
  }
  if (req.url === '/bench/served-latency') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(latencyReport());
    return;
  }
  if (agent.handle(req, res)) return;
  servedCount.add();
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
