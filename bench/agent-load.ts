// The load generator of the agent benchmark, run as its own process so that it does not share
// an event loop with the service. Phases alternate without and with a CPU profile running; each
// is bounded in time and in requests. Meanwhile a separate connection reads /debug/vars every
// 50 ms and times it; then, at half the measured capacity, /debug/vars and an ordinary request
// are timed side by side from a probe process of their own, and by the service itself (arrival to
// last byte). Prints one JSON line with the figures.
//
//   node dist/bench/agent-load.js URL PHASE_MS ROUNDS CONNECTIONS

import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Latency, summarize } from './latency.js';

const [url = '', phaseArg = '3000', roundsArg = '2', connArg = '8'] = process.argv.slice(2);
const phaseMs = Number(phaseArg);
const rounds = Number(roundsArg);
const connections = Number(connArg);
/** No phase sends more than this many requests, whatever the machine's speed. */
const maxRequestsPerPhase = 500_000;

const loadAgent = new http.Agent({ keepAlive: true, maxSockets: connections });

function get(path: string, agent: http.Agent): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}${path}`, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** cpuMicros reads the service's CPU time so far (user + system, µs) from its /debug/vars. */
async function cpuMicros(): Promise<number> {
  const r = await get('/debug/vars', new http.Agent());
  const ru = (JSON.parse(r.body.toString()) as { node: { resourceUsage: { userCPUTime: number; systemCPUTime: number } } }).node.resourceUsage;
  return ru.userCPUTime + ru.systemCPUTime;
}

/** Phase is one phase's throughput and the service's CPU time per request in it. */
interface Phase {
  rps: number;
  cpuUsPerRequest: number;
}

/**
 * phase sends requests on `connections` connections for phaseMs. Requests per second suffer
 * from anything else running on the machine; the service's own CPU time per request much less.
 */
async function phase(): Promise<Phase> {
  const cpu0 = await cpuMicros();
  let done = 0;
  const end = performance.now() + phaseMs;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end && done < maxRequestsPerPhase) {
        const r = await get('/order', loadAgent);
        if (r.status !== 200) throw new Error(`/order answered ${r.status}`);
        done++;
      }
    }),
  );
  const rps = done / ((performance.now() - start) / 1000);
  return { rps, cpuUsPerRequest: ((await cpuMicros()) - cpu0) / done };
}

/** profiled runs a phase while a CPU profile covering it is being taken. */
async function profiled(): Promise<Phase & { profileBytes: number }> {
  const seconds = (phaseMs + 500) / 1000;
  const profile = get(`/debug/pprof/profile?seconds=${seconds}`, new http.Agent());
  await new Promise((r) => setTimeout(r, 100)); // let the profiler start
  const result = await phase();
  const p = await profile;
  if (p.status !== 200) throw new Error(`profile answered ${p.status}: ${p.body.toString()}`);
  return { ...result, profileBytes: p.body.length };
}

/** Latencies collects the times of periodic reads of one path on their own connection. */
class Latencies {
  readonly ms: number[] = [];
  #stop = false;
  #loop: Promise<void> | undefined;
  constructor(private readonly path: string) {}
  start(everyMs: number): void {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.#loop = (async () => {
      while (!this.#stop) {
        const t = performance.now();
        const r = await get(this.path, agent);
        if (r.status !== 200) throw new Error(`${this.path} answered ${r.status}`);
        this.ms.push(performance.now() - t);
        await new Promise((res) => setTimeout(res, everyMs));
      }
      agent.destroy();
    })();
  }
  async stop(): Promise<Latency> {
    this.#stop = true;
    await this.#loop;
    return summarize([...this.ms]);
  }
}

/**
 * steady sends requests at a fixed rate (open loop), evenly spaced, for ms: traffic with headroom,
 * where a request's latency is the service's own work rather than its place in a queue.
 */
async function steady(rps: number, ms: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const pending = new Set<Promise<unknown>>();
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < ms && sent < maxRequestsPerPhase) {
    const due = Math.floor(((performance.now() - start) / 1000) * rps);
    for (; sent < due; sent++) {
      const p = get('/order', agent).finally(() => pending.delete(p));
      pending.add(p);
    }
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(pending);
  agent.destroy();
  return sent / ((performance.now() - start) / 1000);
}

await phase(); // warm-up: the JIT, the connections
const saturatedVars = new Latencies('/debug/vars');
saturatedVars.start(50);
const plain: Phase[] = [];
const withProfile: Phase[] = [];
let profileBytes = 0;
// Alternate the order (plain first, then profiled first) so that drift cancels out.
for (let i = 0; i < rounds; i++) {
  const pair = i % 2 === 0 ? [false, true] : [true, false];
  for (const profiling of pair) {
    if (profiling) {
      const p = await profiled();
      withProfile.push(p);
      profileBytes = p.profileBytes;
    } else {
      plain.push(await phase());
    }
  }
}
const saturated = await saturatedVars.stop();
// Half of the measured capacity: a busy service with headroom, where latency is the agent's own.
const plainMean = plain.reduce((a, b) => a + b.rps, 0) / plain.length;
// Timed from a third, idle process (bench/latency-probe.ts): from this one, the latency would
// include this process's own event loop, busy sending the load.
const probe = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'latency-probe.js'), url, '10', '/debug/vars', '/order?probe'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
let probeOut = '';
probe.stdout.on('data', (c: Buffer) => (probeOut += c.toString()));
const probeDone = new Promise<void>((r) => probe.once('exit', () => r()));
await get('/bench/served-latency', new http.Agent()); // starts the service's own timing afresh
const halfRps = await steady(plainMean / 2, 2 * phaseMs);
probe.stdin.end();
await probeDone;
const servedTimes = JSON.parse((await get('/bench/served-latency', new http.Agent())).body.toString()) as Record<string, unknown>;
const probed = JSON.parse(probeOut) as Record<string, Latency>;
const vars = probed['/debug/vars']!;
const order = probed['/order?probe']!;
process.stdout.write(JSON.stringify({ plain, withProfile, profileBytes, saturated, half: { rps: halfRps, vars, order, served: servedTimes } }) + '\n');
loadAgent.destroy();
