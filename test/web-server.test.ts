// The web server without a browser: its routes and their limits, the JSON it serves (checked
// against the text views), the flame graph's call tree, the download, and the command line.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseHttpAddress } from '../cli/web-command.js';
import { defaultConfig } from '../src/driver/config.js';
import { generateView, loadProfile, prepareReport } from '../src/driver/driver.js';
import { decodeProfileProto } from '../src/profile/decode.js';
import type { Profile } from '../src/profile/model.js';
import { buildCallTree } from '../src/web/call-tree.js';
import type { WebServer } from '../src/web/server.js';
import { syntheticProfile } from '../bench/synthetic.js';
import { repoRoot } from './helpers.js';
import { profiles, serve } from './web-helpers.js';

let server: WebServer;
let heap: Profile;
before(async () => {
  heap = await loadProfile([join(profiles, 'go-heap.pb.gz')]);
  server = await serve([join(profiles, 'go-heap.pb.gz')]);
});
after(() => server.close());

/** get fetches a path raw, with the Host header chosen (fetch does not let a test set it). */
function get(path: string, o: { host?: string; method?: string } = {}): Promise<{ status: number; type: string; csp: string; body: Buffer }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ agent: false, host: u.hostname, port: u.port, path, method: o.method ?? 'GET', headers: { host: o.host ?? u.host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: String(res.headers['content-type']), csp: String(res.headers['content-security-policy']), body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('the server binds 127.0.0.1 and answers only its own routes', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.match(page.csp, /script-src 'self'/);
  assert.equal((await get('/speedscope/index.html')).status, 200);
  assert.equal((await get('/vendor/viz.js')).status, 200);
  for (const path of ['/etc/passwd', '/ui/../server.js', '/speedscope/../package.json', '/node_modules/speedscope/package.json', '/api/nope']) {
    assert.equal((await get(path)).status, 404, path);
  }
  assert.equal((await get('/', { method: 'POST' })).status, 405);
  // A page elsewhere that points a name at 127.0.0.1 (DNS rebinding) gets nothing.
  assert.equal((await get('/api/meta', { host: 'evil.example:80' })).status, 421);
  assert.equal((await get('/api/meta', { host: `localhost:${new URL(server.url).port}` })).status, 200);
});

test('top rows are the driver\'s, with the page\'s parameters', async () => {
  const r = await get('/api/top?si=alloc_space&focus=main%5C.allocate');
  assert.equal(r.status, 200);
  const data = JSON.parse(r.body.toString()) as { rows: { name: string; flat: number }[]; labels: string[] };
  const cfg = { ...defaultConfig(), sampleIndex: 'alloc_space', focus: 'main\\.allocate' };
  const expected = await generateView(heap, 'top', cfg);
  assert.deepEqual(
    data.rows.map((x) => [x.name, x.flat]),
    (expected.data as unknown as typeof data).rows.map((x) => [x.name, x.flat]),
  );
  assert.ok(data.labels.includes('Type: alloc_space'));
});

test('bad parameters are one-line errors, not crashes', async () => {
  for (const [path, msg] of [
    ['/api/top?focus=(', /parsing focus regexp/],
    ['/api/top?si=nope', /sample_index "nope" must be one of/],
    ['/api/top?g=bogus', /granularity "bogus"/],
    ['/api/source', /no function given/],
    ['/api/peek?fn=no.such.function', /no matches found/],
  ] as const) {
    const r = await get(path);
    assert.equal(r.status, 400, path);
    assert.match((JSON.parse(r.body.toString()) as { error: string }).error, msg);
  }
});

test('the flame graph is a speedscope file whose frames add up to the report', async () => {
  const r = await get('/api/flame?si=alloc_space');
  const file = JSON.parse(r.body.toString()) as {
    shared: { frames: { name: string }[] };
    profiles: { type: string; unit: string; endValue: number; events: { type: 'O' | 'C'; frame: number; at: number }[] }[];
  };
  const p = file.profiles[0]!;
  assert.equal(p.type, 'evented');
  assert.equal(p.unit, 'bytes');
  const rpt = await prepareReport(heap, { ...defaultConfig(), sampleIndex: 'alloc_space' });
  assert.equal(p.endValue, rpt.total);
  // Events nest, never go back in time, and each frame's width is its cum in the top view.
  const open: { frame: number; at: number }[] = [];
  let last = 0;
  const width = new Map<string, number>();
  for (const e of p.events) {
    assert.ok(e.at >= last);
    last = e.at;
    if (e.type === 'O') open.push(e);
    else {
      const o = open.pop()!;
      assert.equal(o.frame, e.frame);
      // A recursive frame counts once, at its outermost call, as cum does.
      const name = file.shared.frames[e.frame]!.name;
      if (!open.some((x) => x.frame === e.frame)) width.set(name, (width.get(name) ?? 0) + e.at - o.at);
    }
  }
  assert.equal(open.length, 0);
  const top = await generateView(heap, 'top', { ...defaultConfig(), sampleIndex: 'alloc_space', nodeFraction: 0 });
  for (const row of (top.data as unknown as { rows: { name: string; cum: number }[] }).rows) assert.equal(width.get(row.name), row.cum, row.name);
});

test('call trees of large profiles fold small groups and keep every value', () => {
  const p = syntheticProfile(51_000, 7, { functions: 2_000, locations: 4_000, entryPaths: 50, allocators: 8 });
  const agg = { granularity: 'functions', noInlines: false } as const;
  const whole = buildCallTree([{ profile: p, sampleIndex: 1 }], agg, 0);
  const folded = buildCallTree([{ profile: p, sampleIndex: 1 }], agg, 1e-3);
  const total = whole.cum[0]![0]!;
  assert.equal(folded.cum[0]![0], total);
  assert.ok(folded.length < whole.length / 4, `${folded.length} nodes folded, ${whole.length} whole`);
  // Every node kept is worth at least the fraction, and keeps its value in the whole tree.
  const wholeChild = new Map<string, number>();
  for (let i = 1; i < whole.length; i++) wholeChild.set(`${whole.parent[i]} ${whole.names[whole.frame[i]!]}`, i);
  const inWhole = new Int32Array(folded.length); // the same stack's node in the whole tree
  const children = new Float64Array(folded.length);
  for (let i = 1; i < folded.length; i++) {
    inWhole[i] = wholeChild.get(`${inWhole[folded.parent[i]!]} ${folded.names[folded.frame[i]!]}`)!;
    assert.ok(folded.cum[0]![i]! >= total * 1e-3);
    assert.equal(folded.cum[0]![i], whole.cum[0]![inWhole[i]!]);
    children[folded.parent[i]!] += folded.cum[0]![i]!;
  }
  // What a node's children do not account for is its folded value plus its own samples.
  for (let i = 0; i < folded.length; i++) assert.ok(children[i]! + folded.folded[0]![i]! <= folded.cum[0]![i]! + 1e-6);
});

test('the download is the filtered profile, gzipped', async () => {
  const r = await get('/download/profile.pb.gz?focus=main%5C.fillCache');
  assert.equal(r.status, 200);
  const p = decodeProfileProto(gunzipSync(r.body));
  assert.equal(p.sampleTypes.length, heap.sampleTypes.length);
  assert.ok(p.samples.length > 0 && p.samples.length < heap.samples.length);
  const top = await generateView(p, 'top', { ...defaultConfig(), nodeFraction: 0 });
  const names = (top.data as unknown as { rows: { name: string }[] }).rows.map((x) => x.name);
  assert.ok(names.includes('main.fillCache'));
  assert.ok(!names.includes('main.allocateBigger'), 'samples not through the focus are gone');
});

test('--http addresses', () => {
  assert.deepEqual(parseHttpAddress(':8080'), { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(parseHttpAddress('0.0.0.0:0'), { host: '0.0.0.0', port: 0 });
  assert.deepEqual(parseHttpAddress('[::1]:9000'), { host: '::1', port: 9000 });
  assert.throws(() => parseHttpAddress('8080'), /not host:port/);
  assert.throws(() => parseHttpAddress(':70000'), /out of range/);
});

test('proflens top loads no web code, from the modules or from the bundled executable', () => {
  // A module resolve hook lists every module the run loads.
  const dir = mkdtempSync(join(tmpdir(), 'proflens-hooks-'));
  try {
    writeFileSync(join(dir, 'hooks.mjs'), 'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`loaded ${r.url}\\n`); return r; }\n');
    writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    const loadedBy = (bin: string): string[] => {
      const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), bin, 'top', join(profiles, 'go-heap.pb.gz')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stderr.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice('loaded '.length));
    };
    const isWebPackage = (url: string): boolean => /\/node_modules\/(open|speedscope|@viz-js|playwright-core)\//.test(url);

    const modules = loadedBy(join(repoRoot, 'dist', 'cli', 'proflens.js'));
    assert.ok(modules.some((l) => l.includes('/dist/src/report/top.js')), 'the hook saw the run');
    assert.deepEqual(modules.filter((l) => l.includes('/dist/src/web/') || isWebPackage(l)), []);

    // The bundle keeps each lazy import a chunk of its own: none loaded here holds the server.
    const chunks = loadedBy(join(repoRoot, 'dist', 'bin', 'proflens.js'));
    const bundled = chunks.filter((l) => l.includes('/dist/bin/'));
    assert.ok(bundled.length > 1, chunks.join('\n'));
    assert.deepEqual(chunks.filter(isWebPackage), []);
    const holdsServer = (file: string): boolean => /function (startWebServer|assetsDir)\b/.test(readFileSync(file, 'utf8'));
    // The check can fail: some chunk of the bundle does hold the server, and it is not among these.
    const binDir = join(repoRoot, 'dist', 'bin');
    assert.ok(readdirSync(binDir).some((f) => holdsServer(join(binDir, f))), 'no chunk of dist/bin holds the web server');
    assert.deepEqual(bundled.filter((l) => holdsServer(fileURLToPath(l))), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('proflens -http=127.0.0.1:0 serves the profile and stops on SIGTERM', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'bin', 'proflens.js'), '-http=127.0.0.1:0', '-no_browser', join(profiles, 'go-heap.pb.gz')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const m = /Serving web UI on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const meta = (await (await fetch(`${url}api/meta`)).json()) as { sampleTypes: { type: string }[] };
    assert.deepEqual(
      meta.sampleTypes.map((s) => s.type),
      ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'],
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
