// `proflens --help` groups what it lists (issue 21.3): commands by purpose, the options every view
// takes by kind (sources, samples, filters, output), says that URLs are sources, and shows examples.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers.js';

/** headings lists the lines of a help text that open a group ("Filters:"), in order. */
const headings = (help: string): string[] => help.split('\n').filter((l) => /^\S.*:$/.test(l));

test('--help: commands under headings, the shared options by group, URLs as sources, examples', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.deepEqual(headings(r.stdout), [
    'Options:',
    'Views of a profile (pprof -top, -tree, …):',
    'Collect and compare:',
    'Pictures and the web UI:',
    'Services, goroutines, heaps and traces:',
    'Other:',
    'Options every view takes (proflens top --help lists them all):',
    'Examples:',
  ]);
  const section = (h: string): string => r.stdout.split(`\n${h}\n`)[1]!.split('\n\n')[0]!;
  assert.match(section('Views of a profile (pprof -top, -tree, …):'), /^  top\|text [\s\S]*^  topproto /m);
  assert.match(section('Collect and compare:'), /^  fetch [\s\S]*^  diff [\s\S]*^  trend /m);
  assert.match(section('Other:'), /^  shell [\s\S]*^  help /m);
  // Every command has a group of its own purpose: nothing but the shell, completion and help is "Other".
  assert.doesNotMatch(section('Other:'), /^  (attach|heap|trace|goroutines) /m);
  const shared = section('Options every view takes (proflens top --help lists them all):');
  for (const group of ['Sources', 'Samples', 'Filters', 'Output']) assert.match(shared, new RegExp(`^  ${group}: `, 'm'));
  assert.match(shared, /a URL:\s+http\(s\):\/\/host:port\/debug\/pprof\/heap/);
  assert.match(shared, /--focus R/);
  assert.match(section('Examples:'), /^  proflens top --seconds 10 localhost:6060 /m);
  // Alone, proflens still prints the same help on standard error and fails, as go tool pprof.
  const alone = await runCli([]);
  assert.equal(alone.code, 1);
  assert.equal(alone.stderr, r.stdout);
});

test('a view\'s --help groups its options: sources, samples, output, filters', async () => {
  const r = await runCli(['top', '--help']);
  assert.equal(r.code, 0);
  const groups = headings(r.stdout);
  for (const h of ['Samples:', 'Output:', 'Filters (regexes are Go RE2 syntax):']) assert.ok(groups.includes(h), `${h} in ${groups.join(' | ')}`);
  assert.ok(groups.some((h) => h.startsWith('Sources (a file, - for standard input, or a URL')));
  const filters = r.stdout.split('\nFilters (regexes are Go RE2 syntax):\n')[1]!.split('\n\n')[0]!;
  assert.match(filters, /^  --focus <regex> [\s\S]*^  --taghide <regex> /m);
  assert.doesNotMatch(filters, /--cum|--seconds/);
});
