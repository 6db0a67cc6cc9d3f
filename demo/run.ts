// The README's first command (`npm run demo`): profile a real service the way a user would.
// It starts the bundled Node service (demo/service.mjs: CPU work and a slow leak, with the
// proflens agent mounted), then runs the real proflens executable against it over HTTP:
// a CPU profile's top, two heap snapshots and what grew between them, the service's vars, a Go
// execution trace's summary (2 s of a Go service traced live when `go` is installed, else the
// committed fixture trace), and, on a terminal, the flame graph and the trace's timeline in the
// browser. Then it stops the services.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startService } from './service-process.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repoRoot, 'dist', 'bin', 'proflens.js');
const store = mkdtempSync(join(tmpdir(), 'proflens-demo-'));
const env = { ...process.env, PPROF_TMPDIR: store };
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** proflens runs the real executable with the user's terminal, and fails the demo if it fails. */
function proflens(...args: string[]): Promise<void> {
  console.log(`\n${bold(`$ proflens ${args.join(' ')}`)}`);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env });
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`proflens ${args[0]} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  // Heap samples every 128 kB rather than the agent's 512 kB: four times the samples, so the
  // growth between two snapshots four seconds apart is measured within a few percent.
  const service = await startService('demo service', process.execPath, [join(repoRoot, 'demo', 'service.mjs'), '--heap-interval', '131072']);
  const { url } = service;
  console.log(`demo service (demo/service.mjs) listening on ${url}; profiles are saved in ${store}`);
  try {
    // Where does the CPU go? A 3-second CPU profile, collected over HTTP like any Go service's.
    await proflens('top', '--seconds', '3', '--nodecount', '10', `${url}/debug/pprof/profile`);
    const cpu = readdirSync(store).find((n) => n.includes('.cpu.') || n.includes('.wall.')) ?? readdirSync(store)[0]!;

    // What grows? Two heap snapshots four seconds apart, and the growth between them.
    const series = join(store, 'heap');
    await proflens('fetch', '--every', '4s', '--count', '2', '--dir', series, `${url}/debug/pprof/heap`);
    const [first, second] = readdirSync(series).sort();
    await proflens('diff', '--nodecount', '8', join(series, first!), join(series, second!));

    // The runtime's own figures, as expvar shows them for Go.
    await proflens('vars', '--var', 'memstats.HeapAlloc', '--var', 'memstats.NumGC', '--var', 'leakedBytes', '--var', 'requests', url);

    // A Go execution trace: what the goroutines of a Go service did, second by second.
    const trace = await traceSummary();

    // The flame graph and the trace's timeline, in the browser, when someone is there to look at them.
    if (process.stdout.isTTY && process.stdin.isTTY) {
      console.log(`\n${bold(`$ proflens web ${join(store, cpu)}`)}`);
      console.log(`${bold(`$ proflens trace ${trace}`)}   (press Enter to stop both)`);
      const servers: ChildProcess[] = [
        spawn(process.execPath, [cli, 'web', join(store, cpu)], { stdio: ['ignore', 'inherit', 'inherit'], env }),
        spawn(process.execPath, [cli, 'trace', trace], { stdio: ['ignore', 'inherit', 'inherit'], env }),
      ];
      await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
      for (const s of servers) s.kill('SIGTERM');
    } else {
      console.log(`\nTo see the trace's timeline in your browser: node dist/bin/proflens.js trace ${trace}`);
      console.log(`\nTo see the CPU flame graph in your browser: node dist/bin/proflens.js web ${join(store, cpu)}`);
    }
  } finally {
    await service.stop();
  }
}

/**
 * traceSummary prints the summary of a Go execution trace and returns the trace's file: where `go`
 * is installed, the tracesvc fixture (fixtures/go/cmd/tracesvc) traced for 2 s over HTTP, saved in
 * the store; on a machine with Node alone, the committed fixture trace.
 */
async function traceSummary(): Promise<string> {
  const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
  const bin = join(store, 'tracesvc');
  const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
  if (!hasGo || spawnSync('go', ['build', '-o', bin, './cmd/tracesvc'], { cwd: join(repoRoot, 'fixtures', 'go'), stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) {
    console.log(`\n(no Go toolchain: the committed trace of the Go service fixtures/go/cmd/tracesvc instead of a live one)`);
    await proflens('trace', 'summary', fixture);
    return fixture;
  }
  const svc = await startService('tracesvc', bin, ['-http', '127.0.0.1:0']);
  try {
    await proflens('trace', 'summary', '--seconds', '2', svc.url.replace(/^http:\/\//, ''));
  } finally {
    await svc.stop();
    rmSync(bin, { force: true });
  }
  return join(store, readdirSync(store).find((n) => /^trace\.\d+\.out$/.test(n)) ?? 'trace.001.out');
}

main().catch((e: unknown) => {
  console.error(`demo: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
