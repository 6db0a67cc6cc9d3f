// Reading a large profile, trace or dump fills fresh typed arrays, and on Linux every 4 KB page of
// them is a page fault (7–20 µs on the machines measured) unless it is backed by a transparent huge
// page. Most distributions give huge pages only to memory that asks for them (THP `madvise`), and
// Node's ArrayBuffers ask only when glibc's malloc is told to, through GLIBC_TUNABLES, which glibc
// reads once at start. So a run given a large local file starts itself again, once, with the
// tunable set: ~0.15 s for a new Node, against 1.5–3 s of faults saved on a 100 MB trace.

import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { constants } from 'node:os';

/** The tunable asked for: glibc ≥ 2.35 madvises the large blocks it maps; older glibc ignores it. */
export const hugePagesTunable = 'glibc.malloc.hugetlb=1';

/** The smallest input worth a second start (the 30 MB trace saves ~0.7 s of CPU). */
const largeInputBytes = 16 << 20;

/**
 * largeInput is the first argument naming a regular file of at least largeInputBytes when huge
 * pages are worth asking for: on Linux, with GLIBC_TUNABLES unset (a user's own setting stands,
 * an empty one opts out, and the restarted run has it set, so it never restarts twice).
 */
export function largeInput(args: readonly string[], env: NodeJS.ProcessEnv, platform: string): string | undefined {
  if (platform !== 'linux' || env.GLIBC_TUNABLES !== undefined) return undefined;
  for (const arg of args) {
    if (arg.startsWith('-') || arg.includes('://')) continue;
    try {
      const st = statSync(arg, { throwIfNoEntry: false });
      if (st?.isFile() && st.size >= largeInputBytes) return arg;
    } catch {
      // Not a readable path: the run itself says what is wrong with it.
    }
  }
  return undefined;
}

/**
 * runWithHugePages runs this same command in a new Node with the tunable set, passing the
 * terminal through, and resolves to its exit code; a signal that ends it ends this process the
 * same way. It resolves undefined when the new process cannot be started (then run in-process).
 */
export function runWithHugePages(args: readonly string[]): Promise<number | undefined> {
  const script = process.argv[1];
  if (script === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, GLIBC_TUNABLES: hugePagesTunable },
    });
    // A terminal's Ctrl-C already reaches the whole process group; a signal sent to this process
    // alone (kill PID, a test stopping the server) is passed on.
    const forward = (signal: NodeJS.Signals): void => {
      if (signal !== 'SIGINT' || !process.stdin.isTTY) child.kill(signal);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, forward);
    child.on('error', () => {
      for (const s of signals) process.off(s, forward);
      resolve(undefined);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal !== null) {
        process.kill(process.pid, signal);
        resolve(128 + (constants.signals[signal] ?? 0));
      } else resolve(code ?? 1);
    });
  });
}
