// `proflens attach PID`: profile a running Node process without the agent and without a restart
// (src/attach), and save what it gives like a fetched profile: pprof.node-PID.TYPES.NNN.pb.gz,
// with V8's own .cpuprofile/.heapprofile beside it under the same number. `--pid PID` on top,
// web, the shell and fetch takes the profile the same way, then goes on with it as a file.

import type { Command } from 'commander';
import { UsageError } from '../src/profile/errors.js';
import type { Profile } from '../src/profile/model.js';
import { durationOption, parseGoInt } from './flag-values.js';
import type { CliIO } from './options.js';

/** AttachFlags are the options of attach (and of --pid on the other commands). */
export interface AttachFlags {
  seconds?: string;
  cpu?: boolean;
  cpuInterval?: string;
  heap?: boolean;
  heapInterval?: string;
  heapSnapshot?: boolean;
  inspectPort?: string;
  sourceMaps?: string[] | false;
  dir?: string;
  debug?: boolean;
}

type Run = (action: () => Promise<void>, debug: boolean) => void;

const collect = (v: string, prev: string[] | false | undefined): string[] => [...(prev || []), v];

/** addAttachOptions adds the options of attaching to a command. */
export function addAttachOptions(cmd: Command): Command {
  return cmd
    .option('--seconds <n>', 'how long the CPU or heap profile runs, in seconds (default 30)')
    .option('--cpu', 'take a CPU profile (the default, unless --heap or --heap-snapshot is given)')
    .option('--cpu-interval <duration>', "V8's CPU sampling interval (Go syntax: 1ms, 250us; default 1ms)")
    .option('--heap', 'take a sampling heap profile: the objects allocated during the window and still live at its end')
    .option('--heap-interval <bytes>', 'bytes allocated between heap samples, on average (default 32768)')
    .option('--heap-snapshot', 'also save a full heap snapshot (.heapsnapshot): pauses the process, needs about its heap size again in memory')
    .option('--inspect-port <port>', "use the process's inspector already listening on this port (default: start it with SIGUSR1)")
    .option('--source-maps <dir>', 'look for source maps under this folder (repeatable; default: the folder of the main script)', collect)
    .option('--no-source-maps', 'do not map frames through source maps');
}

/** registerAttachCommand adds `attach` to the program. */
export function registerAttachCommand(program: Command, io: CliIO, run: Run): void {
  addAttachOptions(
    program
      .command('attach')
      .description('profile a running Node.js process by its PID, without the agent: CPU by default, --heap, --heap-snapshot; save and print where')
      .argument('<pid>', 'the process id of a Node.js process of the same user'),
  )
    .option('--dir <folder>', 'save into this folder instead ($PPROF_TMPDIR, else ~/pprof)')
    .option('--debug', 'print stack traces on errors')
    .action((pid: string, flags: AttachFlags) =>
      run(async () => {
        for (const path of await attachAndSave(io, pid, flags)) io.stdout(`${path}\n`);
      }, !!flags.debug),
    );
}

/** AttachPlan is what the flags ask of an attach, read and checked before the process is touched. */
interface AttachPlan {
  readonly pid: number;
  readonly seconds: number;
  readonly cpu: boolean;
  readonly cpuIntervalMicros: number;
  readonly heap: boolean;
  readonly heapIntervalBytes?: number;
  readonly heapSnapshot: boolean;
  readonly inspectPort?: number;
}

function readPlan(pidArg: string, f: AttachFlags): AttachPlan {
  if (!/^\d+$/.test(pidArg.trim())) throw new UsageError(`attach: ${JSON.stringify(pidArg)} is not a process id`);
  const seconds = f.seconds === undefined ? 30 : parseGoInt('--seconds', f.seconds);
  if (seconds < 1) throw new UsageError('--seconds: the profile runs for at least 1 second');
  const intervalMs = f.cpuInterval === undefined ? 1 : durationOption('--cpu-interval', f.cpuInterval, 0.001);
  const heapIntervalBytes = f.heapInterval === undefined ? undefined : parseGoInt('--heap-interval', f.heapInterval);
  if (heapIntervalBytes !== undefined && heapIntervalBytes < 1) throw new UsageError('--heap-interval: at least 1 byte');
  const port = f.inspectPort === undefined ? undefined : parseGoInt('--inspect-port', f.inspectPort);
  if (port !== undefined && !(port > 0 && port < 65536)) throw new UsageError(`--inspect-port: ${port} is not a port`);
  const heap = !!f.heap;
  const heapSnapshot = !!f.heapSnapshot;
  return {
    pid: Number(pidArg),
    seconds,
    cpu: !!f.cpu || (!heap && !heapSnapshot),
    cpuIntervalMicros: Math.max(1, Math.round(intervalMs * 1000)),
    heap,
    ...(heapIntervalBytes !== undefined && { heapIntervalBytes }),
    heapSnapshot,
    ...(port !== undefined && { inspectPort: port }),
  };
}

/**
 * attachAndSave profiles the process as the flags say, saves each profile (pprof and V8's own,
 * under one number) and the heap snapshot, and returns the saved paths, pprof profiles first.
 */
export async function attachAndSave(io: CliIO, pidArg: string, f: AttachFlags): Promise<string[]> {
  const plan = readPlan(pidArg, f);
  const [{ attachProfile }, { saveNumbered }, { mainScriptDir, sourceMapFrames }, { cpuProfileToProfile, isCpuProfile }, { heapProfileToProfile, isHeapProfile }, { encodeProfile }, { AttachError }] = await Promise.all([
    import('../src/attach/attach.js'),
    import('../src/fetch/store.js'),
    import('../src/attach/source-maps.js'),
    import('../src/v8/cpuprofile.js'),
    import('../src/v8/heapprofile.js'),
    import('../src/profile/encode.js'),
    import('../src/attach/errors.js'),
  ]);
  const env = f.dir ? { ...(io.env ?? process.env), PPROF_TMPDIR: f.dir } : (io.env ?? process.env);
  const note = (m: string): void => io.stderr(`proflens: ${m}\n`);
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  process.once('SIGINT', onInterrupt);
  const startedNanos = Date.now() * 1e6;
  const saved: string[] = [];
  try {
    const what = [plan.cpu && 'a CPU profile', plan.heap && 'a heap profile'].filter(Boolean).join(' and ');
    const started = (): void => {
      if (what) note(`process ${plan.pid}: taking ${what} for ${plan.seconds} s`);
      if (plan.heapSnapshot) note(`process ${plan.pid}: taking a heap snapshot${what ? ' after that' : ''}: the process stops until it is written, and needs about its heap size again in memory meanwhile`);
    };
    const options = {
      started,
      seconds: plan.seconds,
      cpu: plan.cpu,
      cpuIntervalMicros: plan.cpuIntervalMicros,
      heap: plan.heap,
      ...(plan.heapIntervalBytes !== undefined && { heapIntervalBytes: plan.heapIntervalBytes }),
      ...(plan.inspectPort !== undefined && { inspectPort: plan.inspectPort }),
      note: f.debug ? note : undefined,
      signal: stop.signal,
    };
    let attached: Awaited<ReturnType<typeof attachProfile>>;
    if (plan.heapSnapshot) {
      // The snapshot streams straight into the store; the profiles come back when it is whole.
      let result: typeof attached | undefined;
      const [snapshot] = await saveNumbered(`node-${plan.pid}.`, [{
        suffix: '.heapsnapshot',
        data: async (tmp) => {
          const { openSync, writeSync, closeSync } = await import('node:fs');
          const fd = openSync(tmp, 'a');
          try {
            result = await attachProfile(plan.pid, { ...options, heapSnapshot: (chunk) => writeSync(fd, chunk) });
          } finally {
            closeSync(fd);
          }
        },
      }], 'heap snapshot', env);
      attached = result!;
      saved.push(snapshot!);
    } else {
      attached = await attachProfile(plan.pid, options);
    }
    const dirs = f.sourceMaps === false ? [] : f.sourceMaps && f.sourceMaps.length > 0 ? f.sourceMaps : [mainScriptDir(plan.pid)].filter((d): d is string => d !== undefined);
    const mapFrame = await sourceMapFrames(dirs, note);
    const convert = mapFrame ? { mapFrame } : {};
    const save = async (p: Profile, original: string, suffix: string): Promise<void> => {
      const prefix = `pprof.node-${plan.pid}.${p.sampleTypes.map((t) => t.type).join('.')}.`;
      const stamped: Profile = { ...p, timeNanos: startedNanos };
      const paths = await saveNumbered(prefix, [
        { suffix: '.pb.gz', data: encodeProfile(stamped) },
        { suffix, data: Buffer.from(original) },
      ], 'profile', env);
      saved.splice(saved.length - (plan.heapSnapshot ? 1 : 0), 0, ...paths);
    };
    if (attached.cpuProfile !== undefined) {
      const json: unknown = JSON.parse(attached.cpuProfile);
      if (!isCpuProfile(json)) throw new AttachError(`process ${plan.pid}: Profiler.stop answered with something that is not a CPU profile`);
      await save(cpuProfileToProfile(json, convert), attached.cpuProfile, '.cpuprofile');
    }
    if (attached.heapProfile !== undefined) {
      const json: unknown = JSON.parse(attached.heapProfile);
      if (!isHeapProfile(json)) throw new AttachError(`process ${plan.pid}: HeapProfiler.stopSampling answered with something that is not a heap profile`);
      const p = heapProfileToProfile(json, { ...convert, ...(attached.heapIntervalBytes !== undefined && { intervalBytes: attached.heapIntervalBytes }) });
      await save(p, attached.heapProfile, '.heapprofile');
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  return saved;
}
