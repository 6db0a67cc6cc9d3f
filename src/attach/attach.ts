// Profiling a running Node process by its PID, without the agent and without a restart: open its
// inspector (inspector.ts), take what was asked over the DevTools protocol, and leave the process
// as it was: profilers disabled, and the inspector closed again when proflens opened it.

import { DevToolsSession } from './devtools-session.js';
import { AttachError } from './errors.js';
import { type InspectorOptions, closeInspector, openInspector } from './inspector.js';

/** AttachOptions say what to take from the process. */
export interface AttachOptions extends InspectorOptions {
  /** How long the CPU profile and the sampling heap profile run, in seconds. */
  readonly seconds: number;
  /** Take a CPU profile (V8's sampling profiler), sampling every cpuIntervalMicros (default 1000). */
  readonly cpu?: boolean;
  readonly cpuIntervalMicros?: number;
  /** Take a sampling heap profile: live objects allocated during the window, one sample every heapIntervalBytes on average (default 32 KiB, DevTools' default). */
  readonly heap?: boolean;
  readonly heapIntervalBytes?: number;
  /** Take a heap snapshot after the window, streaming its text to this sink chunk by chunk. */
  readonly heapSnapshot?: (chunk: string) => void;
  /** Notes for the user (what is happening, what could not be undone); default: none. */
  readonly note?: (msg: string) => void;
  /** Called once the inspector is open and the profilers are about to start: the moment to tell the user. */
  readonly started?: () => void;
  /** Ends the window early (Ctrl-C); what was taken so far is still returned. */
  readonly signal?: AbortSignal;
}

/** Attached is what was taken: V8's own JSON, as DevTools would save it. */
export interface Attached {
  readonly pid: number;
  /** A .cpuprofile's text. */
  readonly cpuProfile?: string;
  /** A .heapprofile's text. */
  readonly heapProfile?: string;
  /** The heap sampling interval used, in bytes. */
  readonly heapIntervalBytes?: number;
}

/** defaultHeapIntervalBytes is DevTools' default sampling interval (HeapProfiler.startSampling). */
export const defaultHeapIntervalBytes = 32 * 1024;

/** attachProfile opens the process's inspector, profiles it, and closes what it opened. */
export async function attachProfile(pid: number, o: AttachOptions): Promise<Attached> {
  try {
    return await attachOnce(pid, o);
  } catch (e) {
    // Every refusal names the process, protocol errors too.
    if (e instanceof AttachError && !e.message.startsWith(`process ${pid}`)) throw new AttachError(`process ${pid}: ${e.message}`, { cause: e });
    throw e;
  }
}

async function attachOnce(pid: number, o: AttachOptions): Promise<Attached> {
  const inspector = await openInspector(pid, o);
  o.note?.(`process ${pid}: inspector on 127.0.0.1:${inspector.port}${inspector.openedHere ? ' (started with SIGUSR1; closed again at the end)' : ' (already open; left open)'}`);
  let session: DevToolsSession;
  try {
    session = await DevToolsSession.connect(inspector.url, 5000);
  } catch (e) {
    if (inspector.openedHere) o.note?.(`process ${pid}: its inspector stays open on 127.0.0.1:${inspector.port} (proflens could not connect to close it)`);
    throw e;
  }
  try {
    return await profileSession(pid, session, o);
  } finally {
    const closed = await closeInspector(inspector, session).catch(() => false);
    if (!closed) o.note?.(`process ${pid}: its inspector is still open on 127.0.0.1:${inspector.port}`);
  }
}

/** profileSession runs the profilers over one session and turns them off again. */
async function profileSession(pid: number, s: DevToolsSession, o: AttachOptions): Promise<Attached> {
  const heapIntervalBytes = o.heapIntervalBytes ?? defaultHeapIntervalBytes;
  const cpu = o.cpu ?? (!o.heap && !o.heapSnapshot);
  const windowed = cpu || !!o.heap;
  let cpuProfile: string | undefined;
  let heapProfile: string | undefined;
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    if (cpu) {
      await s.call('Profiler.enable');
      cleanup.push(() => s.call('Profiler.disable'));
      await s.call('Profiler.setSamplingInterval', { interval: Math.max(1, Math.round(o.cpuIntervalMicros ?? 1000)) });
    }
    if (o.heap || o.heapSnapshot) {
      await s.call('HeapProfiler.enable');
      cleanup.push(() => s.call('HeapProfiler.disable'));
    }
    o.started?.();
    if (o.heap) {
      await s.call('HeapProfiler.startSampling', { samplingInterval: heapIntervalBytes });
      cleanup.unshift(() => s.call('HeapProfiler.stopSampling'));
    }
    if (cpu) {
      await s.call('Profiler.start');
      cleanup.unshift(() => s.call('Profiler.stop'));
      // V8's profiler cannot name code compiled before it started for a loop that was running
      // (on-stack replacement): a fresh process's hot function would vanish from its first
      // profile (the agent meets the same, src/agent/full-gc.ts). A full collection drops that
      // code; compiled again while the profiler listens, it is known.
      await s.call('HeapProfiler.collectGarbage');
    }
    if (windowed) await wait(o.seconds * 1000, o.signal);
    // Stop in the order started backwards; each stop taken off the clean-up list once done.
    if (cpu) {
      cleanup.shift();
      cpuProfile = profileText(await s.call('Profiler.stop', {}, 60_000), 'Profiler.stop');
    }
    if (o.heap) {
      cleanup.shift();
      heapProfile = profileText(await s.call('HeapProfiler.stopSampling', {}, 60_000), 'HeapProfiler.stopSampling');
    }
    if (o.heapSnapshot) {
      const sink = o.heapSnapshot;
      s.on('HeapProfiler.addHeapSnapshotChunk', (p) => {
        const chunk = (p as { chunk?: unknown } | undefined)?.chunk;
        if (typeof chunk === 'string') sink(chunk);
      });
      // The process stands still while V8 writes the snapshot: minutes for a large heap.
      await s.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false }, 30 * 60_000);
    }
  } finally {
    for (const undo of cleanup) await undo().catch(() => o.note?.(`process ${pid}: could not turn a profiler off again`));
  }
  return { pid, ...(cpuProfile !== undefined && { cpuProfile }), ...(heapProfile !== undefined && { heapProfile, heapIntervalBytes }) };
}

/** profileText is the `profile` of a stop command's answer, as JSON text. */
function profileText(result: unknown, method: string): string {
  const profile = (result as { profile?: unknown } | undefined)?.profile;
  if (typeof profile !== 'object' || profile === null) throw new AttachError(`${method}: the inspector's answer holds no profile`);
  return JSON.stringify(profile);
}

/** wait resolves after ms, or as soon as the signal aborts. */
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
