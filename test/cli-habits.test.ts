// Habits users bring from go tool pprof and from the rest of proflens (issue 15, items 8, 12, 13,
// 15): no arguments, -http=:, -symbolize, a regex that matches nothing, one duration syntax.
// Expected texts and exit codes were read from `go tool pprof` (Go 1.19) by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseGoInt, timeoutOption } from '../cli/flag-values.js';
import type { WebIO } from '../cli/web-command.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');

/** serve answers every request with `answer` on a loopback port until `use` is done. */
async function serve<T>(answer: http.RequestListener, use: (url: string) => Promise<T>): Promise<T> {
  const server = http.createServer(answer);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

test('no arguments: the whole help on standard error, exit 1 as go tool pprof', async () => {
  const r = await runCli([]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  for (const command of ['top|text', 'tree', 'peek', 'list', 'fetch', 'diff', 'trend', 'web', 'vars']) {
    assert.match(r.stderr, new RegExp(`^  ${command.replace('|', '\\|')} `, 'm'), `help lists ${command}`);
  }
  assert.equal(r.stderr, (await runCli(['--help'])).stdout);
});

test('-http=: serves on a free loopback port, as pprof picks one', async () => {
  const io: Partial<WebIO> = { untilStopped: async () => {}, openBrowser: async () => assert.fail('-no_browser opens nothing') };
  for (const args of [['-http=:', '-no_browser', cpu], ['web', '--http', '127.0.0.1:', '--no-browser', cpu]]) {
    const r = await runCli(args, undefined, io);
    assert.equal(r.code, 0, r.stderr);
    const port = Number(/^Serving web UI on http:\/\/127\.0\.0\.1:(\d+)\/\n$/.exec(r.stdout)?.[1]);
    assert.ok(port > 0, r.stdout);
  }
});

test('-symbolize with any value is accepted; said to be ignored only with --debug', async () => {
  const plain = await runCli(['-top', '-nodecount=2', cpu]);
  for (const args of [['-top', '-nodecount=2', '-symbolize=none', cpu], ['top', '--nodecount', '2', '--symbolize', 'remote', cpu]]) {
    const r = await runCli(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, plain.stdout);
  }
  const debug = await runCli(['top', '--debug', '--symbolize=local', '--nodecount', '2', cpu]);
  assert.equal(debug.code, 0);
  assert.equal(debug.stderr, 'proflens: --symbolize=local ignored: proflens never symbolizes; it shows the names the profile holds\n');
});

test("a regex that matches nothing: pprof's message with the regex as typed, exit 1", async () => {
  // go tool pprof -list=nomatch / -peek=a/b: "no matches found for regexp: a/b", exit status 1.
  const cases: [string[], string][] = [
    [['list', 'nomatch', cpu], 'nomatch'],
    [['peek', 'nomatch', cpu], 'nomatch'],
    [['-peek=a/b', cpu], 'a/b'],
    [['-list=a/b', cpu], 'a/b'],
    [['list', 'a\\/b', cpu], 'a\\/b'],
  ];
  for (const [args, shown] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `proflens: no matches found for regexp: ${shown}\n`, args.join(' '));
  }
});

test('vars --json --var: only the chosen variables, by the names given', async () => {
  const doc = { cmdline: ['x'], hits: 42, memstats: { HeapAlloc: 1024, NumGC: 3 } };
  const answer: http.RequestListener = (_, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(doc));
  await serve(answer, (url) =>
    serve(answer, async (other) => {
      const one = await runCli(['vars', '--json', '--var', 'hits', '--var', 'mem:memstats.HeapAlloc', '--var', 'missing', url]);
      assert.equal(one.code, 0, one.stderr);
      assert.deepEqual(JSON.parse(one.stdout), { hits: 42, 'memstats.HeapAlloc': 1024, missing: null });
      const two = await runCli(['vars', '--json', '--var', 'hits', url, other]);
      assert.equal(two.code, 0, two.stderr);
      assert.deepEqual(Object.values(JSON.parse(two.stdout) as Record<string, unknown>), [{ hits: 42 }, { hits: 42 }]);
    }),
  );
});

test('--timeout takes a Go duration, as --every and vars --timeout do', async () => {
  const body = readFileSync(cpu);
  await serve(
    (req, res) => {
      if (req.url!.startsWith('/slow')) return; // never answers
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
    },
    async (url) => {
      const dir = scratchDir('habits');
      const ok = await runCli(['fetch', '--timeout', '30s', `${url}/debug/pprof/heap`], undefined, { env: { ...process.env, PPROF_TMPDIR: dir } });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(readdirSync(dir).length, 1);
      const slow = await runCli(['top', '--timeout', '300ms', `${url}/slow`], undefined, { env: { ...process.env, PPROF_TMPDIR: dir } });
      assert.equal(slow.code, 1);
      assert.match(slow.stderr, /^proflens: .*\/slow: timed out after 0\.3s\n$/);
    },
  );
  assert.equal(timeoutOption('--timeout', '1m30s'), 90_000);
  assert.equal(timeoutOption('--timeout', '45'), 45_000, "pprof's whole seconds");
  assert.equal(timeoutOption('--timeout', '-1'), 0, "pprof's way of saying none");
  const bad = await runCli(['top', '--timeout', 'soon', cpu]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'proflens: --timeout: "soon" is not a duration such as 30s or 5m\n');
});

test("--seconds is a whole number, read as Go's flag package reads pprof's -seconds", async () => {
  // go tool pprof -seconds=0x1e, =1_0 and =+3 are accepted; =30s and =1.5 are "parse error".
  assert.equal(parseGoInt('--seconds', '30'), 30);
  assert.equal(parseGoInt('--seconds', '0x1e'), 30);
  assert.equal(parseGoInt('--seconds', '036'), 30);
  assert.equal(parseGoInt('--seconds', '0o36'), 30);
  assert.equal(parseGoInt('--seconds', '1_0'), 10);
  assert.equal(parseGoInt('--seconds', '+3'), 3);
  assert.equal(parseGoInt('--seconds', '-1'), -1);
  for (const v of ['30s', '1.5', '', '_1', '1__0', '1_', '09', 'x']) assert.throws(() => parseGoInt('--seconds', v), /is not a whole number/, v);
  const r = await runCli(['top', '--seconds', '1.5', cpu]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'proflens: --seconds: "1.5" is not a whole number\n');
  // pprof: 0 or less means no duration; for a file it changes nothing.
  assert.equal((await runCli(['-top', '-seconds=-1', cpu])).code, 0);
});
