// The interactive `(pprof)` shell: `proflens heap.pb.gz` as `go tool pprof heap.pb.gz`.
// The profile is decoded once by the caller; every command runs a driver view on it with the
// shell's current settings. Reports and the prompt go to the output stream; greetings, help,
// option listings and errors go to `message`, as pprof sends them to stdout and stderr.

import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Config } from '../driver/config.js';
import { type View, type ViewContext, compileArgument, generateView } from '../driver/driver.js';
import { freeReportName } from '../fetch/write-file.js';
import { type Profile, functionNames, greeting, resolveSampleType, sampleTypeNames } from '../driver/profile-info.js';
import { pprofOnlyCommands } from './commands.js';
import { newCompleter } from './complete.js';
import { optionsListing, overview, topicHelp } from './help.js';
import { defaultHistorySize, loadHistory, saveHistory } from './history.js';
import { CommandLineError, type Invocation, expandShortcuts, parseCommandLine, splitAssignment } from './parse.js';
import { type Settings, configure, isBoolOption, optionByName } from './settings.js';

/** ShellIO is the shell's outside world. */
export interface ShellIO {
  /** Where commands are read from (a terminal, or a script piped in). */
  readonly input: NodeJS.ReadableStream;
  /** Where the prompt and reports go (pprof: stdout). */
  readonly output: NodeJS.WritableStream;
  /** Where greetings, help, option listings and errors go (pprof: stderr); gets whole lines. */
  readonly message: (s: string) => void;
  /** Writes a report (the CLI escapes it on a terminal, cli/terminal-text.ts); default: output.write. */
  readonly report?: (data: string | Uint8Array) => void;
}

/** WebRequest is what the shell hands to the web UI: the profile and the settings of `web`. */
export interface WebRequest {
  readonly profile: Profile;
  readonly config: Config;
  /** Where the page opens: a query such as `?tab=source&re=…` (weblist); absent: the flame graph. */
  readonly page?: string;
}

/** ShellOptions configure one shell session. */
export interface ShellOptions {
  readonly io: ShellIO;
  /** Line editing, completion and history; default: input and output are terminals. */
  readonly terminal?: boolean;
  /** Where history is kept between runs (terminal sessions only); none when absent. */
  readonly historyFile?: string;
  readonly historySize?: number;
  /** Writes a report to a file (`top >f`, `output=f`), whole or not at all. */
  readonly writeFile: (path: string, data: string | Uint8Array) => Promise<void>;
  /** Opens the web UI on the shell's state; absent when this build has none. Returns a note to print. */
  readonly web?: (req: WebRequest) => Promise<string | void>;
  /** Clock formatting and source lookup for views. */
  readonly viewContext?: Omit<ViewContext, 'warn'>;
  /** The binary named before the profile (`proflens BINARY PROFILE`), where `disasm` reads instructions. */
  readonly binary?: string;
  /** The environment whose PATH holds `go`, which `disasm` runs; default: the process's. */
  readonly env?: NodeJS.ProcessEnv;
}

const prompt = '(pprof) ';

/** runShell greets, then reads and runs commands until `quit` or the end of the input. */
export async function runShell(profile: Profile, initial: Config & { output?: string }, o: ShellOptions): Promise<void> {
  const shell = new Shell(profile, initial, o);
  const io = o.io;
  const terminal = o.terminal ?? (isTTY(io.input) && isTTY(io.output));
  const historySize = o.historySize ?? defaultHistorySize;
  // An unreadable history file is said once and the shell goes on without it.
  const history =
    terminal && o.historyFile
      ? await loadHistory(o.historyFile, historySize).catch((e: Error) => {
          io.message(e.message + '\n');
          return [];
        })
      : [];
  const rl = createInterface({
    input: io.input,
    output: io.output,
    terminal,
    prompt,
    completer: newCompleter({ sampleTypes: shell.sampleTypes, functionNames: functionNames(profile) }),
    history,
    historySize,
    removeHistoryDuplicates: true,
  });
  // History is saved after every command, one write at a time, so a killed shell keeps it.
  let saving = Promise.resolve();
  if (terminal && o.historyFile) {
    const file = o.historyFile;
    let warned = false;
    rl.on('history', (h: string[]) => {
      const lines = [...h];
      saving = saving.then(() =>
        saveHistory(file, lines, historySize).catch((e: Error) => {
          if (!warned) io.message(e.message + '\n');
          warned = true;
        }),
      );
    });
  }
  // Ctrl-C drops the line being typed, as a shell does, instead of leaving.
  rl.on('SIGINT', () => {
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
  });

  shell.greet();
  let quit = false;
  rl.prompt();
  try {
    for await (const line of rl) {
      if (await shell.execute(line)) {
        quit = true;
        break;
      }
      rl.prompt();
    }
  } finally {
    rl.close();
    await saving;
  }
  // Ctrl-D leaves the cursor after the prompt; end the line so the caller's shell starts clean.
  if (!quit && terminal) io.output.write('\n');
}

function isTTY(s: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return (s as { isTTY?: boolean }).isTTY === true;
}

/** Shell holds one session's state: the profile, its settings, and how to run a line. */
export class Shell {
  readonly sampleTypes: readonly string[];
  private readonly settings: Settings;
  private readonly defaults: Settings;

  constructor(
    private readonly profile: Profile,
    initial: Config & { output?: string },
    private readonly o: ShellOptions,
  ) {
    this.sampleTypes = sampleTypeNames(profile);
    // The command line's options, with pprof's interactive default of compact headers.
    this.defaults = { ...initial, output: initial.output ?? '' };
    this.settings = { ...this.defaults, compactLabels: true };
  }

  /** current returns a copy of the settings now in force. */
  current(): Settings {
    return { ...this.settings };
  }

  /** greet prints the profile's labels and how to get help, as pprof does on entering its shell. */
  greet(): void {
    const g = greeting(this.profile, this.settings, this.o.viewContext);
    if (g) {
      this.say(g.labels.join('\n'));
      if (g.emptyDefault) {
        this.say('No samples were found with the default sample value type.');
        this.say('Try "sample_index" command to analyze different sample values.\n');
      }
    }
    this.say('Entering interactive mode (type "help" for commands, "o" for options)');
  }

  /** execute runs one input line; it returns true when the line asks to leave. */
  async execute(line: string): Promise<boolean> {
    for (const input of expandShortcuts(line, this.sampleTypes)) {
      try {
        if (this.assign(input)) continue;
        const tokens = input.split(/\s+/).filter((t) => t !== '');
        if (tokens.length === 0) continue;
        switch (tokens[0]) {
          case 'o':
          case 'options':
            this.say(optionsListing(this.settings, this.sampleTypes, resolveSampleType(this.profile, '')));
            continue;
          case 'exit':
          case 'quit':
          case 'q':
            return true;
          case 'help':
            this.help(tokens.slice(1).join(' '));
            continue;
        }
        await this.run(tokens);
      } catch (e) {
        this.sayError(e);
      }
    }
    return false;
  }

  /** assign handles `name=value` and bare option names; false when the line is not one. */
  private assign(input: string): boolean {
    const { name, value } = splitAssignment(input);
    if (!optionByName(name)) return false;
    if (value === undefined && !isBoolOption(name)) throw new CommandLineError(`please specify a value, e.g. ${name}=<val>`);
    // sample_index is checked against the profile and stored by name.
    const v = name === 'sample_index' ? resolveSampleType(this.profile, value ?? '') : (value ?? '');
    configure(this.settings, name, v, this.defaults);
    return true;
  }

  private help(topic: string): void {
    if (topic === '') {
      this.say(overview());
      return;
    }
    const text = topicHelp(topic, this.sampleTypes);
    if (text === undefined) throw new CommandLineError(`Unknown command: ${topic}`);
    this.say(text);
  }

  /** report is the text or bytes of a command's report. */
  private async report(inv: Invocation, view: View | undefined): Promise<string | Uint8Array> {
    if (inv.command.disasm) return this.disasm(inv.arg!, inv.settings);
    const ctx: ViewContext = { ...this.o.viewContext, warn: (m) => this.say(m) };
    const result = await generateView(this.profile, view!, inv.settings, ctx, inv.arg);
    let report = 'bytes' in result ? result.bytes : result.text;
    if (inv.command.picture && typeof report === 'string') {
      const { panZoomSvg, renderGraphviz } = await import('../report/svg.js');
      report = inv.command.picture === 'svg' ? panZoomSvg(await renderGraphviz(report, 'svg')) : await renderGraphviz(report, 'ps');
    }
    return report;
  }

  /** disasm is pprof's disasm report, read from the binary given or the mapping's path with go. */
  private async disasm(regex: string, settings: Settings): Promise<string> {
    const [{ disasmProfile }, { renderDisasm }] = await Promise.all([
      import('../binutils/disasm-profile.js'),
      import('../report/disasm.js'),
    ]);
    const re = await compileArgument(regex);
    const view = await disasmProfile(this.profile, re, regex, settings, {
      binary: this.o.binary,
      env: this.o.env ?? process.env,
      instead: `list ${regex} shows the source lines with their samples`,
      warn: (m) => this.say(m),
    });
    return renderDisasm(view);
  }

  /** run runs a view command and prints or saves its report. */
  private async run(tokens: string[]): Promise<void> {
    if (pprofOnlyCommands.has(tokens[0]!)) {
      throw new CommandLineError(`${tokens[0]}: a go tool pprof command that proflens does not have (see "help")`);
    }
    const inv = parseCommandLine(tokens, this.settings);
    const view = inv.command.view;
    if (!view && !inv.command.disasm) {
      if (!this.o.web) {
        this.say('web UI: not available in this build');
        return;
      }
      const page = inv.command.sourcePage && inv.arg !== undefined ? `?${new URLSearchParams({ tab: 'source', re: inv.arg })}` : undefined;
      const note = await this.o.web({ profile: this.profile, config: inv.settings, ...(page !== undefined && { page }) });
      if (note) this.say(note);
      return;
    }
    const report = await this.report(inv, view);
    let output = inv.settings.output;
    let path = output;
    if (output === '' && inv.command.awayFromTerminal) {
      const cwd = this.o.viewContext?.cwd ?? process.cwd();
      output = await freeReportName(cwd, inv.command.awayFromTerminal);
      path = join(cwd, output);
    }
    if (output === '') {
      if (this.o.io.report) this.o.io.report(report);
      else this.o.io.output.write(report);
      return;
    }
    this.say(`Generating report in ${output}`);
    await this.o.writeFile(path, report);
  }

  /** say prints a message as pprof's UI.Print does: a newline added when missing. */
  private say(s: string): void {
    this.o.io.message(s.endsWith('\n') ? s : s + '\n');
  }

  /** sayError prints an error on one line; a fault of proflens itself says so. */
  private sayError(e: unknown): void {
    const bug = e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError;
    const message = e instanceof Error ? e.message : String(e);
    this.say(bug ? `internal error: ${message}` : message);
  }
}
