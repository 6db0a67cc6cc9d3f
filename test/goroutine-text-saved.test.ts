// A profile URL asked with ?debug=1 or ?debug=2 (issue 19.2) answers with text: `top`, `fetch`
// and every view that fetches save it as the text it is, <kind>.NNN.txt, readable as a dump
// again, and not gzipped into a .pb.gz that no tool reads as a profile.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const dumps = join(repoRoot, 'fixtures', 'dumps');
const bodies: Record<string, string> = {
  '/debug/pprof/goroutine?debug=1': readFileSync(join(dumps, 'goroutine-debug1.txt'), 'utf8'),
  '/debug/pprof/goroutine?debug=2': readFileSync(join(dumps, 'goroutine-debug2.txt'), 'utf8'),
  '/debug/pprof/threadcreate?debug=1': readFileSync(join(dumps, 'threadcreate-debug1.txt'), 'utf8'),
};

async function withService(f: (host: string) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    const body = bodies[req.url!];
    res.statusCode = body === undefined ? 404 : 200;
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await f(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
}

test('top on a ?debug=1 and a ?debug=2 URL saves goroutine.NNN.txt, byte for byte', async () => {
  await withService(async (host) => {
    const store = scratchDir('goroutine-text-saved');
    const env = { ...process.env, PPROF_TMPDIR: store };
    for (const [debug, file] of [['1', 'goroutine.001.txt'], ['2', 'goroutine.002.txt']] as const) {
      const r = await runCli(['top', `http://${host}/debug/pprof/goroutine?debug=${debug}`], undefined, { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /main\.leakWorker/);
      assert.match(r.stderr, new RegExp(`Saved profile in .*${file.replace('.', '\\.')}`));
    }
    assert.deepEqual(readdirSync(store).sort(), ['goroutine.001.txt', 'goroutine.002.txt']);
    assert.equal(readFileSync(join(store, 'goroutine.001.txt'), 'utf8'), bodies['/debug/pprof/goroutine?debug=1']);
    assert.equal(readFileSync(join(store, 'goroutine.002.txt'), 'utf8'), bodies['/debug/pprof/goroutine?debug=2']);
    // What was saved reads back as the dump: 7 leaked workers in one bucket.
    const again = await runCli(['goroutines', join(store, 'goroutine.002.txt')]);
    assert.match(again.stdout, /\n\n7 goroutines \[chan receive\]/);
  });
});

test('fetch of threadcreate?debug=1 saves threadcreate.NNN.txt', async () => {
  await withService(async (host) => {
    const store = scratchDir('goroutine-text-saved');
    const r = await runCli(['fetch', '--dir', store, `http://${host}/debug/pprof/threadcreate?debug=1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(store), ['threadcreate.001.txt']);
    assert.equal(readFileSync(join(store, 'threadcreate.001.txt'), 'utf8'), bodies['/debug/pprof/threadcreate?debug=1']);
  });
});
