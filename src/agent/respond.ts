// Answers in the shape Go's net/http/pprof gives them, so clients that read Go's errors (pprof,
// proflens) show the agent's reason: text/plain, an X-Go-Pprof header, one line of text.

import type { ServerResponse } from 'node:http';

/** serveError answers with a status and a one-line reason, as net/http/pprof's serveError does. */
export function serveError(res: ServerResponse, status: number, reason: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    // Too late to say why: end the response so the client sees it cut short, not complete.
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'X-Go-Pprof': '1',
    ...extra,
  });
  res.end(reason.replace(/\s*\n\s*/g, ' ') + '\n');
}

/** serveProfile answers with a gzipped pprof profile as a download named like Go's. */
export function serveProfile(res: ServerResponse, name: string, body: Uint8Array): void {
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${name}"`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(body.length),
  });
  res.end(body);
}
