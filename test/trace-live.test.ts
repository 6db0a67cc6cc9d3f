// A trace collected live over HTTP from the tracesvc fixture (fixtures/go/cmd/tracesvc): proflens
// fetches /debug/pprof/trace, saves it whole as trace.NNN.out, and its latency profile and goroutine
// analysis of that saved file are checked against Debian's go tool trace run on the same file.
// Skipped when go is not installed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { goroutineStats } from '../src/trace/goroutine-stats.js';
import { readTrace } from '../src/trace/read.js';
import { hasGo, startGoFixture } from './go-fixture.js';
import { withGoTraceServer } from './go-trace-server.js';
import { runCli, scratchDir } from './helpers.js';
import { assertMatchesPages, groupsPage } from './trace-pages.js';

/** goTracePages serves the trace with go tool trace -http and saves its goroutine pages into dir. */
async function goTracePages(file: string, dir: string, name: string): Promise<void> {
  await withGoTraceServer(file, async (get) => {
    const groups = await get('/goroutines');
    writeFileSync(join(dir, `${name}.goroutines.html`), groups);
    for (const g of groupsPage(groups)) writeFileSync(join(dir, `${name}.goroutine-${g.pc}.html`), await get(`/goroutine?id=${g.pc}`));
  });
}

test('a trace fetched over HTTP is saved whole and analysed as go tool trace analyses it', { skip: hasGo ? false : 'go is not installed', timeout: 180_000 }, async () => {
  const svc = await startGoFixture('tracesvc');
  const store = scratchDir('trace-store');
  const env = { ...process.env, PPROF_TMPDIR: store, HOME: store };
  let saved: string;
  try {
    const r = await runCli(['trace', 'goroutines', '--seconds', '1', '--json', svc.url.replace('http://', '')], undefined, { env });
    assert.equal(r.code, 0, r.stderr);
    saved = join(store, 'trace.001.out');
    assert.equal(r.stderr, `Saved trace in ${saved}\n`);
    assert.ok(JSON.parse(r.stdout).some((g: { name: string }) => g.name === 'main.worker'));
    // A pprof view reading a trace URL (--pprof) keeps the trace it fetched as the trace it is.
    const top = await runCli(['top', '--pprof', 'sync', '--seconds', '1', `${svc.url}/debug/pprof/trace`], undefined, { env });
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stderr, /trace\.002\.out\n$/);
    assert.match(top.stdout, /^Type: delay\n/);
  } finally {
    await svc.stop();
  }
  const bytes = readFileSync(saved);
  assert.match(bytes.subarray(0, 16).toString('latin1'), /^go 1\.\d+ trace\0/);

  // The sync latency profile of the saved file, as go tool trace -pprof=sync + go tool pprof -top print it.
  const dir = scratchDir('trace-live');
  const pb = join(dir, 'sync.pb');
  writeFileSync(pb, spawnSync('go', ['tool', 'trace', '-pprof=sync', saved]).stdout);
  const goTop = spawnSync('go', ['tool', 'pprof', '-symbolize=none', '-top', '-nodecount=30', pb], { encoding: 'utf8' }).stdout;
  const ours = await runCli(['top', '--pprof', 'sync', '--nodecount', '30', saved]);
  assert.equal(ours.stdout, goTop);

  // The goroutine analysis against the pages go tool trace serves for the same file.
  await goTracePages(saved, dir, 'live');
  assert.ok(assertMatchesPages(goroutineStats(readTrace(bytes, saved)), dir, 'live') > 10);
});
