// Heap profiles from older @datadog/pprof name their sample types `objects` and `space` rather
// than `inuse_objects` and `inuse_space`. proflens must read them as pprof does: the default is
// the last type, and `inuse_space`/`inuse_objects` (and their legacy flags) find the short names.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encodeProfile } from '../src/profile/encode.js';
import { parseProfile } from '../src/profile/parse.js';
import { hasGo } from './go-fixture.js';
import { repoRoot, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'proflens-legacy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const modern = join(repoRoot, 'fixtures', 'profiles', 'node-heap.pb.gz');
const legacy = join(dir, 'node-heap-legacy.pb.gz');
const p = parseProfile(readFileSync(modern), modern);
assert.deepEqual(p.sampleTypes.map((t) => t.type), ['inuse_objects', 'inuse_space']);
writeFileSync(legacy, encodeProfile({ ...p, sampleTypes: [{ type: 'objects', unit: 'count' }, { type: 'space', unit: 'bytes' }] }));

test('a profile with objects/space sample types reads like its inuse_ twin', async () => {
  const cases: [string[], string][] = [
    [[], 'space'],
    [['--sample-index', 'inuse_space'], 'space'],
    [['--sample-index', 'inuse_objects'], 'objects'],
    [['--inuse-objects'], 'objects'],
    [['--sample-index', 'objects'], 'objects'],
    [['--sample-index', '0'], 'objects'],
  ];
  for (const [flags, type] of cases) {
    const old = await runCli(['top', ...flags, legacy]);
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stdout, new RegExp(`^Type: ${type}$`, 'm'), flags.join(' '));
    const now = await runCli(['top', ...(flags.length === 0 ? [] : ['--sample-index', type === 'space' ? 'inuse_space' : 'inuse_objects']), modern]);
    // Same rows, same numbers; only the Type line names the type differently.
    assert.equal(old.stdout.replace(/^Type: .*$/m, ''), now.stdout.replace(/^Type: .*$/m, ''), flags.join(' '));
    assert.match(old.stdout, /buildCache|allocateBuffers/);
  }
  const bad = await runCli(['top', '--sample-index', 'alloc_space', legacy]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'proflens: sample_index "alloc_space" must be one of: [objects space]\n');
});

test('go tool pprof prints the same for the legacy names', { skip: !hasGo && 'go is not installed' }, async () => {
  for (const [goFlag, native] of [['-sample_index=inuse_space', 'inuse_space'], ['-inuse_objects', 'inuse_objects']] as const) {
    const want = execFileSync('go', ['tool', 'pprof', '-top', '-symbolize=none', goFlag, legacy], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    const got = await runCli(['top', '--sample-index', native, legacy]);
    // Go 1.19 prints the older Time layout; every other line must match.
    const noTime = (s: string): string => s.replace(/^Time: .*$/m, '');
    assert.equal(noTime(got.stdout), noTime(want), goFlag);
  }
});
