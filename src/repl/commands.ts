// The shell's commands, described as pprof describes them (internal/driver/commands.go), so that
// `help` and `help <command>` read the same.

import type { View } from '../driver/driver.js';

/** ShellCommand is one command of the shell. */
export interface ShellCommand {
  /** The driver view it prints; absent for `web`, which hands the state to the web UI, and `disasm`. */
  readonly view?: View;
  /** Takes a regex argument (`list main.f`, `peek alloc`). */
  readonly hasParam: boolean;
  /** One line saying what the command does. */
  readonly description: string;
  /** Lines saying how it is used. */
  readonly usage: string;
  /**
   * Set for reports that are no reading matter (binary profiles, callgrind): without a file
   * given, they go to the next free `profileNNN.<suffix>` in the working folder, as in pprof.
   */
  readonly awayFromTerminal?: string;
  /** Set for graph pictures: the view's Graphviz text drawn in this format (pprof's svg, ps). */
  readonly picture?: 'svg' | 'ps';
  /** For `weblist`: the web UI opened on the Source tab for the command's regex. */
  readonly sourcePage?: boolean;
  /** For `disasm`: the instructions of the functions matching the regex, read from the binary. */
  readonly disasm?: boolean;
}

/** reportHelp is pprof's usage text of a graph-like report. */
function reportHelp(c: string, cum: boolean, redirect: boolean): string {
  const h = [`${c} [n] [focus_regex]* [-ignore_regex]*`, 'Include up to n samples', 'Include samples matching focus_regex, and exclude ignore_regex.'];
  if (cum) {
    h[0] += ' [-cum]';
    h.push('-cum sorts the output by cumulative weight');
  }
  if (redirect) {
    h[0] += ' >f';
    h.push('Optionally save the report on the file f');
  }
  return h.join('\n');
}

/** listHelp is pprof's usage text of a source listing (its missing space included). */
function listHelp(c: string, redirect: boolean): string {
  const h = [
    `${c}<func_regex|address> [-focus_regex]* [-ignore_regex]*`,
    'Include functions matching func_regex, or including the address specified.',
    'Include samples matching focus_regex, and exclude ignore_regex.',
  ];
  if (redirect) {
    h[0] += ' >f';
    h.push('Optionally save the report on the file f');
  }
  return h.join('\n');
}

/** shellCommands are the commands the shell runs, by name. */
export const shellCommands: ReadonlyMap<string, ShellCommand> = new Map<string, ShellCommand>([
  [
    'callgrind',
    {
      view: 'callgrind',
      hasParam: false,
      description: 'Outputs a graph in callgrind format',
      usage: reportHelp('callgrind', false, true),
      awayFromTerminal: 'callgraph.out',
    },
  ],
  ['comments', { view: 'comments', hasParam: false, description: 'Output all profile comments', usage: '' }],
  [
    'disasm',
    { disasm: true, hasParam: true, description: 'Output assembly listings annotated with samples', usage: listHelp('disasm', true) },
  ],
  ['dot', { view: 'dot', hasParam: false, description: 'Outputs a graph in DOT format', usage: reportHelp('dot', false, true) }],
  ['list', { view: 'list', hasParam: true, description: 'Output annotated source for functions matching regexp', usage: listHelp('list', false) }],
  [
    'peek',
    {
      view: 'peek',
      hasParam: true,
      description: 'Output callers/callees of functions matching regexp',
      usage: 'peek func_regex\nDisplay callers and callees of functions matching func_regex.',
    },
  ],
  ['ps', { view: 'dot', picture: 'ps', hasParam: false, description: 'Outputs a graph in PS format', usage: reportHelp('ps', false, true), awayFromTerminal: 'ps' }],
  ['proto', { view: 'proto', hasParam: false, description: 'Outputs the profile in compressed protobuf format', usage: '', awayFromTerminal: 'pb.gz' }],
  ['raw', { view: 'raw', hasParam: false, description: 'Outputs a text representation of the raw profile', usage: '' }],
  ['svg', { view: 'dot', picture: 'svg', hasParam: false, description: 'Outputs a graph in SVG format', usage: reportHelp('svg', false, true), awayFromTerminal: 'svg' }],
  [
    'tags',
    {
      view: 'tags',
      hasParam: false,
      description: 'Outputs all tags in the profile',
      usage: 'tags [tag_regex]* [-ignore_regex]* [>file]\nList tags with key:value matching tag_regex and exclude ignore_regex.',
    },
  ],
  ['text', { view: 'top', hasParam: false, description: 'Outputs top entries in text form', usage: reportHelp('text', true, true) }],
  ['top', { view: 'top', hasParam: false, description: 'Outputs top entries in text form', usage: reportHelp('top', true, true) }],
  [
    'topproto',
    { view: 'topproto', hasParam: false, description: 'Outputs top entries in compressed protobuf format', usage: '', awayFromTerminal: 'pb.gz' },
  ],
  ['traces', { view: 'traces', hasParam: false, description: 'Outputs all profile samples in text form', usage: '' }],
  ['tree', { view: 'tree', hasParam: false, description: 'Outputs a text rendering of call graph', usage: reportHelp('tree', true, true) }],
  [
    'web',
    {
      hasParam: false,
      description: 'Open the web UI on the current options',
      usage: 'web [focus_regex]* [-ignore_regex]*\nServe the profile in the web UI with the current options, focus_regex and ignore_regex.',
    },
  ],
  [
    'weblist',
    {
      hasParam: true,
      sourcePage: true,
      description: 'Display annotated source in a web browser',
      usage: listHelp('weblist', false),
    },
  ],
]);

/**
 * pprofOnlyCommands are go tool pprof commands proflens does not have; naming one says so instead
 * of calling it unknown.
 */
export const pprofOnlyCommands: ReadonlySet<string> = new Set(['eog', 'evince', 'gif', 'gv', 'kcachegrind', 'pdf', 'png']);

/** commandHelp is pprof's help text of one command: description, then its usage indented. */
export function commandHelp(c: ShellCommand): string {
  let message = c.description + '\n';
  if (c.usage !== '') {
    message += '  Usage:\n';
    for (const line of c.usage.split('\n')) message += `    ${line}\n`;
  }
  return message + '\n';
}
