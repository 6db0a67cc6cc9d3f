// `proflens web <source…>`: the local web UI (pprof's -http). The server code is imported only
// when this command runs, so that `proflens top` never loads it.

import type { Command } from 'commander';
import { UsageError } from '../src/profile/errors.js';
import { type CliIO, type SourceFlags, addViewOptions, configFromFlags, loadOptions, withProgress } from './options.js';

/** WebFlags are the options of the web command besides the view options. */
interface WebFlags extends SourceFlags {
  http?: string;
  browser?: boolean;
  debug?: boolean;
}

/** WebIO adds what a long-running command needs: a way to wait until it is told to stop. */
export interface WebIO extends CliIO {
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  readonly untilStopped?: () => Promise<void>;
  /** Opens a URL in the browser (default: the `open` package). */
  readonly openBrowser?: (url: string) => Promise<void>;
}

/**
 * browserOpener is how io opens a URL: its own openBrowser, else the `open` package (loaded then);
 * with wait, the promise settles when the opener's process (xdg-open, a browser) has exited.
 */
export function browserOpener(io: Pick<WebIO, 'openBrowser'>, wait = false): (url: string) => Promise<void> {
  return io.openBrowser ?? (async (url: string) => void (await (await import('open')).default(url, { wait })));
}

/**
 * noBrowserReason says why no browser can be opened here, or undefined when one may be: on Linux
 * and the BSDs a browser needs a display (X11 or Wayland), and `open` hands the URL to xdg-open
 * without waiting, so on a headless machine (ssh, a container) it would fail with nobody told.
 */
export function noBrowserReason(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'darwin' || platform === 'win32') return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set';
}

/**
 * openOrSay opens a page in the browser, or, headless (no display) or when the opener fails, says
 * so in one line (`WHO: no browser could be opened (WHY); INSTEAD`): the server goes on either way.
 * It tells whether the page went to a browser; with wait, once the opener has exited (see browserOpener).
 */
export async function openOrSay(io: WebIO, url: string, who: string, instead: string, o: { wait?: boolean } = {}): Promise<boolean> {
  const say = (why: string): false => (io.stderr(`${who}: no browser could be opened (${why}); ${instead}\n`), false);
  const headless = noBrowserReason(io.env ?? process.env);
  if (headless) return say(headless);
  return browserOpener(io, o.wait)(url).then(
    () => true,
    (e: unknown) => say((e as Error).message),
  );
}

/**
 * parseHttpAddress reads `host:port`, `:port` or `[::1]:port`; an empty host means 127.0.0.1 and,
 * as in pprof (`-http=:`, `-http=localhost:`), an empty port a free one.
 */
export function parseHttpAddress(v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d*)$/.exec(v.trim());
  if (!m) throw new UsageError(`--http: ${JSON.stringify(v)} is not host:port (e.g. :8080 or 127.0.0.1:8080)`);
  const port = Number(m[3] || '0');
  if (port > 65535) throw new UsageError(`--http: port ${port} is out of range`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** registerWebCommand adds `web` to the program; `run` receives the parsed invocation. */
export function registerWebCommand(program: Command, io: WebIO, run: (action: () => Promise<void>, debug: boolean) => void): void {
  const cmd = program
    .command('web')
    .description('serve a web UI (flame graph, top, source, peek, diff flame graph), like go tool pprof -http')
    .argument('<source...>', 'profile files or URLs, or - for standard input');
  addViewOptions(cmd)
    .option('--http <host:port>', 'address to serve on (default 127.0.0.1 and a free port)')
    .option('--no-browser', 'do not open a browser');
  cmd.action((sources: string[], flags: WebFlags & Record<string, unknown>) => run(() => runWeb(io, sources, flags), !!flags.debug));

  // pprof's -weblist=RE: the annotated source of the functions RE matches, in the browser; here
  // the web UI opened on its Source tab for RE.
  const weblist = program
    .command('weblist')
    .description('the web UI opened on the Source tab for the functions matching regex, like go tool pprof -weblist')
    .argument('<regex>', 'functions to list')
    .argument('<source...>', 'profile files or URLs, or - for standard input');
  addViewOptions(weblist)
    .option('--http <host:port>', 'address to serve on (default 127.0.0.1 and a free port)')
    .option('--no-browser', 'do not open a browser');
  weblist.action((regex: string, sources: string[], flags: WebFlags & Record<string, unknown>) =>
    run(() => runWeb(io, sources, flags, `?${new URLSearchParams({ tab: 'source', re: regex })}`), !!flags.debug),
  );
}

/** runWeb serves the UI until stopped; page (a query such as `?tab=source&re=…`) is where it opens. */
async function runWeb(io: WebIO, sources: string[], flags: WebFlags & Record<string, unknown>, page = ''): Promise<void> {
  const cfg = configFromFlags(flags);
  const address = flags.http !== undefined ? parseHttpAddress(flags.http) : { host: '127.0.0.1', port: 0 };
  const lo = loadOptions(flags, io);
  const [{ loadWebProfiles }, { WebSession }, { startWebServer }] = await Promise.all([
    import('../src/web/load.js'),
    import('../src/web/session.js'),
    import('../src/web/server.js'),
  ]);
  const loaded = await withProgress(io, (progress) => loadWebProfiles(sources, { ...lo, ...progress }));
  const title = [...sources, ...(lo.base && lo.base.length > 0 ? [`(base ${lo.base.join(', ')})`] : [])].join(' ');
  const session = new WebSession({ ...loaded, config: cfg, title });
  const server = await startWebServer({
    session,
    host: address.host,
    port: address.port,
    onError: (e) => io.stderr(`proflens: web: ${e instanceof Error ? (flags.debug ? e.stack : e.message) : String(e)}\n`),
  });
  // Compute the default flame graph while the browser starts, so the first page finds it ready.
  await serveUntilStopped(io, server, { command: 'web', what: 'web UI', browser: flags.browser !== false, page }, () => void session.flame(new URLSearchParams()).catch(() => {}));
}

/**
 * serveUntilStopped tells the user where a started server is (and its warning), opens the browser
 * unless told not to, runs `meanwhile`, waits until the process is told to stop, then closes it.
 */
export async function serveUntilStopped(
  io: WebIO,
  server: { url: string; warning?: string; close(): Promise<void> },
  o: { command: string; what: string; browser: boolean; page?: string },
  meanwhile?: () => void,
): Promise<void> {
  if (server.warning) io.stderr(`proflens: ${o.command}: warning: ${server.warning}\n`);
  const url = withPage(server.url, o.page);
  io.stdout(`Serving ${o.what} on ${url}\n`);
  if (o.browser) await openOrSay(io, url, `proflens: ${o.command}`, `open ${url} in a browser`);
  meanwhile?.();
  await (io.untilStopped ?? untilSignal)();
  await server.close();
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * withPage adds a page's query (`?tab=source&re=…`) to the server's address, which may carry a
 * `?token=…` of its own (bound beyond loopback): the two are merged, not concatenated.
 */
export function withPage(serverUrl: string, page = ''): string {
  if (page === '') return serverUrl;
  const u = new URL(serverUrl);
  for (const [k, v] of new URLSearchParams(page.replace(/^\?/, ''))) u.searchParams.set(k, v);
  return u.toString();
}
