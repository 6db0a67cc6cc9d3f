// `proflens vars` against real services: a Go program serving expvar (fixtures/go) and the demo
// Node service with the agent; its one-line errors; and the --watch dashboard run in tmux, read
// back from the screen.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type GoService, hasGo, startGoFixture } from './go-fixture.js';
import { repoRoot, runCli } from './helpers.js';
import { type NodeService, startNodeService } from './node-service.js';
import { durationOption } from '../cli/flag-values.js';
import { Dashboard, sparkline } from '../src/vars/dashboard.js';
import { parseVarSpec, splitPath } from '../src/vars/paths.js';

/** closedPort returns a loopback port nothing listens on (it was just released). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe('vars views', () => {
  test('paths, kinds and durations', () => {
    assert.deepEqual(splitPath('memstats.HeapAlloc'), ['memstats', 'HeapAlloc']);
    assert.deepEqual(splitPath('a\\.b.c'), ['a.b', 'c']);
    assert.equal(parseVarSpec('memstats.Sys').kind, 'bytes');
    assert.equal(parseVarSpec('memstats.PauseNs').kind, 'duration');
    assert.equal(parseVarSpec('mem:requests').kind, 'bytes');
    assert.equal(parseVarSpec('requests').kind, 'number');
    assert.equal(durationOption('--interval', '2s'), 2000);
    assert.equal(durationOption('--interval', '500ms'), 500);
    assert.equal(durationOption('--interval', '3'), 3000);
    assert.equal(durationOption('--interval', '1m30s'), 90_000);
    assert.throws(() => durationOption('--interval', '5ms'), /--interval: "5ms" is not a duration of at least 100ms/);
  });

  test('the dashboard keeps history, shows errors, and fits the terminal', () => {
    const d = new Dashboard(['http://a/debug/vars', 'http://b/debug/vars'], [parseVarSpec('mem:memstats.Alloc'), parseVarSpec('duration:memstats.PauseNs')]);
    const doc = (alloc: number, gc: number): Record<string, unknown> => ({ memstats: { Alloc: alloc, NumGC: gc, PauseNs: Array.from({ length: 256 }, (_, i) => (i === (gc + 255) % 256 ? 1500 : 7)) } });
    for (let i = 1; i <= 8; i++) d.update(0, doc(i * 1024 * 1024, i), 0);
    d.update(1, doc(1024, 1), 0);
    d.update(1, 'connection refused', 0);
    const wide = d.render(120, 30, 'header');
    assert.ok(wide.every((l) => [...l].length <= 120));
    assert.ok(wide.some((l) => l.includes('http://a/debug/vars') && l.includes('http://b/debug/vars')), wide.join('\n'));
    assert.ok(wide.some((l) => /Alloc\s+8MB\s+▁▂▃▄▅▆▇█/.test(l)), wide.join('\n'));
    assert.ok(wide.some((l) => /PauseNs\s+1\.50us/.test(l)), 'the newest pause, found through NumGC');
    assert.ok(wide.some((l) => l.includes('✗ connection refused')));
    const narrow = d.render(40, 30, 'header');
    assert.ok(narrow.every((l) => [...l].length <= 40));
    assert.ok(narrow.includes('http://a/debug/vars') && narrow.includes('http://b/debug/vars'), 'stacked when narrow');
    assert.equal(d.render(120, 5, 'header').length, 5);
    assert.equal(sparkline([3, 3, 3], 10), '▄▄▄');
  });
});

describe('proflens vars against real services', () => {
  let goSvc: GoService | undefined;
  let nodeSvc: NodeService;
  before(async () => {
    nodeSvc = await startNodeService();
    if (hasGo) goSvc = await startGoFixture('goroutine');
  });
  after(async () => {
    await nodeSvc.stop();
    await goSvc?.stop();
  });

  test("a Go service's expvar: memstats humanized, the rest as a tree", { skip: !hasGo && 'go is not installed' }, async () => {
    const r = await runCli(['vars', goSvc!.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^cmdline: +\S+goroutine -http 127\.0\.0\.1:0$/m);
    assert.match(r.stdout, /^memstats:$/m);
    assert.match(r.stdout, /^ {2}HeapAlloc: +\d+(\.\d+)?(B|kB|MB)$/m);
    assert.match(r.stdout, /^ {2}PauseTotalNs: +(0|\d+(\.\d+)?(ns|us|ms|s))$/m);
    assert.match(r.stdout, /^ {2}BySize: +\[61 entries\]$/m);
    const sel = await runCli(['vars', '--var', 'memstats.HeapAlloc', '--var', 'memstats.NumGC', goSvc!.url.replace('http://', '')]);
    assert.equal(sel.code, 0, sel.stderr);
    assert.match(sel.stdout, /^memstats\.HeapAlloc {2}\d+(\.\d+)?(B|kB|MB)\nmemstats\.NumGC {6}\d+\n$/);
    const json = await runCli(['vars', '--json', goSvc!.url]);
    const doc = JSON.parse(json.stdout) as { memstats: { PauseNs: number[] } };
    assert.equal(doc.memstats.PauseNs.length, 256);
  });

  test("the agent's document: Go's names, the node object, user variables", async () => {
    await fetch(`${nodeSvc.url}/work`);
    const r = await runCli(['vars', nodeSvc.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}Alloc: +\d+(\.\d+)?(kB|MB)$/m);
    assert.match(r.stdout, /^ {2}PauseNs: +(no collections yet|last .* over the last \d+ collections)$/m);
    assert.match(r.stdout, /^node:$/m);
    assert.match(r.stdout, /^requests: +\d+$/m);
    assert.match(r.stdout, /^requestsByRoute:\n {2}\/work: +1$/m);
    const sel = await runCli(['vars', '--var', 'requestsByRoute./work', '--var', 'node.eventLoop.utilization', nodeSvc.url]);
    assert.match(sel.stdout, /^requestsByRoute\.\/work {7}1\nnode\.eventLoop\.utilization {2}\d+(\.\d+)?%\n$/);
    const both = await runCli(['vars', '--var', 'memstats.Sys', nodeSvc.url, ...(goSvc ? [goSvc.url] : [])]);
    assert.equal(both.code, 0);
    assert.match(both.stdout, new RegExp(`^# ${nodeSvc.url}/debug/vars\nmemstats\\.Sys {2}\\d`));
  });

  test('errors are one line naming the URL', async () => {
    const port = await closedPort();
    const cases: [string, string][] = [
      [`http://127.0.0.1:${port}`, `proflens: http://127.0.0.1:${port}/debug/vars: connection refused\n`],
      [`${nodeSvc.url}/nothing`, `proflens: ${nodeSvc.url}/nothing: server response: 404 Not Found\n`],
      [`${nodeSvc.url}/debug/pprof/`, `proflens: ${nodeSvc.url}/debug/pprof/: not JSON (the answer starts with "<html> <head> <title>/debug/pprof/</titl")\n`],
    ];
    for (const [url, want] of cases) {
      const r = await runCli(['vars', url]);
      assert.equal(r.code, 1, url);
      assert.equal(r.stderr, want);
    }
    assert.equal((await runCli(['vars', '--watch', '--json', nodeSvc.url])).code, 2);
  });
});

describe('proflens vars --watch in a terminal', { skip: !hasTmux() && 'tmux is not installed' }, () => {
  const socket = `proflens-test-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  after(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  /** screenUntil captures the pane until ok(screen) holds or 15 s pass. */
  async function screenUntil(ok: (s: string) => boolean, what: string, history = false): Promise<string> {
    let screen = '';
    for (const end = Date.now() + 15_000; Date.now() < end; ) {
      screen = tmux('capture-pane', '-p', '-t', 'watch', ...(history ? ['-S', '-'] : []));
      if (ok(screen)) return screen;
      await new Promise((r) => setTimeout(r, 200));
    }
    const state = tmux('display-message', '-p', '-t', 'watch', 'dead=#{pane_dead} alternate=#{alternate_on} command=#{pane_current_command} size=#{pane_width}x#{pane_height}');
    assert.fail(`${what}; ${state.trim()}; the screen shows:\n${screen}`);
  }

  test('shows values and sparklines side by side, resizes, shows a service going down, quits on q', async () => {
    const a = await startNodeService();
    const b = await startNodeService();
    const down = await closedPort();
    try {
      const cli = join(repoRoot, 'dist', 'bin', 'proflens.js');
      const cmd = [process.execPath, cli, 'vars', '--watch', '--interval', '300ms', a.url, b.url, `127.0.0.1:${down}`].map((x) => `'${x}'`).join(' ') + '; echo "exit=$?"';
      tmux('new-session', '-d', '-s', 'watch', '-x', '180', '-y', '30', cmd, ';', 'set-option', '-t', 'watch', 'remain-on-exit', 'on');
      let screen = await screenUntil((s) => (s.match(/✓ updated/g) ?? []).length === 2 && /[▁▂▃▄▅▆▇█]{3}/.test(s), 'two services updated with history');
      const lines = screen.split('\n');
      assert.match(lines[0]!, /^proflens vars — every 300ms — q quits/);
      assert.ok(lines.some((l) => l.includes(`${a.url}/debug/vars`) && l.includes(`${b.url}/debug/vars`)), 'side by side');
      for (const name of ['Alloc', 'Sys', 'HeapAlloc', 'HeapInuse', 'PauseNs', 'PauseTotalNs']) assert.match(screen, new RegExp(`(^|│ )${name} +\\S+`, 'm'), name);
      assert.match(screen, /✗ connection refused/);

      tmux('resize-window', '-t', 'watch', '-x', '70', '-y', '50');
      screen = await screenUntil((s) => s.split('\n').some((l) => l.trimEnd() === `${a.url}/debug/vars`), 'stacked after the resize');
      assert.ok(screen.split('\n').every((l) => [...l.trimEnd()].length <= 70));

      await b.stop();
      screen = await screenUntil((s) => (s.match(/✗ connection refused/g) ?? []).length === 2, 'the stopped service shows its error');
      assert.match(screen, /✓ updated/, 'the other service still updates');

      tmux('send-keys', '-t', 'watch', 'q');
      screen = await screenUntil((s) => /^exit=\d+$/m.test(s), 'proflens exits on q', true);
      assert.match(screen, /^exit=0$/m);
      assert.doesNotMatch(screen, /proflens vars — every/, 'the dashboard is gone: the normal screen is back');
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
