// pprof's picture flags (issue 21.1): -svg and -ps drawn in-process from the dot view, -web opens
// the SVG in a browser, -png/-pdf/-gif leave the SVG and say how to convert it. What pprof writes
// was read from its driver (commands.go: awayFromTTY, massageSVG, invokeVisualizer).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');

/** graphIds lists the node and edge ids of Graphviz text: N1, N6->N8, … */
function graphIds(dot: string): { nodes: string[]; edges: string[] } {
  return {
    nodes: [...dot.matchAll(/^(N\d+) \[/gm)].map((m) => m[1]!),
    edges: [...dot.matchAll(/^(N\d+) -> (N\d+) \[/gm)].map((m) => `${m[1]}->${m[2]}`),
  };
}

test('-svg draws every node and edge of the dot view, laid out for panning as pprof does', async () => {
  const dot = await runCli(['-dot', cpu]);
  const r = await runCli(['-svg', cpu], undefined, { stdoutIsTTY: false });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const svg = r.stdout;
  // pprof's massageSVG: the picture fills the window, the graph sits in a half-scale viewport.
  assert.match(svg, /<svg width="100%" height="100%" xmlns=/);
  assert.doesNotMatch(svg, /viewBox=/);
  assert.match(svg, /<\/script><g id="viewport" transform="scale\(0\.5,0\.5\) translate\(0,0\)"><g id="graph0"/);
  assert.match(svg, /<\/g>\n<\/g><\/svg>\n?$/);
  const ids = graphIds(dot.stdout);
  assert.ok(ids.nodes.length >= 8 && ids.edges.length >= 7, dot.stdout);
  const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!.replaceAll('&#45;&gt;', '->'));
  for (const id of [...ids.nodes, ...ids.edges]) assert.ok(titles.includes(id), `${id} drawn`);
  assert.match(svg, /<text[^>]*>770ms \(51\.33%\)<\/text>/, "main.mix's label, as in the dot text");
});

test('-svg on a terminal goes to profile001.svg, then profile002.svg, as pprof keeps pictures off the screen', async () => {
  const cwd = scratchDir('svg-tty');
  for (const n of ['001', '002']) {
    const r = await runCli(['-svg', cpu], undefined, { stdoutIsTTY: true, cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `Generating report in ${join(cwd, `profile${n}.svg`)}\n`);
    assert.match(readFileSync(join(cwd, `profile${n}.svg`), 'utf8'), /^<\?xml[\s\S]*<\/svg>\n?$/);
  }
});

test('-ps is drawn in-process too; -output writes it', async () => {
  const out = join(scratchDir('ps'), 'graph.ps');
  const r = await runCli(['-ps', `-output=${out}`, cpu]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(out, 'latin1'), /^%!PS-Adobe-3\.0\n[\s\S]*%%EOF\n?$/);
});

test('-png, -pdf, -gif: the SVG beside the asked name, one line saying how to convert it, exit 1', async () => {
  const dir = scratchDir('png');
  for (const [format, tool] of [['png', 'rsvg-convert -f png'], ['pdf', 'rsvg-convert -f pdf'], ['gif', 'convert']] as const) {
    const target = join(dir, `graph-${format}.${format}`);
    const r = await runCli([`-${format}`, `-output=${target}`, cpu]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const svgPath = join(dir, `graph-${format}.svg`);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
    assert.ok(r.stderr.includes(`SVG to ${svgPath}: convert it with \`${tool}`) && r.stderr.includes(target), r.stderr);
    assert.match(readFileSync(svgPath, 'utf8'), /<svg width="100%"/);
    assert.equal(existsSync(target), false, 'no file under the name of a picture proflens did not draw');
  }
});

test('-web writes the SVG to a temporary file, opens it and deletes it after; with no display or no browser it says so in openOrSay\'s words and keeps the file', async () => {
  const opened: string[] = [];
  let drawn = '';
  const display = { ...process.env, DISPLAY: ':0' };
  const r = await runCli(['-web', cpu], undefined, { env: display, openBrowser: async (p: string) => void (opened.push(p), (drawn = readFileSync(p, 'utf8'))) } as object);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(opened.length, 1);
  // As go tool pprof -web: nothing printed, and the temporary file gone once the browser had it.
  assert.equal(r.stderr, '');
  assert.match(drawn, /<g id="viewport"/);
  assert.equal(existsSync(dirname(opened[0]!)), false, 'the temporary folder is deleted');
  const failing = await runCli(['-web', cpu], undefined, { env: display, openBrowser: async () => Promise.reject(new Error('spawn xdg-open ENOENT')) } as object);
  const kept = /^proflens: svg --web: no browser could be opened \(spawn xdg-open ENOENT\); the graph is in (\S+\.svg)\n$/.exec(failing.stderr)?.[1];
  assert.ok(kept && existsSync(kept), failing.stderr);
  rmSync(dirname(kept), { recursive: true });
  if (process.platform === 'linux') {
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const headless = await runCli(['-web', cpu], undefined, { env, openBrowser: async () => assert.fail('nothing to open on') } as object);
    assert.equal(headless.code, 0, headless.stderr);
    const path = /^proflens: svg --web: no browser could be opened \(no display: neither DISPLAY nor WAYLAND_DISPLAY is set\); the graph is in (\S+\.svg)\n$/.exec(headless.stderr)?.[1];
    assert.ok(path && existsSync(path), headless.stderr);
    rmSync(dirname(path), { recursive: true });
  }
});

test('-help, -h, -version and -granularity=… in Go spelling', async () => {
  const help = await runCli(['--help']);
  for (const flag of ['-help', '-h']) assert.deepEqual(await runCli([flag]), help);
  const version = await runCli(['-version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `${JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version}\n`);
  const lines = await runCli(['-top', '-lines', '-nodecount=3', cpu]);
  assert.equal(lines.code, 0, lines.stderr);
  assert.deepEqual(await runCli(['-top', '-granularity=lines', '-nodecount=3', cpu]), lines);
});
