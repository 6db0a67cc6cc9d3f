// `--pid PID` on the view commands, web, the shell and fetch: the profile comes from attaching to
// a Node process (cli/attach-command.ts). Done before commander sees the arguments: the profile
// is taken and saved, and `--pid PID` with its attach options becomes the saved file, so every
// command goes on exactly as with a file it was given. `fetch --pid PID` is `attach PID`.

import { UsageError } from '../src/profile/errors.js';
import type { AttachFlags } from './attach-command.js';
import type { CliIO } from './options.js';

/** The attach options --pid may come with: name → whether it takes a value. */
const attachOptions: Record<string, boolean> = {
  '--pid': true,
  '--seconds': true,
  '--cpu': false,
  '--cpu-interval': true,
  '--heap': false,
  '--heap-interval': true,
  '--heap-snapshot': false,
  '--inspect-port': true,
  '--source-maps': true,
  '--no-source-maps': false,
};

/** Commands that never take --pid: theirs is another kind of input, or attach itself. */
const otherInputs = new Set(['attach', 'vars', 'trace', 'goroutines', 'heap', 'diff', 'trend', 'help']);

/** hasPidOption tells whether the arguments ask for a profile by PID. */
export function hasPidOption(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--pid' || a.startsWith('--pid='));
}

/** Split are the arguments with the attach options taken out, and those options. */
interface Split {
  readonly rest: string[];
  readonly pid: string;
  readonly flags: AttachFlags;
}

function splitAttachOptions(argv: readonly string[]): Split {
  const rest: string[] = [];
  const flags: AttachFlags & Record<string, unknown> = {};
  let pid: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const takesValue = attachOptions[name];
    if (takesValue === undefined) {
      rest.push(a);
      continue;
    }
    let value: string | undefined;
    if (takesValue) {
      value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
    } else if (eq > 0) {
      throw new UsageError(`${name} takes no value`);
    }
    const key = name.slice(2).replace(/-(.)/g, (_, c: string) => c.toUpperCase());
    if (name === '--pid') {
      if (pid !== undefined) throw new UsageError('--pid: one process at a time');
      pid = value!;
    } else if (name === '--source-maps') {
      flags.sourceMaps = [...(flags.sourceMaps || []), value!];
    } else if (name === '--no-source-maps') {
      flags.sourceMaps = false;
    } else {
      flags[key] = takesValue ? value : true;
    }
  }
  return { rest, pid: pid!, flags };
}

/**
 * resolvePidOption returns the arguments to run instead: with the profile of the --pid process
 * taken, saved, and put in place of the attach options (or, for fetch, the attach command).
 */
export async function resolvePidOption(argv: readonly string[], io: CliIO): Promise<string[]> {
  const command = argv[0] ?? '';
  if (otherInputs.has(command)) throw new UsageError(`${command} does not take --pid${command === 'attach' ? ': give the PID as its argument' : ''}`);
  const { rest, pid, flags } = splitAttachOptions(argv);
  if (command === 'fetch') {
    // URLs given too are extra arguments to attach, which refuses them.
    return ['attach', pid, ...rest.slice(1), ...attachArgs(flags)];
  }
  if (flags.heapSnapshot) throw new UsageError('--heap-snapshot: a heap snapshot is no profile for this view; take it with proflens attach');
  if (flags.heap && flags.cpu) throw new UsageError('--pid: give --cpu or --heap, not both: the view shows one profile');
  const { attachAndSave } = await import('./attach-command.js');
  const [saved] = await attachAndSave(io, pid, flags);
  io.stderr(`Saved profile in ${saved}\n`);
  // The profile goes where a source goes: after the command name when there is one.
  const isCommand = command !== '' && !command.startsWith('-');
  return isCommand ? [command, ...rest.slice(1), saved!] : [...rest, saved!];
}

/** attachArgs writes attach options back as arguments (for fetch --pid → attach). */
function attachArgs(f: AttachFlags): string[] {
  const out: string[] = [];
  if (f.seconds !== undefined) out.push('--seconds', f.seconds);
  if (f.cpu) out.push('--cpu');
  if (f.cpuInterval !== undefined) out.push('--cpu-interval', f.cpuInterval);
  if (f.heap) out.push('--heap');
  if (f.heapInterval !== undefined) out.push('--heap-interval', f.heapInterval);
  if (f.heapSnapshot) out.push('--heap-snapshot');
  if (f.inspectPort !== undefined) out.push('--inspect-port', f.inspectPort);
  if (f.sourceMaps === false) out.push('--no-source-maps');
  else for (const d of f.sourceMaps ?? []) out.push('--source-maps', d);
  return out;
}
