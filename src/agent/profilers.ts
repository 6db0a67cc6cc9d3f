// The agent's use of @datadog/pprof: CPU profiles (V8's sampling profiler, one at a time per
// process, as Go allows one CPU profile at a time), heap profiles (V8's sampling heap profiler,
// started once so a profile shows what is live now), and the source maps both resolve through.
//
// @datadog/pprof (native, ~15 MB) is an optional peer dependency: the command line never needs
// it, so `npm i -g proflens` does not install it. It is loaded when an agent is created, and its
// absence is one clear error there instead of ERR_MODULE_NOT_FOUND when proflens/agent is imported.

import { createRequire } from 'node:module';
import { fullGc } from './full-gc.js';
import type { Settings } from './options.js';
import type { PprofModule, PprofProfile, SourceMapper } from './pprof-types.js';

/** MissingProfiler says that the agent's profiling package is not installed. */
export class MissingProfiler extends Error {
  override name = 'MissingProfiler';
}

let datadog: PprofModule | undefined;

/**
 * profiler loads @datadog/pprof, from where the application installed it (a peer of proflens).
 * Synchronous (it is a CommonJS package), so createAgent stays synchronous.
 */
export function profiler(): PprofModule {
  if (datadog) return datadog;
  try {
    datadog = createRequire(import.meta.url)('@datadog/pprof') as PprofModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'MODULE_NOT_FOUND') throw e;
    throw new MissingProfiler('proflens/agent needs @datadog/pprof, which is not installed: npm install @datadog/pprof@^5.20.0', { cause: e });
  }
  return datadog;
}

/** Busy says that a CPU profile is already being taken; the handler turns it into a 409. */
export class Busy extends Error {
  override name = 'Busy';
}

/** Only one CPU profile can run in a process, whichever agent (or other code) started it. */
let cpuProfiling = false;

/** SourceMaps loads the source maps once, when the first profile needs them. */
export class SourceMaps {
  #mapper: Promise<SourceMapper | undefined> | undefined;
  constructor(private readonly s: Settings) {}

  /** get returns the mapper, or undefined when maps are off or could not be read (reported once). */
  get(): Promise<SourceMapper | undefined> {
    const dirs = this.s.sourceMapDirs.filter((d) => d !== '/' && d !== '');
    if (dirs.length === 0) return Promise.resolve(undefined);
    this.#mapper ??= profiler().SourceMapper.create([...dirs]).catch((e: unknown) => {
      this.s.onError(new Error(`reading source maps: ${(e as Error).message}`, { cause: e }));
      return undefined;
    });
    return this.#mapper;
  }
}

/**
 * cpuProfile samples the process for `ms` milliseconds (or until `stopEarly` fires) and returns
 * the gzipped profile. Waiting is a timer, so the service keeps running at full speed meanwhile.
 */
export async function cpuProfile(s: Settings, maps: SourceMaps, ms: number, stopEarly: AbortSignal): Promise<Uint8Array | undefined> {
  const { time, encode } = profiler();
  if (cpuProfiling || time.isStarted()) throw new Busy('cpu profiling already in use');
  cpuProfiling = true;
  try {
    // The first profile loads the source maps (a walk of the program's folder: hundreds of ms on a
    // busy machine). A client that leaves meanwhile ends this profile at once, not when they are
    // loaded, so that the next can start: it waits for the same maps, which load on.
    const sourceMapper = await unlessAborted(maps.get(), stopEarly);
    if (stopEarly.aborted) return undefined;
    // Drop code the profiler could not name (see full-gc.ts) right before it starts listening:
    // no await in between, or a loop could be compiled again unseen.
    fullGc();
    startTimeProfiler(s, sourceMapper);
    let profile: PprofProfile;
    try {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        t.unref?.();
        stopEarly.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    } finally {
      profile = time.stop();
    }
    if (stopEarly.aborted) return undefined;
    return await encode(profile);
  } finally {
    cpuProfiling = false;
  }
}

/** unlessAborted settles as p does, or with undefined as soon as signal aborts (p goes on). */
function unlessAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** startTimeProfiler starts V8's profiler with line numbers, or with CPU time when asked and able. */
function startTimeProfiler(s: Settings, sourceMapper: SourceMapper | undefined): void {
  const { time } = profiler();
  const common = { intervalMicros: s.cpuIntervalMicros, ...(sourceMapper && { sourceMapper }) };
  if (s.cpuTime) {
    try {
      time.start({ ...common, withContexts: true, collectCpuTime: true, lineNumbers: false });
      return;
    } catch (e) {
      s.onError(new Error(`CPU time is not available here, profiling wall time: ${(e as Error).message}`, { cause: e }));
    }
  }
  time.start({ ...common, lineNumbers: true });
}

/** HeapProfiler owns the sampling heap profiler the agent started. */
export class HeapProfiler {
  #started = false;
  #failure: string | undefined = undefined;

  constructor(private readonly s: Settings) {}

  /** start turns sampling on; a failure (another part of the program started it differently) is kept. */
  start(): void {
    if (!this.s.heapProfiler) {
      this.#failure = 'the heap profiler is turned off in the agent options';
      return;
    }
    try {
      profiler().heap.start(this.s.heapIntervalBytes, this.s.heapStackDepth);
      this.#started = true;
    } catch (e) {
      this.#failure = (e as Error).message;
      this.s.onError(new Error(`starting the heap profiler: ${this.#failure}`, { cause: e }));
    }
  }

  /** profile returns what is live now, gzipped; it throws with the reason when sampling is off. */
  async profile(maps: SourceMaps): Promise<Uint8Array> {
    if (!this.#started) throw new Error(this.#failure ?? 'the heap profiler is not running');
    const sourceMapper = await maps.get();
    const { encode, heap } = profiler();
    return encode(heap.profile(undefined, sourceMapper));
  }

  /** stop turns sampling off, if this agent turned it on. */
  stop(): void {
    if (this.#started) profiler().heap.stop();
    this.#started = false;
    this.#failure = 'the agent was closed';
  }
}
