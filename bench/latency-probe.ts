// A latency probe for the agent benchmark, in a process of its own: timed from the load
// generator, a request's latency would include the generator's own busy event loop. Reads each
// path every EVERY_MS on its own keep-alive connection until its standard input closes, then
// prints one JSON line: { path: { n, p50, p99, max } } in milliseconds.
//
//   node dist/bench/latency-probe.js URL EVERY_MS PATH…

import * as http from 'node:http';
import { type Latency, summarize } from './latency.js';

const [url = '', everyArg = '10', ...paths] = process.argv.slice(2);
const everyMs = Number(everyArg);
/** A bound on the reads of one path, whatever happens to standard input. */
const maxReads = 100_000;
let stopped = false;
process.stdin.resume();
process.stdin.on('end', () => (stopped = true));

function time(path: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    http
      .get(`${url}${path}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${path} answered ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

async function probe(path: string): Promise<Latency> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  while (!stopped && ms.length < maxReads) {
    ms.push(await time(path, agent));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  agent.destroy();
  return summarize(ms);
}

const results = await Promise.all(paths.map(probe));
process.stdout.write(JSON.stringify(Object.fromEntries(paths.map((p, i) => [p, results[i]]))) + '\n');
