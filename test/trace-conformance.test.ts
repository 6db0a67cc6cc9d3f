// The trace analyses on real Go 1.19 traces we did not write (../shared/peer-trace) against what
// Debian's Go 1.19 tools said about them: `go tool pprof -top -nodecount=30` and `-traces` of each
// `go tool trace -pprof=KIND` profile, and the Goroutine analysis pages. Skipped, with the reason,
// when ../shared is not beside the project.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../src/driver/config.js';
import { generateView } from '../src/driver/driver.js';
import { goroutineStats } from '../src/trace/goroutine-stats.js';
import { latencyKinds, latencyProfile } from '../src/trace/latency-profile.js';
import { readTrace } from '../src/trace/read.js';
import { runCli, sharedDir } from './helpers.js';
import { assertMatchesPages, samples } from './trace-pages.js';

const peer = join(sharedDir, 'peer-trace');
const expectedDir = join(peer, 'expected-go1.19');
const skip = existsSync(expectedDir) ? false : `${expectedDir} is absent (the peer traces live in ../shared)`;
const traces = ['trace.bin', 'test-encoding-json.trace', 'staticcheck.trace'];

/** text is a text view's output. */
function text(r: Awaited<ReturnType<typeof generateView>>): string {
  assert.ok('text' in r);
  return r.text;
}

for (const name of traces) {
  const file = join(peer, 'traces', 'go1.19', name);
  // The trace is read once per test; the CLI path (`top -pprof=KIND FILE`) is run once below.
  test(`${name}: top and traces of every latency profile are go tool pprof's of go tool trace -pprof`, { skip }, async () => {
    const t = readTrace(readFileSync(file), file);
    for (const kind of latencyKinds) {
      const p = latencyProfile(t, kind);
      const top = await generateView(p, 'top', { ...defaultConfig(), nodeCount: 30 });
      assert.equal(text(top), readFileSync(join(expectedDir, `${name}.${kind}.top`), 'utf8'), `${name} ${kind} top`);
      const tr = await generateView(p, 'traces', defaultConfig());
      assert.deepEqual(samples(text(tr)), samples(readFileSync(join(expectedDir, `${name}.${kind}.traces`), 'utf8')), `${name} ${kind} traces`);
    }
  });
  const pages = !skip && !existsSync(join(expectedDir, `${name}.goroutines.html`)) ? `no goroutine pages of ${name} in ${expectedDir}` : skip;
  test(`${name}: goroutine groups and group pages are go tool trace's`, { skip: pages }, () => {
    const stats = goroutineStats(readTrace(readFileSync(file), file));
    assert.ok(assertMatchesPages(stats, expectedDir, name) > 0);
  });
}

test('top -pprof=sync -nodecount=30 TRACE, as a user types it, prints what go tool pprof printed', { skip }, async () => {
  const file = join(peer, 'traces', 'go1.19', 'test-encoding-json.trace');
  const r = await runCli(['top', '-pprof=sync', '-nodecount=30', file]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, readFileSync(join(expectedDir, 'test-encoding-json.trace.sync.top'), 'utf8'));
});
