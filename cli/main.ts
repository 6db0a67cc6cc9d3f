// The proflens command line: parse, run the driver, print, pick the exit code.
// Only this layer writes to the console or decides how the process ends.

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { View } from '../src/driver/driver.js';
import { ProfileError, UsageError } from '../src/profile/errors.js';
import { translateGoArgs } from './go-flags.js';
import { unknownOptionLine } from './suggest.js';
import { groupHelp } from './help-text.js';
import { registerCompletionCommand } from './completion-scripts.js';
import { registerDisasmCommand } from './disasm-command.js';
import { type CliIO, type SourceFlags, type ViewFlags, addViewOptions, configFromFlags, emit, exitCode, loadOptions, withProgress } from './options.js';
import { formatOption, runExport, wantsExport } from './export-command.js';
import { pictureCommandNames, registerPictureCommands } from './output-formats.js';
import { hasPidOption, resolvePidOption } from './pid-source.js';

export { type CliIO, configFromFlags, exitCode } from './options.js';

type Run = (action: () => Promise<void>, debug: boolean) => void;

/** LazyCommand is a command whose module is imported only when it runs, or when every command is listed. */
interface LazyCommand {
  readonly register: (program: Command, io: CliIO, run: Run) => void;
  /** How its arguments are read: Go's spellings of its own flags (trace), as given (vars), or pprof's (default). */
  readonly translate?: (argv: readonly string[]) => string[];
}

/**
 * lazyCommands are the commands named by their first argument whose code (and the code it
 * imports: the trace reader, the vars client) `proflens top` never loads, and which load neither
 * the profile driver nor the other commands when they run.
 */
const lazyCommands: Record<string, () => Promise<LazyCommand>> = {
  vars: async () => ({ register: (await import('./vars-command.js')).registerVarsCommand, translate: (argv) => [...argv] }),
  goroutines: async () => ({ register: (await import('./goroutines-command.js')).registerGoroutinesCommand }),
  heap: async () => ({ register: (await import('./heap-command.js')).registerHeapCommand }),
  attach: async () => ({ register: (await import('./attach-command.js')).registerAttachCommand }),
  trace: async () => {
    const m = await import('./trace-command.js');
    return { register: m.registerTraceCommand, translate: m.translateTraceArgs };
  },
};

/**
 * FullCommands are the modules of the commands that only a full listing defines (help, the shell,
 * web, fetch, diff, …), imported then: `proflens top` loads neither them nor what they import.
 */
interface FullCommands {
  readonly compare: typeof import('./compare-commands.js');
  readonly web: typeof import('./web-command.js');
}

/** The compare commands' module once imported: only then can an error be one of its own. */
let compareModule: FullCommands['compare'] | undefined;

async function loadFullCommands(): Promise<FullCommands> {
  const [compare, web] = await Promise.all([import('./compare-commands.js'), import('./web-command.js')]);
  compareModule = compare;
  return { compare, web };
}

/** What buildProgram defines: one view command, one lazy command, or (undefined) all of them. */
type Only = { view: ViewCommand } | { lazy: LazyCommand };

/**
 * buildProgram defines the commands; `run` receives each parsed invocation. With `only`, the
 * command the arguments start with, it defines that command alone: a run of `proflens top` then
 * spends no start-up time building the options of the commands it does not run.
 */
function buildProgram(io: CliIO, run: Run, only?: Only, lazy: readonly LazyCommand[] = [], full?: FullCommands): Command {
  const program = new Command('proflens')
    .description('Read, compare and collect pprof profiles of Go and Node.js services, and Go execution traces')
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // One line, in proflens's own voice: "proflens: unknown option '--x' (see proflens --help)".
      // An unknown option gets the nearest known one, in the spelling it was typed in.
      outputError: (s, write) => {
        const line = s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');
        write(`proflens: ${unknownOptionLine(line) ?? `${line} (see proflens --help)`}\n`);
      },
    })
    .exitOverride();

  if (only && 'lazy' in only) {
    // `proflens trace --version` printed the version when every command was defined: it still does.
    program.version(packageVersion(), '-V, --version', 'print the version of proflens');
    only.lazy.register(program, io, run);
    return program;
  }
  for (const v of only ? [only.view] : viewCommands) {
    const cmd = program.command(v.name).description(v.description);
    if (v.alias) cmd.alias(v.alias);
    if (v.regexArg) cmd.argument('<regex>', v.regexArg);
    cmd.argument('<source...>', 'profile files (gzipped or raw pprof protobuf), or - for standard input');
    if (v.view === 'proto') cmd.addOption(formatOption());
    addViewOptions(cmd).action((...args: unknown[]) => {
      const flags = args[args.length - 2] as ViewFlags & Record<string, unknown>;
      const regex = v.regexArg ? (args[0] as string) : undefined;
      const sources = (v.regexArg ? args[1] : args[0]) as string[];
      if (v.view === 'proto' && wantsExport(flags as { format?: unknown })) return run(() => runExport(io, sources, flags), !!flags.debug);
      run(() => runView(io, v.view, sources, flags, regex), !!flags.debug);
    });
  }
  if (only) return program;
  if (!full) throw new Error('buildProgram: every command listed without their modules');
  program.version(packageVersion(), '-V, --version', 'print the version of proflens');
  full.compare.registerCompareCommands(program, io, run);
  full.web.registerWebCommand(program, io, run);
  registerPictureCommands(program, io, run);
  registerDisasmCommand(program, io, run);
  for (const c of lazy) c.register(program, io, run);
  // Sources and no view: the interactive shell (cli/shell-command.ts, imported only then).
  const shell = program.command('shell', { isDefault: true }).description('the interactive (pprof) shell; what proflens <source...> runs');
  addViewOptions(shell.argument('<source...>', 'profile files or URLs, or - for standard input'))
    .option('--no-browser', 'the web command serves the UI without opening a browser')
    .action(
    (sources: string[], flags: ViewFlags & SourceFlags & Record<string, unknown>) =>
      run(async () => (await import('./shell-command.js')).runShellCommand(io, sources, flags, program.commands.flatMap((c) => [c.name(), ...c.aliases()])), !!flags.debug),
  );
  registerCompletionCommand(program, io);
  groupHelp(program);
  return program;
}

/**
 * packageVersion is the version in package.json, two folders up from both the compiled CLI
 * (dist/cli) and the bundle (dist/bin). Read only when the whole program is built: `proflens top`
 * does not pay for it.
 */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** ViewCommand describes one report command of the CLI. */
interface ViewCommand {
  readonly name: string;
  readonly alias?: string;
  readonly view: View;
  readonly description: string;
  /** Present when the command takes a regex argument; says what it selects. */
  readonly regexArg?: string;
}

const viewCommands: readonly ViewCommand[] = [
  { name: 'top', alias: 'text', view: 'top', description: 'the nodes with the highest values, like go tool pprof -top' },
  { name: 'tree', view: 'tree', description: 'each node with its callers and callees, like go tool pprof -tree' },
  { name: 'peek', view: 'peek', description: 'callers and callees of the functions matching regex, untrimmed', regexArg: 'functions to show' },
  { name: 'list', view: 'list', description: 'annotated source of the functions matching regex, like go tool pprof -list', regexArg: 'functions to list' },
  { name: 'traces', view: 'traces', description: 'every sample with its stack, labels and value, like go tool pprof -traces' },
  { name: 'tags', view: 'tags', description: 'label keys and values with the value of the samples carrying them' },
  { name: 'comments', view: 'comments', description: "the profile's comments" },
  { name: 'dot', view: 'dot', description: 'the call graph as Graphviz text, like go tool pprof -dot' },
  { name: 'callgrind', view: 'callgrind', description: 'the call graph in callgrind format (KCachegrind), like go tool pprof -callgrind' },
  { name: 'raw', view: 'raw', description: 'the profile as text, like go tool pprof -raw' },
  { name: 'proto', view: 'proto', description: 'the profile after filters as gzipped pprof protobuf (needs --output or a redirect)' },
  { name: 'topproto', view: 'topproto', description: 'the top entries as a gzipped pprof profile, like go tool pprof -topproto' },
];

/**
 * commandNames are the commands proflens knows, for the Go-flag translation: written out for the
 * compare commands and web, whose modules a view does not load (test/shell-lazy.test.ts checks them).
 */
export const commandNames: readonly string[] = [
  ...viewCommands.flatMap((c) => (c.alias ? [c.name, c.alias] : [c.name])),
  'fetch', 'diff', 'trend', 'web', 'weblist', 'disasm', ...pictureCommandNames,
];

/** runView loads the sources, computes one view, and prints or saves it. */
async function runView(io: CliIO, view: View, sources: string[], flags: ViewFlags & SourceFlags & Record<string, unknown>, regex?: string): Promise<void> {
  const cfg = configFromFlags(flags);
  const binary = view === 'proto' || view === 'topproto';
  if ((binary || view === 'raw') && flags.json) throw new UsageError(`--json: ${view} prints a profile, not rows`);
  if (binary && !flags.output && (io.stdoutIsTTY ?? process.stdout.isTTY === true)) {
    throw new UsageError(`${view} writes a binary profile: give --output FILE or redirect standard output`);
  }
  // Imported here, not at the top: the trace, vars and goroutines commands do not need the driver.
  const { generateView, loadProfile } = await import('../src/driver/driver.js');
  const profile = await withProgress(io, (progress) => loadProfile(sources, { ...loadOptions(flags, io), ...progress }));
  const result = await generateView(profile, view, cfg, { warn: (m) => io.stderr(`${m}\n`) }, regex);
  await emit(io, flags, result);
}

/** main runs proflens with the given arguments (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  // The shell completion scripts' callback: candidates for the word at the cursor (every command listed).
  if (argv[0] === '__complete') {
    const [lazy, full] = await Promise.all([Promise.all(Object.values(lazyCommands).map((load) => load())), loadFullCommands()]);
    return (await import('./completion.js')).runComplete(buildProgram(io, () => {}, undefined, lazy, full), argv.slice(1), io);
  }
  const debug = argv.includes('--debug') || argv.includes('-debug');
  let pending: Promise<void> | undefined;
  let actionDebug = debug;
  if (hasPidOption(argv)) {
    try {
      argv = await resolvePidOption(argv, io);
    } catch (e) {
      return reportError(e, debug, io);
    }
  }
  const named = argv.length > 0 && Object.prototype.hasOwnProperty.call(lazyCommands, argv[0]!) ? await lazyCommands[argv[0]!]!() : undefined;
  const args = named?.translate ? named.translate(argv) : translateGoArgs(argv, commandNames);
  // No arguments at all must not pick a command: `tree` has no alias, and undefined === undefined.
  const view = args.length > 0 && !named ? viewCommands.find((c) => c.name === args[0] || c.alias === args[0]) : undefined;
  const only: Only | undefined = named ? { lazy: named } : view ? { view } : undefined;
  // Listing every command (help, the shell, fetch, …) needs every command's module.
  const lazy = only ? [] : await Promise.all(Object.values(lazyCommands).map((load) => load()));
  const full = only ? undefined : await loadFullCommands();
  const program = buildProgram(
    io,
    (action, d) => {
      actionDebug = d || debug;
      pending = action();
    },
    only,
    lazy,
    full,
  );
  try {
    if (args.length === 0) {
      // As `go tool pprof` with no arguments: the whole usage on standard error, exit 1.
      program.outputHelp({ error: true });
      return exitCode.failure;
    }
    await program.parseAsync(args, { from: 'user' });
    if (pending) await pending;
    return exitCode.ok;
  } catch (e) {
    return reportError(e, actionDebug, io);
  }
}

function reportError(e: unknown, debug: boolean, io: CliIO): number {
  if (e instanceof CommanderError) {
    // commander has printed its message already; help and version are not errors.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return exitCode.ok;
    return exitCode.usage;
  }
  if (compareModule && e instanceof compareModule.FetchFailed) return exitCode.failure; // each failure has had its line
  if (compareModule && e instanceof compareModule.GateFailed) {
    io.stderr(`proflens: ${e.message}\n`);
    return exitCode.regression;
  }
  const usage = e instanceof UsageError;
  const known = usage || e instanceof ProfileError;
  const message = e instanceof Error ? e.message : String(e);
  io.stderr(`proflens: ${known ? message : `internal error: ${message}`}\n`);
  if (debug && e instanceof Error && e.stack) io.stderr(e.stack + '\n');
  return usage ? exitCode.usage : exitCode.failure;
}
