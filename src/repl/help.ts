// The shell's help: the overview (`help`), one option (`help nodecount`) and the current options
// (`o`), laid out as pprof's interactive mode lays them out (interactive.go, commands.go).

import { commandHelp, shellCommands } from './commands.js';
import { type Settings, shellOptions } from './settings.js';

const text = (...lines: string[]): string => lines.join('\n') + '\n';

/** optionHelp is pprof's help text of each option and choice. */
export const optionHelp: Readonly<Record<string, string>> = {
  output: text('Output filename for file-based outputs'),
  drop_negative: text('Ignore negative differences', 'Do not show any locations with values <0.'),
  relative_percentages: text(
    'Show percentages relative to focused subgraph',
    'If unset, percentages are relative to full graph before focusing',
    'to facilitate comparison with original graph.',
  ),
  unit: text(
    'Measurement units to display',
    'Scale the sample values to this unit.',
    'For time-based profiles, use seconds, milliseconds, nanoseconds, etc.',
    'For memory profiles, use megabytes, kilobytes, bytes, etc.',
    'Using auto will scale each value independently to the most natural unit.',
  ),
  compact_labels: 'Show minimal headers',
  source_path: 'Search path for source files',
  trim_path: 'Path to trim from source paths before search',
  nodecount: text(
    'Max number of nodes to show',
    'Uses heuristics to limit the number of locations to be displayed.',
    'On graphs, dotted edges represent paths through nodes that have been removed.',
  ),
  nodefraction: 'Hide nodes below <f>*total',
  edgefraction: 'Hide edges below <f>*total',
  trim: text('Honor nodefraction/edgefraction/nodecount defaults', 'Set to false to get the full profile, without any trimming.'),
  focus: text(
    'Restricts to samples going through a node matching regexp',
    'Discard samples that do not include a node matching this regexp.',
    'Matching includes the function name, filename or object name.',
  ),
  ignore: text(
    'Skips paths going through any nodes matching regexp',
    'If set, discard samples that include a node matching this regexp.',
    'Matching includes the function name, filename or object name.',
  ),
  prune_from: text(
    'Drops any functions below the matched frame.',
    'If set, any frames matching the specified regexp and any frames',
    'below it will be dropped from each sample.',
  ),
  hide: text(
    'Skips nodes matching regexp',
    'Discard nodes that match this location.',
    'Other nodes from samples that include this location will be shown.',
    'Matching includes the function name, filename or object name.',
  ),
  show: text(
    'Only show nodes matching regexp',
    'If set, only show nodes that match this location.',
    'Matching includes the function name, filename or object name.',
  ),
  show_from: text(
    'Drops functions above the highest matched frame.',
    'If set, all frames above the highest match are dropped from every sample.',
    'Matching includes the function name, filename or object name.',
  ),
  tagroot: text(
    'Adds pseudo stack frames for labels key/value pairs at the callstack root.',
    'A comma-separated list of label keys.',
    'The first key creates frames at the new root.',
  ),
  tagleaf: text(
    'Adds pseudo stack frames for labels key/value pairs at the callstack leaf.',
    'A comma-separated list of label keys.',
    'The last key creates frames at the new leaf.',
  ),
  tagfocus: text(
    'Restricts to samples with tags in range or matched by regexp',
    'Use name=value syntax to limit the matching to a specific tag.',
    'Numeric tag filter examples: 1kb, 1kb:10kb, memory=32mb:',
    'String tag filter examples: foo, foo.*bar, mytag=foo.*bar',
  ),
  tagignore: text(
    'Discard samples with tags in range or matched by regexp',
    'Use name=value syntax to limit the matching to a specific tag.',
    'Numeric tag filter examples: 1kb, 1kb:10kb, memory=32mb:',
    'String tag filter examples: foo, foo.*bar, mytag=foo.*bar',
  ),
  tagshow: text('Only consider tags matching this regexp', 'Discard tags that do not match this regexp'),
  taghide: text('Skip tags matching this regexp', 'Discard tags that match this regexp'),
  divide_by: text(
    'Ratio to divide all samples before visualization',
    'Divide all samples values by a constant, eg the number of processors or jobs.',
  ),
  mean: text(
    'Average sample value over first value (count)',
    'For memory profiles, report average memory per allocation.',
    'For time-based profiles, report average time per event.',
  ),
  sample_index: text(
    'Sample value to report (0-based index or name)',
    'Profiles contain multiple values per sample.',
    'Use sample_index=i to select the ith value (starting at 0).',
  ),
  flat: text('Sort entries based on own weight'),
  cum: text('Sort entries based on cumulative weight'),
  functions: text('Aggregate at the function level.', 'Ignores the filename where the function was defined.'),
  filefunctions: text('Aggregate at the function level.', 'Takes into account the filename where the function was defined.'),
  files: 'Aggregate at the file level.',
  lines: 'Aggregate at the source code line level.',
  addresses: text('Aggregate at the address level.', "Includes functions' addresses in the output."),
  noinlines: text('Ignore inlines.', 'Attributes inlined functions to their first out-of-line caller.'),
};

/** Go's sort.Strings: byte order, which for these ASCII names is code unit order. */
const byBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** fmtHelp is pprof's `    %-16s %s` line with the first line of a help text. */
function fmtHelp(name: string, help: string): string {
  return `    ${name.padEnd(16)} ${help.split('\n', 1)[0]}`;
}

/** overview is the text of `help`: commands, options, option groups, then the shortcuts. */
export function overview(): string {
  const commands = [...shellCommands].map(([name, c]) => fmtHelp(name, c.description)).sort(byBytes);
  commands.push(fmtHelp('o/options', 'List options and their current values'));
  commands.push(fmtHelp('q/quit/exit/^D', 'Exit pprof'));
  const variables: string[] = [];
  const groups: string[] = [];
  for (const o of shellOptions) {
    if (!o.choices) {
      variables.push(fmtHelp(o.name, optionHelp[o.name] ?? ''));
      continue;
    }
    groups.push([fmtHelp(o.name, ''), ...o.choices.map((c) => '  ' + fmtHelp(c, optionHelp[c] ?? ''))].join('\n'));
  }
  variables.sort(byBytes);
  groups.sort(byBytes);
  return (
    '  Commands:\n' +
    commands.join('\n') +
    '\n\n  Options:\n' +
    variables.join('\n') +
    '\n\n  Option groups (only set one per group):\n' +
    groups.join('\n') +
    '\n  :   Clear focus/ignore/hide/tagfocus/tagignore\n\n  type "help <cmd|option>" for more information\n'
  );
}

/**
 * topicHelp is the text of `help <topic>` for a command or an option, or undefined when the
 * topic is neither. sampleTypes completes the sample_index text, as pprof does in its shell.
 */
export function topicHelp(topic: string, sampleTypes: readonly string[]): string | undefined {
  const c = shellCommands.get(topic);
  if (c) return commandHelp(c);
  let help = optionHelp[topic];
  if (help === undefined) return undefined;
  if (topic === 'sample_index') help += `Or use sample_index=name, with name in [${sampleTypes.join(' ')}].\n`;
  return help + '\n';
}

/** Go's `%-Ns`: pads by characters (runes), not UTF-16 code units. */
function padRunes(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : s + ' '.repeat(width - n);
}

/**
 * optionsListing is the text of `o`: every option with its current value, choices named in a
 * trailing `//:` comment (which an assignment ignores, so a line can be pasted back).
 */
export function optionsListing(s: Settings, sampleTypes: readonly string[], defaultSampleType: string): string {
  const lines: string[] = [];
  for (const o of shellOptions) {
    if (o.unlisted) continue;
    let v = o.get(s);
    let comment = '';
    if (o.choices) {
      comment = `[${[...o.choices].sort(byBytes).join(' | ')}]`;
    } else if (o.name === 'sample_index') {
      if (v === '') v = defaultSampleType;
      comment = `[${sampleTypes.join(' | ')}]`;
    } else if (o.name === 'nodecount' && v === '-1') {
      comment = 'default';
    } else if (v === '') {
      v = '""';
    }
    if (comment !== '') comment = '//: ' + comment;
    lines.push(`  ${padRunes(o.name, 25)} = ${padRunes(v, 20)} ${comment}`);
  }
  return lines.sort(byBytes).join('\n') + '\n';
}
