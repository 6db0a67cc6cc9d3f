// The summary ends with the commands to run next. They open the timeline first, and for a trace
// fetched from a URL they name the file it was saved in, not the URL: the service may be gone by
// then, and fetching again would trace for another --seconds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { join } from 'node:path';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const nextLines = (out: string): string[] => out.split('\nNext:\n')[1]!.trimEnd().split('\n');

test('trace summary: the next commands open the timeline first, on the file given', async () => {
  const r = await runCli(['trace', 'summary', fixture]);
  assert.equal(r.code, 0, r.stderr);
  const next = nextLines(r.stdout);
  assert.match(next[0]!, new RegExp(`^  proflens trace ${fixture.replace(/[.]/g, '\\.')} +the timeline`));
  assert.ok(next.some((l) => l.startsWith(`  proflens trace goroutines ${fixture} `)));
});

test('trace summary of a URL: the next commands name the saved file, not the URL', async () => {
  const bytes = readFileSync(fixture);
  const server = createServer((req, res) => {
    if (!req.url?.startsWith('/debug/pprof/trace')) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    const store = scratchDir('trace-summary-next');
    const r = await runCli(['trace', 'summary', '--seconds', '1', `127.0.0.1:${port}`], undefined, { env: { ...process.env, PPROF_TMPDIR: store } });
    assert.equal(r.code, 0, r.stderr);
    const saved = /Saved trace in (\S+)\n/.exec(r.stderr)?.[1];
    assert.ok(saved?.startsWith(store), r.stderr);
    const next = nextLines(r.stdout);
    assert.ok(next.every((l) => !l.includes(`127.0.0.1:${port}`)), next.join('\n'));
    assert.ok(next[0]!.startsWith(`  proflens trace ${saved} `), next[0]);
  } finally {
    server.close();
  }
});
