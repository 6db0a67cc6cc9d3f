// `proflens trace TRACE` (and `proflens trace web TRACE`): the trace web UI, as `go tool trace
// trace.out` opens one. Loads the trace, serves it (its timeline computed once the server listens)
// as `proflens web` serves a profile (loopback unless --http says otherwise, the same access
// rules), prints the URL and opens the browser unless --no-browser.

import type { Trace } from '../src/trace/model.js';
import type { CliIO } from './options.js';
import { type WebIO, parseHttpAddress, serveUntilStopped } from './web-command.js';

/** TraceWebFlags are the web options of `proflens trace`. */
export interface TraceWebFlags {
  http?: string;
  browser?: boolean;
  debug?: boolean;
}

/** runTraceWeb serves the trace until the process is told to stop. */
export async function runTraceWeb(io: WebIO, source: string, flags: TraceWebFlags, load: (io: CliIO) => Promise<Trace>): Promise<void> {
  const address = flags.http !== undefined ? parseHttpAddress(flags.http) : { host: '127.0.0.1', port: 0 };
  const trace = await load(io);
  const [{ TraceSession }, { traceApp }, { startWebServer }] = await Promise.all([
    import('../src/web/trace-session.js'),
    import('../src/web/trace-app.js'),
    import('../src/web/server.js'),
  ]);
  const session = new TraceSession(trace, source);
  const report = (e: unknown): void => io.stderr(`proflens: trace: ${e instanceof Error ? (flags.debug ? e.stack : e.message) : String(e)}\n`);
  const server = await startWebServer({
    app: traceApp(session),
    host: address.host,
    port: address.port,
    onError: report,
    onRequest: () => session.noteRequest(),
  });
  // Once the address is printed and the browser started: the timeline and the first view's levels
  // of detail and counter maxima, made while the browser starts rather than before it or when the
  // page first asks (a failure there is reported as the requests' are).
  await serveUntilStopped(io, server, { command: 'trace', what: 'trace UI', browser: flags.browser !== false }, () => void session.prepare().catch(report));
}
