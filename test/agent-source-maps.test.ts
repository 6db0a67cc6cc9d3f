// CPU profiles of TypeScript: the agent resolves frames through source maps, so a profile names
// the .ts file and its lines. The service code is real TypeScript compiled by tsc's transpiler
// with a source map beside it; the agent runs in this process and is asked over HTTP.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';
import { Registry, createAgent } from '../src/agent/index.js';
import { parseProfile } from '../src/profile/parse.js';

const source = `// A TypeScript burner.
interface Totals {
  sum: number;
}

/** crunchNumbers spins for about ms milliseconds. */
export function crunchNumbers(ms: number): Totals {
  const end = performance.now() + ms;
  const t: Totals = { sum: 0 };
  while (performance.now() < end) {
    for (let i = 0; i < 10000; i++) t.sum += Math.sqrt(i) * Math.sin(i);
  }
  return t;
}
`;

test('profiles of transpiled TypeScript name the .ts source and its lines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-ts-'));
  const agent = createAgent({ registry: new Registry(), sourceMaps: [dir], heapProfiler: false });
  const server = http.createServer((req, res) => void agent.handle(req, res));
  try {
    const out = ts.transpileModule(source, {
      fileName: 'crunch.ts',
      compilerOptions: { sourceMap: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(dir, 'crunch.ts'), source);
    writeFileSync(join(dir, 'crunch.js'), out.outputText);
    writeFileSync(join(dir, 'crunch.js.map'), out.sourceMapText!);
    const { crunchNumbers } = (await import(pathToFileURL(join(dir, 'crunch.js')).href)) as { crunchNumbers: (ms: number) => { sum: number } };

    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug/pprof/profile?seconds=1`;
    // Burn in slices, giving the event loop back so the agent can start, stop and answer.
    let sum = 0;
    let answered = false;
    const burn = async (ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (Date.now() < end && !answered) {
        sum += crunchNumbers(20).sum;
        await new Promise((r) => setImmediate(r));
      }
    };
    // Run before the first profile, as a service does: V8 compiles crunchNumbers' loop on the
    // stack (OSR) before the profiler listens, which once charged all its samples to this
    // caller (issue 15.7).
    await burn(400);
    const answer = fetch(url).then(async (r) => ({ status: r.status, body: Buffer.from(await r.arrayBuffer()) }));
    // Keep burning until the profile is back, however late a loaded machine starts it.
    answer.then(() => (answered = true), () => (answered = true));
    await burn(20_000);
    const r = await answer;
    assert.equal(r.status, 200, r.body.toString());
    assert.ok(Number.isFinite(sum));

    const p = parseProfile(r.body, 'profile');
    const fnIndex = Array.from(p.functions.name).findIndex((nameIdx, i) => p.strings[nameIdx] === 'crunchNumbers' && p.strings[p.functions.filename[i]!]!.endsWith('crunch.ts'));
    assert.ok(fnIndex >= 0, `a crunchNumbers frame in crunch.ts; files: ${[...new Set(Array.from(p.functions.filename, (f) => p.strings[f]))].join(', ')}`);
    // Its samples sit on the lines of the loop in the .ts file (lines 10 and 11), not elsewhere.
    const lines = new Set<number>();
    p.locations.lineFunction.forEach((f, k) => f === fnIndex && lines.add(p.locations.lineNumber[k]!));
    assert.ok([...lines].some((l) => l === 10 || l === 11), `lines ${[...lines].join(', ')}`);
  } finally {
    agent.close();
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
