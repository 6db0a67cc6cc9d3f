// -weblist=RE (issue 21.1): pprof opens the annotated source of every function RE matches in the
// browser; proflens opens its web UI on the Source tab for RE. The functions are those of the
// fixture's Go program (fixtures/go/cmd/cpu/main.go).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { WebIO } from '../cli/web-command.js';
import { repoRoot, runCli } from './helpers.js';

const cpu = join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz');

test('-weblist=RE opens the Source tab for RE, and the page\'s request lists every function RE matches', async () => {
  for (const args of [['-weblist=main\\.(fib|mix)$', cpu], ['weblist', 'main\\.(fib|mix)$', cpu]]) {
    let opened = '';
    let listed: string[] = [];
    const io: Partial<WebIO> = {
      // A display to open the browser on (CI has none: proflens would say so and open nothing).
      env: { ...process.env, DISPLAY: ':0' },
      openBrowser: async (url) => void (opened = url),
      // While the server runs: ask it what the Source tab asks for.
      untilStopped: async () => {
        const page = new URL(opened);
        const api = new URL(`/api/source?re=${encodeURIComponent(page.searchParams.get('re')!)}`, page);
        const body = (await (await fetch(api)).json()) as { entries: { name: string }[] };
        listed = body.entries.map((e) => e.name);
      },
    };
    const r = await runCli(args, undefined, io);
    assert.equal(r.code, 0, r.stderr);
    const page = new URL(opened);
    assert.equal(page.hostname, '127.0.0.1');
    assert.equal(page.searchParams.get('tab'), 'source');
    assert.equal(page.searchParams.get('re'), 'main\\.(fib|mix)$');
    assert.equal(r.stdout, `Serving web UI on ${opened}\n`);
    assert.deepEqual(listed.sort(), ['main.fib', 'main.mix']);
  }
});
