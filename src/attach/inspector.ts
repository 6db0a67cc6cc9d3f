// Opening a Node process's inspector on 127.0.0.1, and closing it again when proflens opened it.
//
// SIGUSR1 makes Node start its inspector (on --inspect-port, 9229 by default) without a restart.
// Before signalling, proflens makes sure that the process runs Node, that it catches SIGUSR1
// (SIGUSR1's default action ends a process), and that the port is free or already the process's
// own: /proc says which sockets the process holds, so an inspector of another process on the
// same port is never mistaken for the target's.

import { request } from 'node:http';
import { AttachError } from './errors.js';
import { ListeningPorts, checkTarget, handlesSigusr1, inspectPortArgument } from './target.js';
import type { DevToolsSession } from './devtools-session.js';

/** Node's inspector port when the process was given none. */
export const defaultInspectPort = 9229;

/** OpenedInspector is an inspector ready for a session. */
export interface OpenedInspector {
  readonly pid: number;
  readonly port: number;
  /** ws://127.0.0.1:PORT/ID of the process's target. */
  readonly url: string;
  /** Whether proflens started it (and so closes it at the end). */
  readonly openedHere: boolean;
}

/** InspectorOptions say how to find the inspector. */
export interface InspectorOptions {
  /** An inspector already listening on this port (the target's own, checked). */
  readonly inspectPort?: number;
  /** How long to wait for the inspector to come up after the signal; default 5 s. */
  readonly timeoutMs?: number;
}

/** openInspector finds the process's inspector, starting it with SIGUSR1 when it is not running. */
export async function openInspector(pid: number, o: InspectorOptions = {}): Promise<OpenedInspector> {
  checkTarget(pid);
  const timeoutMs = o.timeoutMs ?? 5000;
  const port = o.inspectPort ?? inspectPortArgument(pid) ?? defaultInspectPort;
  const before = new ListeningPorts(pid);
  // --inspect-port=0: the inspector will take any free port, so no port can be taken from it.
  const owner = port === 0 ? undefined : before.owner(port);
  if (owner === 'self') {
    const url = await targetUrl(port, timeoutMs);
    if (url === undefined) throw new AttachError(`process ${pid} listens on 127.0.0.1:${port}, but not with an inspector (give --inspect-port)`);
    return { pid, port, url, openedHere: false };
  }
  if (owner === 'other') {
    throw new AttachError(`process ${pid}: its inspector port ${port} is taken by another process; free it, or start the target with --inspect-port and give that port`);
  }
  if (o.inspectPort !== undefined) throw new AttachError(`process ${pid} does not listen on port ${port}: no inspector there (leave out --inspect-port to start one)`);
  if (!handlesSigusr1(pid)) {
    throw new AttachError(`process ${pid}: Node without the inspector (built --without-inspector, or SIGUSR1 disabled): it does not handle SIGUSR1, which would end it, so it was not signalled`);
  }
  process.kill(pid, 'SIGUSR1');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await sleep(50);
    const now = new ListeningPorts(pid);
    // The expected port first; then any port the process opened since (NODE_OPTIONS may have set it).
    const fresh = [...now.own].filter((p) => !before.own.has(p)).sort((a, b) => (a === port ? -1 : b === port ? 1 : a - b));
    for (const p of fresh) {
      const url = await targetUrl(p, Math.max(500, deadline - Date.now()));
      if (url !== undefined) return { pid, port: p, url, openedHere: true };
    }
    if (port !== 0 && now.owner(port) === 'other') throw new AttachError(`process ${pid}: its inspector port ${port} was taken by another process`);
  }
  throw new AttachError(`process ${pid} did not start its inspector within ${timeoutMs / 1000} s of SIGUSR1 (its standard error says why; an inspector it already has on another port: give --inspect-port)`);
}

/**
 * closeInspector closes an inspector that proflens opened, so the process is left as it was:
 * the process itself is asked to close it (require('inspector').close()), a moment after this
 * session has gone. Then it waits for the port to close; false when it did not.
 */
export async function closeInspector(inspector: OpenedInspector, session: DevToolsSession): Promise<boolean> {
  if (!inspector.openedHere) {
    await session.close();
    return true;
  }
  // Node's command-line API gives `require` to evaluated code, in ES modules too; close() waits
  // for connections to end, so it runs after this session has closed.
  const expression = `(() => {
    const inspector = typeof require === 'function' ? require('inspector') : process.getBuiltinModule?.('inspector');
    setTimeout(() => (inspector ? inspector.close() : process._debugEnd()), 100).unref();
    return true;
  })()`;
  try {
    await session.call('Runtime.evaluate', { expression, includeCommandLineAPI: true, silent: true }, 5000);
  } finally {
    await session.close();
  }
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    await sleep(50);
    try {
      if (!new ListeningPorts(inspector.pid).own.has(inspector.port)) return true;
    } catch {
      return true; // the process is gone: nothing left open
    }
  }
  return false;
}

/** targetUrl asks the inspector on 127.0.0.1:port for its target's WebSocket URL; undefined when nothing answers as an inspector. */
async function targetUrl(port: number, timeoutMs: number): Promise<string | undefined> {
  let body: string;
  try {
    body = await getLocal(port, '/json/list', timeoutMs);
  } catch {
    return undefined;
  }
  let list: unknown;
  try {
    list = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  for (const t of list as { webSocketDebuggerUrl?: unknown }[]) {
    if (typeof t?.webSocketDebuggerUrl !== 'string') continue;
    // The target's id is all that is taken from the answer: the host is always 127.0.0.1.
    const id = /^ws:\/\/[^/]+\/([0-9a-f-]{1,64})$/i.exec(t.webSocketDebuggerUrl)?.[1];
    if (id) return `ws://127.0.0.1:${port}/${id}`;
  }
  return undefined;
}

/** getLocal GETs a path on 127.0.0.1:port, reading at most 1 MB of the answer. */
function getLocal(port: number, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 1 << 20) req.destroy(new Error('answer too large'));
        else chunks.push(c);
      });
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
