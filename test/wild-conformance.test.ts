// Real profiles from other producers (../shared/wild-profiles: Go's runtime, Datadog, Pyroscope,
// Parca, async-profiler, py-spy, austin, pprof-rs, .NET, Node.js, legacy text): proflens must print
// what go tool pprof prints for each of them, and refuse what it refuses. Go is run live (the
// profiles may not be copied into the project, nor their outputs); the test skips, saying why,
// without the folder or without Go.
//
// By default each profile is compared on `-top` and one more view, taken in turn from the list
// below, so the run stays near a minute on a 2-core machine; PROFLENS_WILD_ALL=1 compares every
// view and every sample type (about 900 cases, many minutes). The count is printed either way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { textBytes } from '../src/profile/text-bytes.js';
import { hasGo } from './go-fixture.js';
import { runCli, scratchDir, sharedDir } from './helpers.js';

const wildDir = join(sharedDir, 'wild-profiles');
const all = process.env.PROFLENS_WILD_ALL === '1';
const views: readonly string[][] = [
  ['-raw'],
  ['-traces'],
  ['-tree'],
  ['-peek=.'],
  ['-dot'],
  ['-top', '-cum'],
  ['-top', '-lines'],
  ['-top', '-files'],
  ['-top', '-addresses'],
  ['-top', '-noinlines'],
  ['-tags'],
];

/**
 * Deliberate differences, each with the README's reason ("Where proflens differs from go tool
 * pprof"): a case of such a view whose outputs differ is counted apart, not as a failure.
 */
const deliberate: Readonly<Record<string, string>> = {
  '-tags': "tags uses current pprof's layout (key: Total X of Y), which changed in 2025; Go 1.19 prints an older one",
};

const skip = !existsSync(wildDir) ? `${wildDir} is not there` : !hasGo ? 'go is not installed' : false;

interface Output {
  code: number;
  text: string;
}

/** The Time line (and the dot legend's) differs by design: current pprof's layout, not Go 1.19's. */
const normalize = (s: string): string => s.replace(/^Time: .*\n/m, '').replace(/Time: [^\n\\]*/g, 'Time: …');

test('wild profiles: proflens prints what go tool pprof prints', { skip, timeout: all ? 3_600_000 : 300_000 }, async (t) => {
  const scratch = scratchDir('wild');
  const env = { ...process.env, HOME: scratch, PPROF_TMPDIR: scratch, TZ: 'UTC' };
  const pprof = (args: string[]): Promise<Output> =>
    new Promise((resolve) => {
      execFile('go', ['tool', 'pprof', '-symbolize=none', ...args], { env, encoding: 'buffer', maxBuffer: 1 << 30 }, (e, stdout) => {
        resolve({ code: e ? 1 : 0, text: stdout.toString('latin1') });
      });
    });
  const proflens = async (args: string[]): Promise<Output> => {
    const r = await runCli(args);
    // As the executable writes it when piped: the profile's own bytes (cli/terminal-text.ts).
    return { code: r.code === 0 ? 0 : 1, text: textBytes(r.stdout).toString('latin1') };
  };

  const files = readdirSync(wildDir)
    .filter((f) => f !== 'README.md' && f !== 'SOURCES.tsv')
    .sort();
  const cases: { file: string; flags: string[] }[] = [];
  for (const [i, file] of files.entries()) {
    let types = 1;
    if (all) {
      const p = await runCli(['raw', join(wildDir, file)]);
      const header = /^Samples:\n(.*)$/m.exec(p.stdout);
      if (header) types = header[1]!.split(' ').length;
    }
    for (let k = 0; k < types; k++) cases.push({ file, flags: all ? ['-top', `-sample_index=${k}`] : ['-top'] });
    for (const [j, view] of views.entries()) if (all || j === i % views.length) cases.push({ file, flags: [...view] });
  }

  // go tool pprof runs two at a time; proflens runs in this process while they do.
  let next = 0;
  let same = 0;
  const apart: string[] = [];
  const failures: string[] = [];
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const { file, flags } = cases[next++]!;
      const path = join(wildDir, file);
      const want = await pprof([...flags, path]);
      const got = await proflens([...flags, path]);
      const name = `${file} ${flags.join(' ')}`;
      if (want.code !== got.code) failures.push(`${name}: go tool pprof exit ${want.code}, proflens ${got.code}`);
      else if (want.code !== 0 || normalize(want.text) === normalize(got.text)) same++;
      else if (deliberate[flags[0]!]) apart.push(name);
      else failures.push(`${name}: output differs`);
    }
  };
  await Promise.all([worker(), worker()]);

  t.diagnostic(`${same}/${cases.length} identical; ${apart.length} differ deliberately (${Object.keys(deliberate).join(', ')}: see the README); ${failures.length} differ`);
  assert.deepEqual(failures, []);
});
