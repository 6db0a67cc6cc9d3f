// proflens/agent's published types stand alone (issue 21.5): a TypeScript user without the
// optional peer @datadog/pprof compiles against the emitted declarations with skipLibCheck off.
// The agent declares the few shapes of @datadog/pprof it uses (src/agent/pprof-types.ts); the
// type-level check below keeps them true to the installed package.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type * as Datadog from '@datadog/pprof';
import type { PprofModule } from '../src/agent/pprof-types.js';
import { repoRoot, scratchDir } from './helpers.js';

// @datadog/pprof fits the agent's shapes (a compile error here, in the build, when it stops to).
const fits: (m: typeof Datadog) => PprofModule = (m) => m;
void fits;

test('proflens/agent\'s .d.ts compile for a TypeScript user without @datadog/pprof', { timeout: 60_000 }, async () => {
  const dir = scratchDir('agent-types');
  // The emitted declarations, copied where no node_modules above can resolve @datadog/pprof.
  cpSync(join(repoRoot, 'dist', 'src'), join(dir, 'proflens'), { recursive: true, filter: (f) => !f.endsWith('.js') && !f.endsWith('.map') });
  assert.ok(existsSync(join(dir, 'proflens', 'agent', 'index.d.ts')));
  writeFileSync(
    join(dir, 'consumer.ts'),
    [
      "import { createAgent, listen, MissingProfiler, counter, type AgentOptions } from 'proflens/agent';",
      'const options: AgentOptions = {};',
      'const agent = createAgent(options);',
      'void agent;',
      'void listen;',
      "const requests = counter('requests');",
      'void requests;',
      "const e: Error = new MissingProfiler('no profiler');",
      'void e;',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        // Node's types from this checkout; nothing else is visible.
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
        types: ['node'],
        paths: { 'proflens/agent': ['./proflens/agent/index.d.ts'] },
      },
      files: ['consumer.ts'],
    }),
  );
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await promisify(execFile)(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
    () => ({ code: 0, out: '' }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );
  assert.equal(r.out, '');
  assert.equal(r.code, 0);
});
