// What `proflens trace summary` and `proflens top` load at start-up (issue 16): the trace commands
// read no profile, so they load neither the protobuf decoder nor zlib; and no command loads
// child_process (with net and dgram) before it runs a program, though commander asks for it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './helpers.js';

const trace = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');

/**
 * loaded runs a proflens script with the arguments and returns what it loaded: the project's
 * modules it resolved and Node's built-in modules, as one list of URLs and `node:NAME`s.
 */
function loaded(script: string, args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-start-up-'));
  try {
    const log = join(dir, 'loaded.log');
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`,
    );
    // Built-ins loaded by require() (commander's) never pass the hook: Node lists them all.
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
process.on('exit', () => appendFileSync(${JSON.stringify(log)}, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => 'node:' + m.slice(13) + '\\n').join('')));
`,
    );
    writeFileSync(log, '');
    execFileSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(repoRoot, script), ...args], {
      env: { ...process.env, PROFLENS_HISTORY: '' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    return execFileSync('sort', ['-u', log], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('proflens trace summary loads no profile decoder and no zlib (issue 16)', () => {
  const mods = loaded('dist/cli/proflens.js', ['trace', 'summary', trace]);
  assert.ok(mods.some((m) => m.endsWith('/src/trace/summary.js')), mods.join('\n'));
  const decoder = mods.filter((m) => /\/src\/profile\/(sniff|decode|wire-reader)\.js$/.test(m) || m === 'node:zlib');
  assert.deepEqual(decoder, []);
});

test('the bundle loads no child_process or dgram for trace summary or top (issue 16)', () => {
  for (const args of [['trace', 'summary', trace], ['top', heap]]) {
    const mods = loaded('dist/bin/proflens.js', args);
    assert.ok(mods.includes('node:fs'), mods.join('\n'));
    assert.deepEqual(mods.filter((m) => /^node:(child_process|dgram|internal\/child_process)$/.test(m)), [], args.join(' '));
  }
});
