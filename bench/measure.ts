// Times a command as a whole child process: wall-clock and peak resident set size.
//
// A whole process is what a user waits for, so start-up, module loading, reading the file and
// writing the report all count. Wall-clock is taken here around the spawn; peak RSS has to come
// from the kernel, which Node exposes only for its own process, so it is read through GNU time
// when present (`%M` is the child's ru_maxrss from wait4, which covers its own children too, as
// the `go` wrapper has), or else by polling /proc/<pid>/status while the child runs.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Run is one timed execution. */
export interface Run {
  readonly wallMs: number;
  /** Peak RSS in kB; undefined when the platform gives no way to read it. */
  readonly rssKb: number | undefined;
  readonly exitCode: number | null;
  readonly stderr: string;
}

/** Summary is the median of several runs, or the first failed run. */
export interface Summary {
  readonly runs: number;
  readonly wallMs: number;
  readonly rssKb: number | undefined;
  readonly failed?: Run;
}

/** rssMethod describes how peak RSS is measured, for the report header. */
export type RssMethod = 'gnu-time' | 'proc-poll' | 'none';

const gnuTime = '/usr/bin/time';
let scratchDir: string | undefined;

/** scratch is this process's temporary folder, made on first use and removed at exit. */
function scratch(): string {
  if (scratchDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'proflens-bench-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratchDir = dir;
  }
  return scratchDir;
}

/** detectRssMethod checks for a GNU time that takes -f/-o (BSD and busybox ones differ). */
export function detectRssMethod(): RssMethod {
  const out = join(scratch(), 'probe');
  const r = spawnSync(gnuTime, ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
  if (r.status === 0) {
    try {
      if (/^\d+\s*$/.test(readFileSync(out, 'utf8'))) return 'gnu-time';
    } catch {
      // No output file: not a GNU time after all.
    }
  }
  try {
    readFileSync('/proc/self/status', 'utf8');
    return 'proc-poll';
  } catch {
    return 'none';
  }
}

/** runOnce runs argv once with stdout to /dev/null, and times it. */
export function runOnce(argv: readonly string[], method: RssMethod): Promise<Run> {
  const out = join(scratch(), 'rss');
  const wrapped = method === 'gnu-time' ? [gnuTime, '-f', '%M', '-o', out, ...argv] : [...argv];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(wrapped[0]!, wrapped.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      // Only the end matters for a failure report; do not hold megabytes of it.
      stderr = (stderr + s).slice(-4000);
    });
    let polledKb: number | undefined;
    const poll =
      method === 'proc-poll'
        ? setInterval(() => {
            polledKb = readVmHwm(child.pid) ?? polledKb;
          }, 5)
        : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (poll) clearInterval(poll);
      let rssKb = polledKb;
      if (method === 'gnu-time') {
        // On failure GNU time writes a status line first; the figure is always the last line.
        const lines = readFileSync(out, 'utf8').trim().split('\n');
        const last = Number(lines[lines.length - 1]);
        rssKb = Number.isFinite(last) ? last : undefined;
      }
      resolve({ wallMs, rssKb, exitCode: code, stderr });
    });
  });
}

/** readVmHwm reads a live process's peak RSS (kB), or undefined once it has gone. */
export function readVmHwm(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * measure runs argv `runs` times (after `warmup` untimed runs, which bring the file and the
 * executable into the page cache) and returns the medians; it stops at the first failure.
 */
export async function measure(argv: readonly string[], runs: number, warmup: number, method: RssMethod): Promise<Summary> {
  for (let i = 0; i < warmup; i++) {
    const r = await runOnce(argv, method);
    if (r.exitCode !== 0) return { runs: 0, wallMs: r.wallMs, rssKb: r.rssKb, failed: r };
  }
  const done: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runOnce(argv, method);
    if (r.exitCode !== 0) return { runs: done.length, wallMs: r.wallMs, rssKb: r.rssKb, failed: r };
    done.push(r);
  }
  const rss = done.map((r) => r.rssKb).filter((k): k is number => k !== undefined);
  return {
    runs: done.length,
    wallMs: median(done.map((r) => r.wallMs)),
    rssKb: rss.length > 0 ? median(rss) : undefined,
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * findPprof returns the argv prefix that runs pprof, or undefined without Go. The pprof binary
 * itself is run rather than `go tool pprof`: the `go` wrapper adds its own start-up, which would
 * blur the comparison on small files.
 */
export function findPprof(): { argv: string[]; version: string } | undefined {
  const r = spawnSync('go', ['tool', '-n', 'pprof'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const v = spawnSync('go', ['version'], { encoding: 'utf8' });
  return { argv: [r.stdout.trim()], version: (v.stdout ?? '').trim() };
}

/** cpuTimes reads the machine's busy and total CPU ticks (Linux /proc/stat), undefined elsewhere. */
function cpuTimes(): { busy: number; total: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 8).map(Number);
    const idle = f[3]! + f[4]!;
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * machineQuiet waits until the machine's CPUs are mostly idle (under 15% over a quarter second),
 * at most maxMs: a browser just launched keeps a core busy for about a second, and a command timed
 * during that burst shares the cores with it. Where /proc/stat is not there, it waits a second.
 */
export async function machineQuiet(maxMs = 5000): Promise<void> {
  if (cpuTimes() === undefined) {
    await sleep(1000);
    return;
  }
  for (const t0 = performance.now(); performance.now() - t0 < maxMs; ) {
    const a = cpuTimes()!;
    await sleep(250);
    const b = cpuTimes()!;
    if (b.total > a.total && (b.busy - a.busy) / (b.total - a.total) < 0.15) return;
  }
}
