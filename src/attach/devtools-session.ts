// A DevTools-protocol session with a Node inspector, over a WebSocket on 127.0.0.1: commands
// sent with an id and answered with that id, events delivered to listeners. Everything the
// inspector sends is untrusted: messages are size-bounded, parsed defensively, and a protocol
// error becomes a one-line AttachError naming the command.

import { WebSocket } from 'ws';
import { AttachError } from './errors.js';

/** Largest message accepted: a CPU or heap profile of a large program stays far below it. */
const maxMessageBytes = 512 * 1024 * 1024;

/** DevToolsSession is one open connection to an inspector. */
export class DevToolsSession {
  #next = 1;
  readonly #pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners = new Map<string, (params: unknown) => void>();
  #closed: Error | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => this.#receive(isBinary ? '' : data.toString()));
    ws.on('close', () => this.#fail(new AttachError('the inspector closed the connection')));
    ws.on('error', (e) => this.#fail(new AttachError(`inspector connection: ${e.message}`, { cause: e })));
  }

  /** connect opens a session on the inspector's WebSocket URL, which must be on 127.0.0.1. */
  static async connect(url: string, timeoutMs: number): Promise<DevToolsSession> {
    const u = new URL(url);
    if (u.protocol !== 'ws:' || u.hostname !== '127.0.0.1') throw new AttachError(`inspector URL ${url}: proflens connects only to ws://127.0.0.1`);
    const ws = new WebSocket(u, { maxPayload: maxMessageBytes, handshakeTimeout: timeoutMs, perMessageDeflate: false, followRedirects: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (e) => reject(new AttachError(`connecting to the inspector at ${url}: ${e.message}`, { cause: e })));
      ws.once('unexpected-response', (_req, res) => reject(new AttachError(`connecting to the inspector at ${url}: HTTP ${res.statusCode}`)));
    });
    return new DevToolsSession(ws);
  }

  /** on sets the listener of one event (the last one set wins). */
  on(event: string, listener: (params: unknown) => void): void {
    this.#listeners.set(event, listener);
  }

  /** call sends a command and resolves with its result; an error answer or a timeout rejects. */
  call(method: string, params: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new AttachError(`${method}: no answer from the inspector within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** close ends the session (the inspector stays as it is). */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2000);
      this.ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      this.ws.close();
    });
  }

  #receive(text: string): void {
    let m: { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: { message?: unknown } };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      this.#fail(new AttachError('the inspector sent a message that is not JSON'));
      return;
    }
    if (typeof m !== 'object' || m === null) return;
    if (typeof m.id === 'number') {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.error !== undefined) {
        const why = typeof m.error?.message === 'string' ? m.error.message.slice(0, 200) : 'an error';
        p.reject(new AttachError(`${p.method}: the inspector answered: ${why}`));
      } else {
        p.resolve(m.result);
      }
      return;
    }
    if (typeof m.method === 'string') this.#listeners.get(m.method)?.(m.params);
  }

  #fail(e: Error): void {
    if (this.#closed) return;
    this.#closed = e;
    for (const p of this.#pending.values()) p.reject(new AttachError(`${p.method}: ${e.message}`, { cause: e }));
    this.#pending.clear();
  }
}
