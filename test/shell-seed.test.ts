// The workflow of every pprof tutorial, end to end against a real Go service: fetch its heap
// profile over HTTP straight into the shell, then top, alloc_objects, top, list, tree, web. Each
// report is checked against go tool pprof on the profile the shell fetched and saved.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasGo, startGoFixture } from './go-fixture.js';
import { runShellCli } from './helpers.js';

process.env.TZ = 'UTC';

test('heap over HTTP into the shell: top, alloc_objects, top, list, tree, web', { skip: hasGo ? false : 'go is not installed' }, async () => {
  const service = await startGoFixture('heap');
  const store = mkdtempSync(join(tmpdir(), 'proflens-seed-'));
  try {
    const script = 'top\nalloc_objects\ntop\nlist main.fillCache\ntree\nweb\nq\n';
    const r = await runShellCli(['--no-browser', `${service.url}/debug/pprof/heap`], script, { PPROF_TMPDIR: store });
    assert.equal(r.code, 0, r.stderr);
    const saved = /^Saved profile in (.*)$/m.exec(r.stderr)?.[1];
    assert.ok(saved?.startsWith(store), r.stderr);
    assert.match(r.stderr, /\nType: inuse_space\nTime: .*\nEntering interactive mode/);
    // web serves the shell's state on a loopback port (no browser in a test), until the shell ends.
    assert.match(r.stderr, /\nServing web UI on http:\/\/127\.0\.0\.1:\d+\/\n$/);

    // What go tool pprof prints for the same commands on the same profile, in its shell's settings.
    const pprof = (...flags: string[]): string =>
      execFileSync('go', ['tool', 'pprof', '-symbolize=none', '-compact_labels', ...flags, saved!], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [top, , topAlloc, list, tree] = r.stdout.split('(pprof) ').slice(1);
    assert.equal(top, pprof('-top', '-nodecount=10'));
    assert.equal(topAlloc, pprof('-top', '-nodecount=10', '-sample_index=alloc_objects'));
    assert.equal(list, pprof('-list=main.fillCache', '-sample_index=alloc_objects'));
    assert.equal(tree, pprof('-tree', '-sample_index=alloc_objects'));
    assert.match(list!, /ROUTINE =+ main\.fillCache/);
  } finally {
    await service.stop();
    rmSync(store, { recursive: true, force: true });
  }
});
