// The agent benchmark's load: GET requests written straight to keep-alive sockets, several in
// flight on each (HTTP/1.1 pipelining, which node:http serves in order), responses framed by their
// Content-Length. node:http's own client spends more CPU per request than the small service it
// loads, so with it the client saturated first and requests/s measured the client; this costs a
// fraction of that, and the service is what runs out of CPU.

import * as net from 'node:net';

/** LoadSettings say what to send, how hard and for how long. */
export interface LoadSettings {
  readonly url: string;
  readonly path: string;
  readonly connections: number;
  /** Requests in flight on each connection. */
  readonly depth: number;
  readonly ms: number;
  /** No more than this many requests in all, whatever the machine's speed. */
  readonly maxRequests: number;
}

/** pipelinedLoad sends requests until the time or the request budget is spent and returns how many were answered. */
export async function pipelinedLoad(s: LoadSettings): Promise<number> {
  const u = new URL(s.path, s.url);
  const request = `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`;
  // requests[n] is n requests in one buffer: the answers a read brings are replaced in one write.
  const requests = Array.from({ length: s.depth + 1 }, (_, n) => Buffer.from(request.repeat(n), 'latin1'));
  const end = performance.now() + s.ms;
  const budget = { left: s.maxRequests, answered: 0 };
  await Promise.all(Array.from({ length: s.connections }, () => connection(u, requests, end, budget)));
  return budget.answered;
}

/** connection keeps requests.length - 1 requests in flight on one socket until `end`, then waits for the answers. */
function connection(u: URL, requests: Buffer[], end: number, budget: { left: number; answered: number }): Promise<void> {
  const depth = requests.length - 1;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port), u.hostname);
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    let inFlight = 0;
    const fail = (e: Error): void => {
      socket.destroy();
      reject(e);
    };
    const send = (): void => {
      const n = performance.now() < end ? Math.min(depth - inFlight, budget.left) : 0;
      if (n > 0) {
        socket.write(requests[n]!);
        inFlight += n;
        budget.left -= n;
      }
      if (inFlight === 0) {
        socket.end();
        resolve();
      }
    };
    socket.on('connect', send);
    socket.on('error', fail);
    socket.on('close', () => {
      if (inFlight > 0) fail(new Error(`${u.href}: connection closed with ${inFlight} requests unanswered`));
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd < 0) break;
        const head = pending.toString('latin1', 0, headEnd);
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (!head.startsWith('HTTP/1.1 200 ') || !length) return fail(new Error(`${u.href}: answered ${JSON.stringify(head.split('\r\n')[0])}${length ? '' : ' without a Content-Length'}`));
        const size = headEnd + 4 + Number(length[1]);
        if (pending.length < size) break;
        pending = pending.subarray(size);
        inFlight--;
        budget.answered++;
      }
      send();
    });
  });
}
