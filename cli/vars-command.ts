// `proflens vars URL…`: print /debug/vars of Go services (expvar) and Node services (the
// proflens agent), or watch chosen variables live, like expvarmon. This file wires the command:
// fetching is src/fetch's, reading and drawing the document src/vars's.

import type { Command } from 'commander';
import { UsageError } from '../src/profile/errors.js';
import type { VarsTarget } from '../src/vars/client.js';
import type { VarSpec } from '../src/vars/paths.js';
import { durationOption } from './flag-values.js';
import type { CliIO } from './main.js';

// Loaded when `vars` runs, so that other commands do not pay for HTTP and the vars views.
const load = async () => ({
  ...(await import('../src/fetch/http.js')),
  ...(await import('../src/vars/client.js')),
  ...(await import('../src/vars/dashboard.js')),
  ...(await import('../src/vars/paths.js')),
  ...(await import('../src/vars/tree.js')),
});
type Loaded = Awaited<ReturnType<typeof load>>;

/** VarsFlags are the options of `proflens vars`, as commander parses them. */
interface VarsFlags {
  json?: boolean;
  var?: string[];
  watch?: boolean;
  interval?: string;
  timeout?: string;
  debug?: boolean;
}

/** registerVarsCommand adds `vars` to the program; `run` receives the parsed invocation. */
export function registerVarsCommand(program: Command, io: CliIO, run: (action: () => Promise<void>, debug: boolean) => void): void {
  program
    .command('vars')
    .description('print /debug/vars of Go (expvar) and Node (proflens agent) services, or watch them live')
    .argument('<url...>', 'services: http://host:port, host:port, or the full URL of the document')
    .option('--json', 'print the document as the service sent it')
    .option('--var <path>', 'print (or watch) only this variable, e.g. memstats.HeapAlloc; repeatable; mem:, duration: or str: in front says how to print it', (v: string, acc: string[] = []) => [...acc, v])
    .option('--watch', 'a live dashboard of the variables (default: those expvarmon shows), redrawn every interval; q quits')
    .option('--interval <duration>', 'time between reads with --watch (2s, 500ms, 1m)', '2s')
    .option('--timeout <duration>', 'how long to wait for each answer', '5s')
    .option('--debug', 'print stack traces on errors')
    .action((urls: string[], flags: VarsFlags) => run(() => runVars(io, urls, flags), !!flags.debug));
}

async function runVars(io: CliIO, urls: string[], flags: VarsFlags): Promise<void> {
  const m = await load();
  const { varsTarget, parseVarSpec, expvarmonDefaults, renderSelection, renderTree, selectVars } = m;
  const targets = urls.map(varsTarget);
  const timeoutMs = durationOption('--timeout', flags.timeout ?? '5s');
  const specs = (flags.var ?? []).map((v) => {
    try {
      return parseVarSpec(v);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
  if (flags.watch) {
    if (flags.json) throw new UsageError('--json and --watch do not go together');
    const intervalMs = durationOption('--interval', flags.interval ?? '2s');
    return watch(m, targets, specs.length > 0 ? specs : expvarmonDefaults.map(parseVarSpec), intervalMs, Math.min(timeoutMs, Math.max(intervalMs, 1000)));
  }
  const results = await Promise.allSettled(targets.map((t) => read(m, t, timeoutMs)));
  const multi = targets.length > 1;
  if (flags.json) {
    const ok = results.flatMap((r, i) => (r.status === 'fulfilled' ? [[targets[i]!.display, r.value] as const] : []));
    // With --var, each document is cut down to the chosen variables, by the names given.
    const shown = (doc: Record<string, unknown>): unknown => (specs.length > 0 ? selectVars(doc, specs) : doc);
    if (!multi && ok.length === 1 && specs.length === 0) io.stdout(new TextDecoder().decode(ok[0]![1].body));
    else if (!multi && ok.length === 1) io.stdout(JSON.stringify(shown(ok[0]![1].doc), null, 2) + '\n');
    else if (ok.length > 0) io.stdout(JSON.stringify(Object.fromEntries(ok.map(([d, r]) => [d, shown(r.doc)])), null, 2) + '\n');
  } else {
    let first = true;
    results.forEach((r, i) => {
      if (r.status !== 'fulfilled') return;
      const text = specs.length > 0 ? renderSelection(r.value.doc, specs) : renderTree(r.value.doc);
      io.stdout(multi ? `${first ? '' : '\n'}# ${targets[i]!.display}\n${text}` : text);
      first = false;
    });
  }
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** read fetches and decodes one document. */
async function read(m: Loaded, t: VarsTarget, timeoutMs: number, signal?: AbortSignal): Promise<{ body: Uint8Array; doc: Record<string, unknown> }> {
  const { fetchBytes, parseVarsDocument } = m;
  const body = await fetchBytes({ url: t.url, display: t.display, seconds: 0, timeoutMs, insecure: false }, { maxBytes: 64 << 20, ...(signal && { signal }) });
  return { body, doc: parseVarsDocument(body, t.display) };
}

/**
 * watch runs the live dashboard on the terminal until q, Ctrl-C or SIGTERM. Reads start every
 * interval; a service that fails is shown with its error and read again the next time.
 */
async function watch(m: Loaded, targets: readonly VarsTarget[], specs: readonly VarSpec[], intervalMs: number, timeoutMs: number): Promise<void> {
  // node:http only here, where the dashboard runs: `proflens top` has no use for it.
  const { globalAgent } = await import('node:http');
  const out = process.stdout;
  const input = process.stdin;
  if (!out.isTTY) throw new UsageError('--watch needs a terminal: standard output is not one');
  const dash = new m.Dashboard(
    targets.map((t) => t.display),
    specs,
  );
  const header = `proflens vars — every ${intervalMs >= 1000 ? `${intervalMs / 1000}s` : `${intervalMs}ms`} — q quits`;
  const draw = (): void => {
    const lines = dash.render(out.columns || 80, out.rows || 24, header);
    out.write('\x1b[H' + lines.map((l) => l + '\x1b[K').join('\r\n') + '\x1b[J');
  };
  const stopped = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const poll = async (): Promise<void> => {
    const started = Date.now();
    await Promise.all(
      targets.map(async (t, i) => {
        try {
          dash.update(i, (await read(m, t, timeoutMs, stopped.signal)).doc, Date.now());
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          dash.update(i, msg.startsWith(`${t.display}: `) ? msg.slice(t.display.length + 2) : msg, Date.now());
        }
      }),
    );
    if (stopped.signal.aborted) return;
    draw();
    timer = setTimeout(() => void poll(), Math.max(0, intervalMs - (Date.now() - started)));
  };

  return new Promise<void>((resolve) => {
    const onKey = (b: Buffer): void => {
      // A chunk can hold several keys; q, Q or Ctrl-C anywhere in it quits.
      if (/[qQ\x03]/.test(b.toString('utf8'))) stop();
    };
    const stop = (): void => {
      if (stopped.signal.aborted) return;
      stopped.abort();
      clearTimeout(timer);
      out.off('resize', draw);
      input.off('data', onKey);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      // Nothing the dashboard opened may keep the process alive: not the terminal's input,
      // not the kept-alive connections to the services.
      input.unref?.();
      globalAgent.destroy();
      out.write('\x1b[?25h\x1b[?1049l');
      resolve();
    };
    out.write('\x1b[?1049h\x1b[?25l');
    if (input.isTTY) input.setRawMode(true);
    input.on('data', onKey);
    input.resume();
    out.on('resize', draw);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    draw();
    void poll();
  });
}
