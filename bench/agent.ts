// The agent's cost on a service under load, measured on loopback in one run: requests per
// second of a small HTTP service (bench/agent-service.ts) loaded from a second process
// (bench/agent-load.ts) with and without a CPU profile running, and the latency of /debug/vars
// under that load. Two identical services share one CPU and are loaded at the same time, one
// of them profiled, the roles swapped each round (agent-load.ts says why). Bounded: about a
// second per round, a cap on requests.

import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService } from '../demo/service-process.js';
import type { Latency } from './latency.js';

const here = dirname(fileURLToPath(import.meta.url));

/** AgentBenchResult are the figures of one run, as agent-load.ts prints them. */
interface AgentBenchResult {
  rounds: { profiled: 0 | 1; profileBytes: number; withProfile: Side; plain: Side }[];
  saturated: Latency;
  half: { rps: number; vars: Latency; order: Latency; served: { '/debug/vars': Latency; '/order?probe': Latency } };
}

interface Side {
  rps: number;
  cpuUsPerRequest: number;
}

const targets = { maxLossPercent: 3, maxVarsP99Ms: 2 };

/**
 * cpuPinning gives the services one CPU and the load (and its latency probe) the others, as a
 * service's clients are on other machines: unpinned, the scheduler often runs the load on the
 * service's CPU, and the service waits its turn in the middle of a request. The services' own
 * threads (V8's profiler and GC helpers among them) stay with them, so what they cost is counted.
 */
function cpuPinning(): { service: string; load: string } | undefined {
  const cpus = availableParallelism();
  if (cpus < 2 || spawnSync('taskset', ['-c', '0', process.execPath, '-e', '0']).status !== 0) return undefined;
  return { service: '0', load: cpus === 2 ? '1' : `1-${cpus - 1}` };
}

/** runAgentBench starts the services and the load, and prints the figures against the targets. */
export async function runAgentBench(opts: { phaseMs?: number; rounds?: number; connections?: number } = {}): Promise<void> {
  const phaseMs = opts.phaseMs ?? 1000;
  const rounds = opts.rounds ?? 12;
  const connections = opts.connections ?? 4;
  console.log(`\nagent: two identical node:http JSON services with proflens/agent, loaded at the same time from a second process over loopback`);
  console.log(`  ${rounds} rounds of ${phaseMs / 1000} s, a CPU profile running in one service (in turn), ${connections} keep-alive connections with 8 pipelined requests each per service; /debug/vars read every 50 ms`);
  const pin = cpuPinning();
  console.log(`  ${pin ? `both services pinned to CPU ${pin.service}, the load to CPU ${pin.load} (taskset)` : 'not pinned to CPUs (needs taskset and two CPUs): the load competes with the services for CPU'}`);
  const pinned = (cpus: string | undefined, args: string[]): [string, string[]] => (cpus ? ['taskset', ['-c', cpus, ...args]] : [args[0]!, args.slice(1)]);
  const services = await Promise.all(['A', 'B'].map((n) => startService(`agent service ${n}`, ...pinned(pin?.service, [process.execPath, join(here, 'agent-service.js')]))));
  try {
    const out = execFileSync(...pinned(pin?.load, [process.execPath, join(here, 'agent-load.js'), ...services.map((s) => s.url), String(phaseMs), String(rounds), String(connections)]), {
      encoding: 'utf8',
      timeout: (rounds + 4) * (phaseMs + 3000) + 20_000,
    });
    const r = JSON.parse(out) as AgentBenchResult;
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const list = (xs: number[]): string => [...xs].sort((a, b) => a - b).map((x) => x.toFixed(3)).join(', ');
    const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
    // Requests/s side by side, and capacity: requests per CPU-second of each service (all its
    // threads), what a saturated service of its own serves per second. Side by side, requests/s
    // miss most of the profiler's cost: its thread's CPU time is taken from both services alike
    // (sampling every 1 ms, the ratio of requests/s stayed 1.004 where capacity fell to 0.930).
    const rpsRatios = r.rounds.map((x) => x.withProfile.rps / x.plain.rps);
    const capacityRatios = r.rounds.map((x) => x.plain.cpuUsPerRequest / x.withProfile.cpuUsPerRequest);
    const loss = (1 - Math.min(median(rpsRatios), median(capacityRatios))) * 100;
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log('');
    console.log(`  requests/s, plain service:     ${r.rounds.map((x) => x.plain.rps.toFixed(0)).join(', ')} (mean ${mean(r.rounds.map((x) => x.plain.rps)).toFixed(0)})`);
    console.log(`  requests/s, profiled service:  ${r.rounds.map((x) => x.withProfile.rps.toFixed(0)).join(', ')} (mean ${mean(r.rounds.map((x) => x.withProfile.rps)).toFixed(0)}; profile ${r.rounds.at(-1)?.profileBytes} bytes)`);
    console.log(`  ratio profiled/plain, requests/s:  ${list(rpsRatios)} (median ${median(rpsRatios).toFixed(3)})`);
    console.log(`  ratio profiled/plain, capacity:    ${list(capacityRatios)} (median ${median(capacityRatios).toFixed(3)}; CPU per request ${median(r.rounds.map((x) => x.plain.cpuUsPerRequest)).toFixed(1)} µs plain)`);
    console.log(`  loss while profiling (the larger of the two): ${loss.toFixed(1)}%   target ≤ ${targets.maxLossPercent}%: ${verdict(loss <= targets.maxLossPercent)}`);
    const lat = (l: Latency): string => `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, max ${l.max.toFixed(2)} ms (${l.n} reads)`;
    // The target is judged on the time the service takes to answer /debug/vars (arrival to last
    // byte, queueing behind the load's requests included): the agent's own share. Timed from a
    // client process, every request here, the agent's or not, also carries the machine's wake-up
    // and scheduling tail; the ordinary request beside it shows how much of the tail that is.
    const served = r.half.served['/debug/vars'];
    console.log(`  /debug/vars at ${r.half.rps.toFixed(0)} requests/s (half of capacity), in the service: ${lat(served)}   target p99 ≤ ${targets.maxVarsP99Ms} ms: ${verdict(served.p99 <= targets.maxVarsP99Ms)}`);
    console.log(`  an ordinary request, in the service:        ${lat(r.half.served['/order?probe'])}`);
    console.log(`  /debug/vars from a client process:         ${lat(r.half.vars)}`);
    console.log(`  an ordinary request from the same client:  ${lat(r.half.order)}`);
    console.log(`  /debug/vars while both services were saturated (queueing behind ${connections * 8} requests): ${lat(r.saturated)}`);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}
