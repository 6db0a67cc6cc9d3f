// Reading a large profile, trace or dump fills fresh typed arrays, and on Linux every 4 KB page of
// them is a page fault (7–20 µs on the machines measured) unless it is backed by a transparent huge
// page. Most distributions give huge pages only to memory that asks for them (THP `madvise`), and
// Node's ArrayBuffers ask only when glibc's malloc is told to, through GLIBC_TUNABLES, which glibc
// reads once at start. So a run given a large local file starts itself again, once, with the
// tunable set: ~0.15 s for a new Node, against 1.5–3 s of faults saved on a 100 MB trace.

import { statSync } from 'node:fs';

/** The tunable asked for: glibc ≥ 2.35 madvises the large blocks it maps; older glibc ignores it. */
export const hugePagesTunable = 'glibc.malloc.hugetlb=1';

/** The smallest input worth a second start (the 30 MB trace saves ~0.7 s of CPU). */
const largeInputBytes = 16 << 20;

/**
 * restartedMark is set beside the tunable for the restarted run, which takes both out of its
 * environment at once (glibc has read the tunable by then): the programs it starts in turn
 * (go tool objdump, a browser) get the user's environment, not proflens's choice of malloc.
 */
const restartedMark = 'PROFLENS_HUGE_PAGES';

/** forgetRestart removes the restart's variables from this process's environment, if it is the restarted run. */
export function forgetRestart(env: NodeJS.ProcessEnv): void {
  if (env[restartedMark] !== '1') return;
  delete env[restartedMark];
  delete env.GLIBC_TUNABLES;
}

/** How long a terminal's Ctrl-C is given to reach the restarted run before it is passed on. */
const interruptGraceMs = 500;

/**
 * largeInput is the first argument naming a regular file of at least largeInputBytes when huge
 * pages are worth asking for: on Linux, with GLIBC_TUNABLES unset (a user's own setting stands,
 * an empty one opts out, and the restarted run has it set, so it never restarts twice).
 */
export function largeInput(args: readonly string[], env: NodeJS.ProcessEnv, platform: string): string | undefined {
  if (platform !== 'linux' || env.GLIBC_TUNABLES !== undefined) return undefined;
  // Completion runs at every Tab and reads no profile's samples: a second start would only slow it.
  if (args[0] === '__complete') return undefined;
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
export async function runWithHugePages(args: readonly string[]): Promise<number | undefined> {
  const script = process.argv[1];
  if (script === undefined) return undefined;
  // Imported here: every start of proflens reads this module, few restart.
  const [{ spawn }, { constants }] = await Promise.all([import('node:child_process'), import('node:os')]);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, GLIBC_TUNABLES: hugePagesTunable, [restartedMark]: '1' },
    });
    // A signal sent to this process alone (kill PID, a test stopping the server) is passed on. A
    // terminal's Ctrl-C reaches the whole process group, so the restarted run has its own; passing
    // it on at once would be a second, which cuts a graceful stop short. So on a terminal SIGINT is
    // passed on only if the restarted run is still there a moment later (it came by kill).
    const running = (): boolean => child.exitCode === null && child.signalCode === null;
    const forward = (signal: NodeJS.Signals): void => {
      if (signal !== 'SIGINT' || !process.stdin.isTTY) child.kill(signal);
      else setTimeout(() => running() && child.kill(signal), interruptGraceMs).unref();
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
