// The shell's svg, ps and weblist (issue 21.1), as pprof's shell has them: svg and ps draw the
// dot graph (to profileNNN.svg off the terminal, or to `>file`), weblist opens the web UI's Source
// tab for its regex. Usage text as pprof's reportHelp("svg", false, true) prints it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { defaultConfig } from '../src/driver/config.js';
import { loadProfile } from '../src/driver/driver.js';
import { type WebRequest, runShell } from '../src/repl/shell.js';
import { repoRoot } from './helpers.js';

const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');

async function shell(script: string, web?: (r: WebRequest) => Promise<string>): Promise<{ messages: string; files: Map<string, string> }> {
  const profile = await loadProfile([cpu]);
  const files = new Map<string, string>();
  let messages = '';
  await runShell(profile, defaultConfig(), {
    io: { input: PassThrough.from([script]), output: new PassThrough(), message: (s) => (messages += s) },
    viewContext: { cwd: '/nowhere' },
    writeFile: async (path, data) => void files.set(path, typeof data === 'string' ? data : Buffer.from(data).toString('latin1')),
    ...(web && { web }),
  });
  return { messages, files };
}

test('svg and ps draw the call graph; off the terminal into profile001.svg, or into the file named', async () => {
  const { messages, files } = await shell('svg\nsvg main >g.svg\nps >g.ps\nhelp svg\n');
  assert.match(messages, /Generating report in profile001\.svg\nGenerating report in g\.svg\nGenerating report in g\.ps\n/);
  const svg = files.get(join('/nowhere', 'profile001.svg'))!;
  assert.match(svg, /<g id="viewport" transform="scale\(0\.5,0\.5\) translate\(0,0\)"><g id="graph0"/);
  assert.match(svg, /<title>N1<\/title>/);
  assert.match(files.get('g.svg')!, /<svg width="100%"/);
  assert.match(files.get('g.ps')!, /^%!PS-Adobe-3\.0/);
  assert.match(
    messages,
    /Outputs a graph in SVG format\n {2}Usage:\n {4}svg \[n\] \[focus_regex\]\* \[-ignore_regex\]\* >f\n {4}Include up to n samples\n {4}Include samples matching focus_regex, and exclude ignore_regex\.\n {4}Optionally save the report on the file f\n/,
  );
});

test('weblist RE opens the web UI on the Source tab for RE', async () => {
  const requests: WebRequest[] = [];
  const { messages } = await shell('weblist main\\.f\n', async (r) => {
    requests.push(r);
    return `Serving web UI on http://127.0.0.1:1234/${r.page ?? ''}`;
  });
  assert.equal(requests.length, 1);
  assert.equal(requests[0]!.page, '?tab=source&re=main%5C.f');
  assert.match(messages, /Serving web UI on http:\/\/127\.0\.0\.1:1234\/\?tab=source&re=main%5C\.f\n$/);
});
