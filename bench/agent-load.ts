// The load generator of the agent benchmark, run as its own process so that it does not share
// an event loop with the services. It loads two identical services (twins) at the same time, one
// of them with a CPU profile running, the roles swapped every round: this machine's CPU speed
// changes by up to 1.7× from one second to the next (the host's other guests), which swamped a
// 3% effect when a profiled phase was compared with a plain phase before or after it; twins
// sharing one CPU see the same speed at the same moment. Meanwhile /debug/vars is read from both
// every 50 ms and timed. Then, at half of one service's capacity, /debug/vars and an ordinary
// request are timed side by side from a probe process of their own, and by the service itself
// (arrival to last byte). Each phase is bounded in time and in requests. Prints one JSON line.
//
//   node dist/bench/agent-load.js URL_A URL_B PHASE_MS ROUNDS CONNECTIONS

import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Latency, summarize } from './latency.js';
import { pipelinedLoad } from './pipelined-load.js';

const [urlA = '', urlB = '', phaseArg = '1000', roundsArg = '12', connArg = '4'] = process.argv.slice(2);
const twins = [urlA, urlB] as const;
const phaseMs = Number(phaseArg);
const rounds = Number(roundsArg);
const connections = Number(connArg);
/** No phase sends more than this many requests to a service, whatever the machine's speed. */
const maxRequestsPerPhase = 500_000;
/** Requests in flight on each load connection: enough that a service never waits for the client. */
const pipelineDepth = 8;
/** Rounds run and thrown away first: the services' JIT and heaps settle during them. */
const warmUpRounds = 2;

function get(url: string, path: string, agent: http.Agent): Promise<{ status: number; body: Buffer }> {
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

/** cpuMicros reads a service's CPU time so far (user + system of all its threads, µs) from its /debug/vars. */
async function cpuMicros(url: string): Promise<number> {
  const r = await get(url, '/debug/vars', new http.Agent());
  const ru = (JSON.parse(r.body.toString()) as { node: { resourceUsage: { userCPUTime: number; systemCPUTime: number } } }).node.resourceUsage;
  return ru.userCPUTime + ru.systemCPUTime;
}

/** Side is one twin's part of a round: its requests/s and its CPU time per request. */
interface Side {
  rps: number;
  cpuUsPerRequest: number;
}

/** Round is one phase in which twin `profiled` had a CPU profile running and the other did not. */
interface Round {
  profiled: 0 | 1;
  profileBytes: number;
  withProfile: Side;
  plain: Side;
}

/** round loads both twins for phaseMs while a CPU profile covering the phase runs in one of them. */
async function round(profiled: 0 | 1): Promise<Round> {
  const profile = get(twins[profiled], `/debug/pprof/profile?seconds=${(phaseMs + 400) / 1000}`, new http.Agent());
  await new Promise((r) => setTimeout(r, 150)); // past the profiler's start, a pause of its own
  const sides = await Promise.all(
    twins.map(async (url): Promise<Side> => {
      const cpu0 = await cpuMicros(url);
      const start = performance.now();
      const done = await pipelinedLoad({ url, path: '/order', connections, depth: pipelineDepth, ms: phaseMs, maxRequests: maxRequestsPerPhase });
      const rps = done / ((performance.now() - start) / 1000);
      return { rps, cpuUsPerRequest: ((await cpuMicros(url)) - cpu0) / done };
    }),
  );
  const p = await profile;
  if (p.status !== 200) throw new Error(`profile answered ${p.status}: ${p.body.toString()}`);
  return { profiled, profileBytes: p.body.length, withProfile: sides[profiled]!, plain: sides[1 - profiled]! };
}

/** Latencies collects the times of periodic reads of one path on their own connection. */
class Latencies {
  readonly ms: number[] = [];
  #stop = false;
  #loop: Promise<void> | undefined;
  constructor(
    private readonly url: string,
    private readonly path: string,
  ) {}
  start(everyMs: number): void {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.#loop = (async () => {
      while (!this.#stop) {
        const t = performance.now();
        const r = await get(this.url, this.path, agent);
        if (r.status !== 200) throw new Error(`${this.path} answered ${r.status}`);
        this.ms.push(performance.now() - t);
        await new Promise((res) => setTimeout(res, everyMs));
      }
      agent.destroy();
    })();
  }
  async stop(): Promise<number[]> {
    this.#stop = true;
    await this.#loop;
    return this.ms;
  }
}

/**
 * steady sends requests at a fixed rate (open loop), evenly spaced, for ms: traffic with headroom,
 * where a request's latency is the service's own work rather than its place in a queue.
 */
async function steady(url: string, rps: number, ms: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const pending = new Set<Promise<unknown>>();
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < ms && sent < maxRequestsPerPhase) {
    const due = Math.floor(((performance.now() - start) / 1000) * rps);
    for (; sent < due; sent++) {
      const p = get(url, '/order', agent).finally(() => pending.delete(p));
      pending.add(p);
    }
    // A 1 ms timer, not setImmediate: spinning would take a whole CPU from a small machine and
    // leave the service less headroom than "half of capacity" promises.
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  agent.destroy();
  return sent / ((performance.now() - start) / 1000);
}

for (let i = 0; i < warmUpRounds; i++) await round(i % 2 === 0 ? 0 : 1);
const saturatedVars = twins.map((url) => new Latencies(url, '/debug/vars'));
for (const l of saturatedVars) l.start(50);
const measured: Round[] = [];
for (let i = 0; i < rounds; i++) measured.push(await round(i % 2 === 0 ? 0 : 1));
const saturated = summarize((await Promise.all(saturatedVars.map((l) => l.stop()))).flat());

// Half of one service's capacity: a busy service with headroom, where latency is the agent's own.
// The twins shared a CPU, so one alone serves about what both did together.
const capacity = measured.reduce((a, r) => a + r.plain.rps + r.withProfile.rps, 0) / measured.length;
const url = urlA;
// Timed from a third, idle process (bench/latency-probe.ts): from this one, the latency would
// include this process's own event loop, busy sending the load.
const probe = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'latency-probe.js'), url, '10', '/debug/vars', '/order?probe'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
let probeOut = '';
probe.stdout.on('data', (c: Buffer) => (probeOut += c.toString()));
const probeDone = new Promise<void>((r) => probe.once('exit', () => r()));
await get(url, '/bench/served-latency', new http.Agent()); // starts the service's own timing afresh
const halfRps = await steady(url, capacity / 2, 4000);
probe.stdin.end();
await probeDone;
const servedTimes = JSON.parse((await get(url, '/bench/served-latency', new http.Agent())).body.toString()) as Record<string, unknown>;
const probed = JSON.parse(probeOut) as Record<string, Latency>;
const vars = probed['/debug/vars']!;
const order = probed['/order?probe']!;
process.stdout.write(JSON.stringify({ rounds: measured, saturated, half: { rps: halfRps, vars, order, served: servedTimes } }) + '\n');
