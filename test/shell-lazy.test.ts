// `proflens top` must not load the shell, nor the trace, vars and goroutines commands: their code
// is imported only when they run; and `proflens trace` must not load the profile driver.
// A module hook records every module a real proflens process resolves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './helpers.js';

const proflens = join(repoRoot, 'dist', 'cli', 'proflens.js');
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');

/** modulesLoaded runs proflens with the arguments and returns the project modules it resolved. */
function modulesLoaded(dir: string, args: string[], input: string): string[] {
  const log = join(dir, `imports-${args.length}.log`);
  writeFileSync(log, '');
  execFileSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, proflens, ...args], {
    input,
    env: { ...process.env, IMPORT_LOG: log, PROFLENS_HISTORY: '' },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const root = pathToFileURL(repoRoot).href;
  return [...new Set(readFileSync(log, 'utf8').split('\n'))].filter((u) => u.startsWith(root)).map((u) => u.slice(root.length));
}

/** withHooks makes a folder with the module hook, passes it to fn, and removes it. */
function withHooks(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-lazy-'));
  try {
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.IMPORT_LOG, r.url + '\\n');
  return r;
}
`,
    );
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('proflens top loads no shell code; proflens <source> does', () => {
  withHooks((dir) => {
    const isShell = (m: string): boolean => m.includes('/src/repl/') || m.endsWith('/cli/shell-command.js');
    const top = modulesLoaded(dir, ['top', heap], '');
    assert.ok(top.some((m) => m.endsWith('/src/report/top.js')), top.join('\n'));
    assert.deepEqual(top.filter(isShell), []);
    const shell = modulesLoaded(dir, [heap], 'q\n');
    assert.ok(shell.some((m) => m.endsWith('/src/repl/shell.js')), shell.join('\n'));
    assert.ok(shell.some((m) => m.endsWith('/cli/shell-command.js')));
  });
});

test('proflens top loads no trace, vars or goroutines command; proflens trace loads no profile driver', () => {
  withHooks((dir) => {
    const isOtherCommand = (m: string): boolean => /\/cli\/(trace|vars|goroutines)-command\.js$|\/src\/(trace|vars)\//.test(m);
    const top = modulesLoaded(dir, ['top', heap], '');
    assert.ok(top.some((m) => m.endsWith('/src/report/top.js')), top.join('\n'));
    assert.deepEqual(top.filter(isOtherCommand), []);
    const trace = modulesLoaded(dir, ['trace', 'summary', join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace')], '');
    assert.ok(trace.some((m) => m.endsWith('/src/trace/summary.js')), trace.join('\n'));
    const isProfileViews = (m: string): boolean => /\/src\/(driver\/driver|graph\/build|report\/report)\.js$/.test(m);
    assert.deepEqual(trace.filter(isProfileViews), []);
  });
});

test('proflens top on a pprof profile loads no text or V8 reader; on a goroutine dump it does (issue 16)', () => {
  withHooks((dir) => {
    const isTextReader = (m: string): boolean => /\/src\/(dump|v8)\/|\/src\/profile\/(legacy-contention|parse-text)\.js$/.test(m);
    const top = modulesLoaded(dir, ['top', heap], '');
    assert.ok(top.some((m) => m.endsWith('/src/report/top.js')), top.join('\n'));
    assert.deepEqual(top.filter(isTextReader), []);
    const dump = modulesLoaded(dir, ['top', join(repoRoot, 'fixtures', 'dumps', 'goroutine-debug2.txt')], '');
    assert.ok(dump.some((m) => m.endsWith('/src/dump/goroutine-text.js')), dump.join('\n'));
  });
});

test('proflens top loads neither the compare commands nor web; their names are still known to the Go-flag translation (issue 16)', async () => {
  const [{ commandNames }, { compareCommandNames }] = await Promise.all([import('../cli/main.js'), import('../cli/compare-commands.js')]);
  for (const name of [...compareCommandNames, 'web', 'weblist']) assert.ok(commandNames.includes(name), name);
  withHooks((dir) => {
    const isFullOnly = (m: string): boolean => /\/cli\/(compare-commands|web-command)\.js$/.test(m);
    const top = modulesLoaded(dir, ['top', heap], '');
    assert.ok(top.some((m) => m.endsWith('/src/report/top.js')), top.join('\n'));
    assert.deepEqual(top.filter(isFullOnly), []);
  });
});
