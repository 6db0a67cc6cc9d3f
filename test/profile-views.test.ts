// raw, proto and topproto: the profile itself as text, and profiles written for other tools. The
// written profiles are read back by the real `go tool pprof` (skipped only when go is missing).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../cli/main.js';
import { decodeProfileProto } from '../src/profile/decode.js';
import { encodeProfile } from '../src/profile/encode.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

process.env.TZ = 'UTC';
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
const hasGo = spawnSync('go', ['version']).status === 0;
const noGo = hasGo ? false : 'go is not installed';

/** runBinary runs proflens in-process, capturing binary output; stdout is a terminal when asked. */
async function runBinary(args: string[], tty = false): Promise<{ code: number; bytes: Uint8Array; stderr: string }> {
  const chunks: Uint8Array[] = [];
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => chunks.push(Buffer.from(s)),
    stdoutBytes: (b) => chunks.push(b),
    stdoutIsTTY: tty,
    stderr: (s) => (stderr += s),
  });
  return { code, bytes: Buffer.concat(chunks), stderr };
}

function pprof(...args: string[]): string {
  return execFileSync('go', ['tool', 'pprof', '-symbolize=none', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' } });
}

function tempFile(name: string): string {
  return join(scratchDir('out'), name);
}

test('proto and topproto refuse to write binary data to a terminal', async () => {
  for (const view of ['proto', 'topproto']) {
    const r = await runBinary([view, heap], true);
    assert.equal(r.code, 2);
    assert.equal(r.bytes.length, 0);
    assert.match(r.stderr, /^proflens: .*binary.*--output.*redirect[^\n]*\n$/);
  }
});

test('proto writes the filtered profile as gzipped pprof', async () => {
  const r = await runBinary(['proto', '--focus', 'allocateBig', heap]);
  assert.equal(r.code, 0, r.stderr);
  const p = decodeProfileProto(gunzipSync(r.bytes));
  const all = decodeProfileProto(gunzipSync(readFileSync(heap)));
  assert.ok(p.samples.length > 0 && p.samples.length < all.samples.length);
  for (let s = 0; s < p.samples.length; s++) {
    const frames: string[] = [];
    for (let k = p.samples.stackStart[s]!; k < p.samples.stackStart[s + 1]!; k++) {
      const l = p.samples.locations[k]!;
      for (let j = p.locations.lineStart[l]!; j < p.locations.lineStart[l + 1]!; j++) frames.push(p.strings[p.functions.name[p.locations.lineFunction[j]!]!]!);
    }
    assert.ok(frames.includes('main.allocateBig'), `sample ${s}: ${frames.join(' ')}`);
  }
  assert.deepEqual(
    p.sampleTypes.map((t) => t.type),
    ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'],
  );
});

test('proto writes what go tool pprof -proto writes, as go tool pprof -raw reads it', { skip: noGo }, async () => {
  for (const [ours, theirs] of [
    [['--focus', 'allocateBig'], ['-focus=allocateBig']],
    [['--divide-by', '3', '--hide', 'runtime'], ['-divide_by=3', '-hide=runtime']],
  ] as const) {
    const a = tempFile('a.pb.gz');
    const b = tempFile('b.pb.gz');
    assert.equal((await runBinary(['proto', ...ours, '--output', a, heap])).code, 0);
    pprof('-proto', ...theirs, '-output', b, heap);
    assert.equal(pprof('-raw', a), pprof('-raw', b));
  }
});

test('proto re-read by go tool pprof -top prints what proflens top prints', { skip: noGo }, async () => {
  for (const opts of [
    ['--sample-index', 'alloc_space', '--focus', 'main\\.'],
    ['--hide', 'runtime', '--lines'],
  ]) {
    const out = tempFile('out.pb.gz');
    const w = await runBinary(['proto', ...opts, '--output', out, heap]);
    assert.equal(w.code, 0, w.stderr);
    const goOpts = opts.includes('--lines') ? ['-lines'] : ['-sample_index=alloc_space'];
    const goTop = pprof('-top', '-compact_labels', ...goOpts, out);
    // Percentages of the filtered profile, as the written profile holds only those samples.
    const ours = await runCli(['top', '--compact-labels', '--relative-percentages', ...opts, heap]);
    const withoutFilters = ours.stdout.replace(/^Active filters:\n(?: {3}.*\n)+/m, '');
    assert.equal(goTop, withoutFilters);
    assert.match(goTop, /main\./);
  }
});

test('topproto writes the top rows as a profile go tool pprof reads like its own', { skip: noGo }, async () => {
  const ours = tempFile('ours.pb.gz');
  const theirs = tempFile('theirs.pb.gz');
  const r = await runBinary(['topproto', '--nodecount', '5', '--output', ours, heap]);
  assert.equal(r.code, 0, r.stderr);
  pprof('-topproto', '-nodecount=5', '-output', theirs, heap);
  const raw = pprof('-raw', ours);
  assert.match(raw, /^cum\/\w+ flat\/\w+$/m);
  assert.equal(raw, pprof('-raw', theirs));
});

test('raw prints the profile as go tool pprof -raw does', { skip: noGo }, async () => {
  for (const args of [[heap], ['--focus', 'fillCache', '--sample-index', 'alloc_space', heap]]) {
    const r = await runCli(['raw', ...args]);
    assert.equal(r.code, 0, r.stderr);
    const goArgs = args.length > 1 ? ['-focus=fillCache', '-sample_index=alloc_space', heap] : [heap];
    assert.equal(r.stdout, pprof('-raw', ...goArgs));
  }
});

test('raw on a profile without mappings shows the mapping pprof adds', async () => {
  const r = await runCli(['raw', join(repoRoot, 'fixtures', 'profiles', 'node-heap.pb.gz')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Mappings\n1: 0x0\/0x0\/0x0   \n$/m);
  assert.match(r.stdout, /^ +1: 0x0 M=1 /m);
  assert.ok(readFileSync(heap).length > 0);
});

test('dot escapes the title and the tag boxes\' labels, which pprof writes unescaped', async () => {
  // pprof writes these unescaped; a quote in one ends the string and can add attributes (a URL
  // becomes a link in the web UI's SVG). Here the main mapping's file and a string label say so.
  const p = decodeProfileProto(gunzipSync(readFileSync(heap)));
  const evil = 'x" URL="javascript:alert(1)\\';
  const escaped = 'x\\" URL=\\"javascript:alert(1)\\\\';
  const n = p.samples.length;
  const labels = {
    start: Uint32Array.from({ length: n + 1 }, (_, i) => i),
    key: new Uint32Array(n).fill(p.strings.length),
    str: new Uint32Array(n).fill(p.strings.length + 1),
    num: new Float64Array(n),
    numUnit: new Uint32Array(n),
  };
  const mappings = p.mappings.map((m, i) => (i === 0 ? { ...m, file: `/srv/${evil}` } : m));
  const file = join(scratchDir('dot-escape'), 'evil.pb.gz');
  writeFileSync(file, encodeProfile({ ...p, strings: [...p.strings, 'route', evil], mappings, samples: { ...p.samples, labels } }));
  const r = await runCli(['dot', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith(`digraph "${escaped}" {\n`), r.stdout.slice(0, 200));
  assert.ok(r.stdout.includes(` tooltip="${escaped}"]`), r.stdout);
  assert.ok(r.stdout.includes(`[label = "route:${escaped}" id=`), r.stdout);
  assert.ok(!r.stdout.includes('URL="javascript'));
});
