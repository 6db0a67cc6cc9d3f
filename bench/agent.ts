// The agent's cost on a service under load, measured on loopback in one run: requests per
// second of a small HTTP service (bench/agent-service.ts) loaded from a second process
// (bench/agent-load.ts), in alternating phases without and with a CPU profile running, and the
// latency of /debug/vars meanwhile. Bounded: a few seconds per phase, a cap on requests.

import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService } from '../demo/service-process.js';
import type { Latency } from './latency.js';

const here = dirname(fileURLToPath(import.meta.url));

/** AgentBenchResult are the figures of one run. */
interface AgentBenchResult {
  plain: Phase[];
  withProfile: Phase[];
  profileBytes: number;
  saturated: Latency;
  half: { rps: number; vars: Latency; order: Latency; served: { '/debug/vars': Latency; '/order?probe': Latency } };
}

interface Phase {
  rps: number;
  cpuUsPerRequest: number;
}

const targets = { maxLossPercent: 3, maxVarsP99Ms: 2 };

/** runAgentBench starts the service and the load, and prints the figures against the targets. */
export async function runAgentBench(opts: { phaseMs?: number; rounds?: number; connections?: number } = {}): Promise<void> {
  const phaseMs = opts.phaseMs ?? 2000;
  const rounds = opts.rounds ?? 5;
  const connections = opts.connections ?? 8;
  console.log(`\nagent: a node:http JSON service with proflens/agent, loaded from a second process over loopback`);
  console.log(`  ${rounds} × (${phaseMs / 1000} s without, ${phaseMs / 1000} s with a CPU profile running), ${connections} keep-alive connections; /debug/vars read every 50 ms`);
  const service = await startService('agent service', process.execPath, [join(here, 'agent-service.js')]);
  try {
    const out = execFileSync(process.execPath, [join(here, 'agent-load.js'), service.url, String(phaseMs), String(rounds), String(connections)], {
      encoding: 'utf8',
      timeout: (rounds * 2 + 3) * (phaseMs + 3000) + 10_000,
    });
    const r = JSON.parse(out) as AgentBenchResult;
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const plain = mean(r.plain.map((p) => p.rps));
    const profiled = mean(r.withProfile.map((p) => p.rps));
    // Each round's two phases are next to each other; the median of their ratios resists the
    // drift and the neighbours' bursts of a shared machine better than a ratio of means.
    const ratios = r.plain.map((p, i) => r.withProfile[i]!.rps / p.rps).sort((a, b) => a - b);
    const ratio = median(ratios);
    const loss = (1 - ratio) * 100;
    const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
    console.log('');
    console.log(`  requests/s without a profile: ${r.plain.map((x) => x.rps.toFixed(0)).join(', ')} (mean ${plain.toFixed(0)})`);
    console.log(`  requests/s while profiling:   ${r.withProfile.map((x) => x.rps.toFixed(0)).join(', ')} (mean ${profiled.toFixed(0)}; profile ${r.profileBytes} bytes)`);
    // CPU time per request, read from the service's own /debug/vars: what the profiler costs the
    // service, little disturbed by other programs competing for the machine.
    const cpuPlain = median(r.plain.map((p) => p.cpuUsPerRequest));
    const cpuProfiled = median(r.withProfile.map((p) => p.cpuUsPerRequest));
    const extra = (cpuProfiled / cpuPlain - 1) * 100;
    console.log(`  service CPU per request (median): ${cpuPlain.toFixed(1)} µs without, ${cpuProfiled.toFixed(1)} µs while profiling (${Math.abs(extra).toFixed(1)}% ${extra >= 0 ? 'more' : 'less'})`);
    console.log(`  ratio profiled/plain per round: ${ratios.map((x) => x.toFixed(3)).join(', ')}`);
    console.log(`  median ratio: ${ratio.toFixed(3)} (loss ${loss.toFixed(1)}%)   target ≤ ${targets.maxLossPercent}% loss: ${verdict(loss <= targets.maxLossPercent)}`);
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
    console.log(`  /debug/vars at full saturation (queueing behind ${connections} busy connections): ${lat(r.saturated)}`);
  } finally {
    await service.stop();
  }
}
