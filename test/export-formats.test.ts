// `proto --format folded|speedscope|cpuprofile`: the profile after filters in other tools'
// formats. Expected values come from go tool pprof's own output for the fixtures
// (fixtures/expected/*, made by fixtures/regen.sh), not from proflens.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { encodeProfile } from '../src/profile/encode.js';
import { parseProfile } from '../src/profile/parse.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const fx = (name: string): string => join(repoRoot, 'fixtures', 'profiles', name);
const expected = (name: string): string => readFileSync(join(repoRoot, 'fixtures', 'expected', name), 'utf8');

/** pprofValue reads a value as pprof prints it (24MB, 12.50MB, 770ms, 48B) in bytes or nanoseconds. */
function pprofValue(s: string): number {
  const m = /^(-?[\d.]+)(B|kB|MB|GB|ns|us|ms|s)?$/.exec(s);
  assert.ok(m, `not a pprof value: ${s}`);
  const factor: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
  return Number(m[1]) * factor[m[2] ?? 'B']!;
}

/** foldedLines reads folded stacks into stack → value. */
function foldedLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const at = line.lastIndexOf(' ');
    assert.ok(!out.has(line.slice(0, at)), `one line per stack: ${line}`);
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

test('folded: the stacks of go tool pprof -traces, root first, one line each with its value', async () => {
  // pprof -traces prints each sample's stack leaf first; samples with the same function stack add up.
  const want = new Map<string, number>();
  for (const block of expected('go-heap.traces.sample_index=alloc_space').split(/^-+\+-+\n/m).slice(1)) {
    const frames = block.split('\n').filter((l) => l !== '' && l[10] !== ':');
    if (frames.length === 0) continue; // after the last separator
    const value = pprofValue(frames[0]!.slice(0, 10).trim());
    const stack = frames.map((l) => l.slice(13).replace(/ \(inline\)$/, '')).reverse().join(';');
    want.set(stack, (want.get(stack) ?? 0) + value);
  }
  const r = await runCli(['proto', '--format', 'folded', '--sample-index', 'alloc_space', fx('go-heap.pb.gz')]);
  assert.equal(r.code, 0, r.stderr);
  const got = foldedLines(r.stdout);
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
  // pprof prints values rounded to two decimals of their unit (12.50MB): the exact ones are within that.
  for (const [stack, v] of want) assert.ok(Math.abs(got.get(stack)! - v) <= v * 0.005 + 0.5, `${stack}: ${got.get(stack)} vs pprof ${v}`);
});

test("folded: each function's flat and cum add up to go tool pprof -top's; filters and --divide-by apply", async () => {
  const r = await runCli(['proto', '--format', 'folded', fx('go-cpu.pb.gz')]);
  const flat = new Map<string, number>();
  const cum = new Map<string, number>();
  for (const [stack, v] of foldedLines(r.stdout)) {
    const frames = stack.split(';');
    flat.set(frames.at(-1)!, (flat.get(frames.at(-1)!) ?? 0) + v);
    for (const f of new Set(frames)) cum.set(f, (cum.get(f) ?? 0) + v);
  }
  let rows = 0;
  for (const line of expected('go-cpu.top').split('\n')) {
    const m = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s+(.+?)(?: \(inline\))?$/.exec(line);
    if (!m) continue;
    rows++;
    assert.equal(flat.get(m[3]!) ?? 0, pprofValue(m[1]!), `flat of ${m[3]}`);
    assert.equal(cum.get(m[3]!), pprofValue(m[2]!), `cum of ${m[3]}`);
  }
  assert.equal(rows, 8);
  // --focus keeps main.fib's stacks (460ms, as pprof's flat says); --divide-by scales the values.
  const fib = foldedLines((await runCli(['proto', '--format', 'folded', '--focus', 'main\\.fib', '--divide-by', '1000000', fx('go-cpu.pb.gz')])).stdout);
  assert.ok([...fib.keys()].every((s) => s.endsWith(';main.fib')));
  assert.equal([...fib.values()].reduce((a, b) => a + b, 0), 460);
});

test('folded: a name with ; or a line break cannot split a frame or start a stack', async () => {
  const p = parseProfile(readFileSync(fx('go-heap.pb.gz')), 'go-heap.pb.gz');
  const strings = p.strings.map((s) => (s === 'main.allocateBig' ? 'a;b\nc 99\r' : s));
  const file = join(scratchDir('export'), 'odd.pb.gz');
  writeFileSync(file, encodeProfile({ ...p, strings }));
  const r = await runCli(['proto', '--format', 'folded', '--focus', 'main\\.main\\.func1', file]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.every((l) => /^[^\r]* \d+$/.test(l)), r.stdout);
  assert.ok(lines.includes('runtime.main;main.main;proflens/fixtures/internal/serve.Main;main.main.func1;a_b_c 99_;main.allocateBigger 25165872'), r.stdout);
});

/** validate checks a value against the JSON schema (the draft-07 subset speedscope's schema uses). */
function validate(schema: Record<string, unknown>, root: Record<string, unknown>, value: unknown, at: string): void {
  if (typeof schema.$ref === 'string') {
    const def = (root.definitions as Record<string, Record<string, unknown>>)[schema.$ref.replace('#/definitions/', '')]!;
    return validate({ ...def, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref' && k !== 'title')) }, root, value, at);
  }
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as Record<string, unknown>[]).some((s) => {
      try {
        validate(s, root, value, at);
        return true;
      } catch {
        return false;
      }
    });
    assert.ok(ok, `${at}: matches none of anyOf`);
  }
  const type = schema.type;
  if (type === 'object') assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${at}: not an object`);
  if (type === 'array') assert.ok(Array.isArray(value), `${at}: not an array`);
  if (type === 'string' || type === 'number') assert.equal(typeof value, type, at);
  if ('const' in schema) assert.equal(value, schema.const, at);
  if (Array.isArray(schema.enum)) assert.ok(schema.enum.includes(value), `${at}: ${String(value)} not in ${schema.enum.join(',')}`);
  const o = value as Record<string, unknown>;
  for (const k of (schema.required as string[] | undefined) ?? []) assert.ok(k in o, `${at}: ${k} is required`);
  for (const [k, s] of Object.entries((schema.properties as Record<string, Record<string, unknown>> | undefined) ?? {})) {
    if (k in o) validate(s, root, o[k], `${at}.${k}`);
  }
  if (schema.items && Array.isArray(value)) value.forEach((x, i) => validate(schema.items as Record<string, unknown>, root, x, `${at}[${i}]`));
}

test("speedscope: valid against speedscope's file-format schema; the events add up to pprof's totals", async () => {
  const schemaFile = join(dirname(createRequire(import.meta.url).resolve('speedscope/package.json')), 'dist', 'release', 'file-format-schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  const r = await runCli(['proto', '--format', 'speedscope', fx('go-cpu.pb.gz')]);
  assert.equal(r.code, 0, r.stderr);
  const file = JSON.parse(r.stdout) as { shared: { frames: { name: string }[] }; profiles: { unit: string; endValue: number; events: { type: string; frame: number; at: number }[] }[] };
  validate(schema, schema, file, 'file');
  const prof = file.profiles[0]!;
  assert.equal(prof.unit, 'nanoseconds');
  assert.equal(prof.endValue, 1500e6); // Total samples = 1500ms
  // Self time of main.fib from the events equals pprof's flat, 460ms.
  const fib = file.shared.frames.findIndex((f) => f.name === 'main.fib');
  const open: { frame: number; at: number; child: number }[] = [];
  let fibSelf = 0;
  for (const e of prof.events) {
    if (e.type === 'O') {
      open.push({ frame: e.frame, at: e.at, child: 0 });
      continue;
    }
    const o = open.pop()!;
    assert.equal(o.frame, e.frame, 'events nest');
    if (o.frame === fib) fibSelf += e.at - o.at - o.child;
    if (open.length > 0) open.at(-1)!.child += e.at - o.at;
  }
  assert.equal(fibSelf, 460e6);
});

test('cpuprofile: a V8 .cpuprofile whose samples and time add up to pprof -top; other profiles are refused in one line', async () => {
  const r = await runCli(['proto', '--format', 'cpuprofile', fx('go-cpu.pb.gz')]);
  assert.equal(r.code, 0, r.stderr);
  const cp = JSON.parse(r.stdout) as {
    nodes: { id: number; callFrame: { functionName: string }; hitCount: number; children?: number[] }[];
    startTime: number;
    endTime: number;
    samples: number[];
    timeDeltas: number[];
  };
  assert.equal(cp.nodes[0]!.callFrame.functionName, '(root)');
  const byId = new Map(cp.nodes.map((n) => [n.id, n]));
  assert.equal(byId.size, cp.nodes.length, 'unique ids');
  for (const n of cp.nodes) for (const c of n.children ?? []) assert.ok(byId.has(c), `child ${c} of ${n.id}`);
  assert.equal(cp.samples.length, cp.timeDeltas.length);
  // 150 samples of 10ms (the profile's samples/count column), 1500ms in all.
  assert.equal(cp.samples.length, 150);
  assert.equal(cp.nodes.reduce((a, n) => a + n.hitCount, 0), 150);
  assert.equal(cp.endTime - cp.startTime, 1500e3);
  // DevTools gives sample i the time until sample i+1 (the last: until endTime): main.fib's self is pprof's flat, 460ms.
  let fib = 0;
  let t = cp.startTime;
  const times = cp.timeDeltas.map((d) => (t += d));
  cp.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName === 'main.fib') fib += (times[i + 1] ?? cp.endTime) - times[i]!;
  });
  assert.equal(fib, 460e3);

  const heap = await runCli(['proto', '--format', 'cpuprofile', fx('go-heap.pb.gz')]);
  assert.equal(heap.code, 2);
  assert.match(heap.stderr, /^proflens: --format cpuprofile: .*go-heap\.pb\.gz: inuse_space \(bytes\) of a space profile is not CPU time; V8's \.cpuprofile holds CPU samples only/);
  assert.equal(heap.stderr.split('\n').length, 2);
  // A Node wall profile (@datadog/pprof) has no count column: one sample per period of its time.
  const node = await runCli(['proto', '--format', 'cpuprofile', fx('node-time.pb.gz')]);
  assert.equal(node.code, 0, node.stderr);
  const n = JSON.parse(node.stdout) as { startTime: number; endTime: number; samples: number[] };
  // go tool pprof -top: Total samples = 1420.78ms.
  assert.equal(Math.round((n.endTime - n.startTime) / 10), 142078);
});

test('proto --format: an unknown format is a usage error; --format pprof is proto itself', async () => {
  const bad = await runCli(['proto', '--format', 'svg', fx('go-cpu.pb.gz')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format <format>' argument 'svg' is invalid/);
  let bytes: Uint8Array | undefined;
  const pb = await runCli(['proto', '--format', 'pprof', fx('go-cpu.pb.gz')], undefined, { stdoutIsTTY: false, stdoutBytes: (b) => (bytes = b) });
  assert.equal(pb.code, 0, pb.stderr);
  assert.equal(parseProfile(bytes!, 'out').samples.length > 0, true);
});
