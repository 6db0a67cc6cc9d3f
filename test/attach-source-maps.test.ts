// attach on a service written in TypeScript (issue 20.2): frames of the transpiled JavaScript are
// mapped back to the .ts file and its lines through the source map found beside the main script,
// as the agent maps its own. The service is real TypeScript, transpiled here by tsc with a map.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ts from 'typescript';
import { runCli, scratchDir } from './helpers.js';

// Four lines of types first, which the JavaScript does not have: a frame left unmapped names
// crunch.js and lines four less than these.
const source = `interface Totals {
  sum: number;
  count: number;
}

/** crunchNumbers spins for about ms milliseconds. */
function crunchNumbers(ms: number): Totals {
  const end = Date.now() + ms;
  const t: Totals = { sum: 0, count: 0 };
  while (Date.now() < end) {
    for (let i = 0; i < 10000; i++) t.sum += Math.sqrt(i) * Math.sin(i);
    t.count++;
  }
  return t;
}

setInterval(() => crunchNumbers(30), 40);
console.log('ready');
`;

let child: ChildProcess | undefined;
after(() => child?.kill('SIGKILL'));

test('attach maps frames of transpiled TypeScript to the .ts file and lines, with the map beside the main script', async () => {
  const dir = scratchDir('attach-ts');
  const out = ts.transpileModule(source, { fileName: 'crunch.ts', compilerOptions: { sourceMap: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'crunch.ts'), source);
  writeFileSync(join(dir, 'crunch.js'), out.outputText);
  writeFileSync(join(dir, 'crunch.js.map'), out.sourceMapText!);
  // --inspect-port=0: a free port, so this file runs beside the other attach tests.
  child = spawn(process.execPath, ['--inspect-port=0', join(dir, 'crunch.js')], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(child.stdout!, 'data');

  const r = await runCli(['top', '--pid', String(child.pid), '--seconds', '1', '--lines', '--nodecount', '1'], undefined, { env: { ...process.env, PPROF_TMPDIR: dir } });
  assert.equal(r.code, 0, r.stderr);
  const row = /%\s+crunchNumbers (\S+):(\d+)\n$/.exec(r.stdout);
  assert.ok(row, r.stdout);
  assert.equal(row[1], join(dir, 'crunch.ts'));
  // The hot loop: the while, for and count lines of the TypeScript (10 to 12), not of the JavaScript.
  assert.ok([10, 11, 12].includes(Number(row[2])), `line ${row[2]}`);

  const plain = await runCli(['top', '--pid', String(child.pid), '--seconds', '1', '--lines', '--nodecount', '1', '--no-source-maps'], undefined, { env: { ...process.env, PPROF_TMPDIR: dir } });
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /%\s+crunchNumbers \S+crunch\.js:\d+\n$/);
});
