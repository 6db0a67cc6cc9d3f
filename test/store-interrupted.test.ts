// Saves that are interrupted leave nothing behind in the store (issue 15.4): a real `proflens
// fetch` killed mid-save by SIGTERM removes its temporary file; one killed by SIGKILL cannot, and
// the next fetch into the same store removes it; the temporary file of a writer that is still
// running is never touched.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { discardTemp, staleAfterMs, sweepStaleTemps, writeTemp } from '../src/fetch/temp-file.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const bin = join(repoRoot, 'dist', 'bin', 'proflens.js');
const profile = readFileSync(join(repoRoot, 'fixtures', 'profiles', 'go-cpu.pb.gz'));
const isTemp = (name: string): boolean => name.endsWith('.proflens.tmp');

/**
 * A disk that stalls: loaded into the child with --import, it holds every fs.write for a minute,
 * so the child is surely in the middle of its save when the test signals it.
 */
const stalledDisk = `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const write = fs.write;
const ms = Number(process.env.STALL_MS ?? 60_000);
fs.write = (...args) => void setTimeout(() => write(...args), ms);
syncBuiltinESMExports();
`;

describe('an interrupted save', () => {
  let url = '';
  let server: http.Server;
  let shim = '';
  const children = new Set<ChildProcess>();

  before(async () => {
    shim = join(scratchDir('stalled-disk'), 'stalled-disk.mjs');
    writeFileSync(shim, stalledDisk);
    server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(profile));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug/pprof/heap`;
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  /** savingChild starts `proflens fetch` into store on a stalled disk and waits until it is mid-save. */
  function savingChild(store: string): ReturnType<typeof midSave> {
    return midSave(store, [bin, 'fetch', '--dir', store, url]);
  }

  /** midSave runs node with args on a stalled disk and waits until a temporary file appears in dir. */
  async function midSave(dir: string, args: string[], stallMs = 60_000): Promise<{ child: ChildProcess; temp: string; stdout: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
    const child = spawn(process.execPath, ['--import', pathToFileURL(shim).href, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STALL_MS: String(stallMs) } });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => {
        children.delete(child);
        resolve({ code, signal });
      }),
    );
    let done = false;
    void exited.then(() => (done = true));
    for (const started = Date.now(); Date.now() - started < 30_000; ) {
      const temp = readdirSync(dir).find(isTemp);
      if (temp) return { child, temp, stdout: () => stdout, exited };
      if (done) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    throw new Error(`the child never started saving; it said: ${stderr}`);
  }

  test('SIGTERM removes the temporary file; a live writer\'s file survives another fetch', async () => {
    const store = scratchDir('store');
    const { child, temp, exited } = await savingChild(store);
    assert.match(temp, new RegExp(`^\\.${child.pid}\\.`), 'the temporary file names its writer');

    // Another fetch into the same store, while the first writer is alive and mid-save.
    const other = await runCli(['fetch', '--dir', store, url]);
    assert.equal(other.code, 0, other.stderr);
    assert.ok(readdirSync(store).includes(temp), 'a live writer\'s temporary file is left alone');

    child.kill('SIGTERM');
    const end = await exited;
    assert.ok(end.signal === 'SIGTERM' || end.code === 143, `died of SIGTERM: ${JSON.stringify(end)}`);
    assert.deepEqual(readdirSync(store), [basename(other.stdout.trim())], 'only the other fetch\'s profile is left');
  });

  test('after SIGKILL, the next fetch into the store removes the dead writer\'s temporary file', async () => {
    const store = scratchDir('store');
    const { child, temp, exited } = await savingChild(store);
    child.kill('SIGKILL');
    await exited;
    assert.ok(readdirSync(store).includes(temp), 'SIGKILL cannot be caught: the file is still there');

    const next = await runCli(['fetch', '--dir', store, url]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(readdirSync(store), [basename(next.stdout.trim())]);
  });

  test('a program\'s own handler for the signal keeps control: the save ends normally, then the file goes', async () => {
    const dir = scratchDir('own-handler');
    const script = `
      import { discardTemp, writeTemp } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'dist', 'src', 'fetch', 'temp-file.js')).href)};
      let interrupted = false;
      process.once('SIGINT', () => (interrupted = true));
      const temp = await writeTemp(${JSON.stringify(dir)}, 'whole');
      await discardTemp(temp);
      console.log(interrupted ? 'interrupted, carried on' : 'not interrupted');`;
    const { child, stdout, exited } = await midSave(dir, ['--input-type=module', '-e', script], 1000);
    child.kill('SIGINT');
    const end = await exited;
    assert.deepEqual(end, { code: 0, signal: null });
    assert.equal(stdout(), 'interrupted, carried on\n');
    assert.deepEqual(readdirSync(dir), []);
  });
});

test('sweepStaleTemps removes what dead or long-gone writers left, and nothing else', async () => {
  const dir = scratchDir('sweep');
  const mine = basename(await writeTemp(dir, 'being written'));
  const tag = mine.split('.')[2]!;
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
  const hourAgo = (Date.now() - staleAfterMs - 60_000) / 1000;
  const files = {
    deadHere: `.${deadPid}.${tag}.aaaaaaaaaaaa.proflens.tmp`,
    liveHere: `.${process.ppid}.${tag}.bbbbbbbbbbbb.proflens.tmp`,
    deadElsewhereFresh: `.${deadPid}.00000000.cccccccccccc.proflens.tmp`,
    deadElsewhereOld: `.${deadPid}.00000000.dddddddddddd.proflens.tmp`,
    unnamedFresh: '.eeeeeeeeeeee.proflens.tmp',
    unnamedOld: '.ffffffffffff.proflens.tmp',
    notOurs: '.x.proflens.tmp',
    profile: 'pprof.app.samples.cpu.001.pb.gz',
  };
  for (const name of Object.values(files)) writeFileSync(join(dir, name), 'x');
  for (const name of [files.deadElsewhereOld, files.unnamedOld, files.notOurs]) utimesSync(join(dir, name), hourAgo, hourAgo);
  mkdirSync(join(dir, '.999999.00000000.000000000000.proflens.tmp'));

  const removed = (await sweepStaleTemps(dir)).map((p) => basename(p)).sort();
  assert.deepEqual(removed, [files.deadHere, files.deadElsewhereOld, files.unnamedOld].sort());
  assert.deepEqual(
    readdirSync(dir).sort(),
    [mine, files.liveHere, files.deadElsewhereFresh, files.unnamedFresh, files.notOurs, files.profile, '.999999.00000000.000000000000.proflens.tmp'].sort(),
  );
  await discardTemp(join(dir, mine));
  assert.ok(!readdirSync(dir).includes(mine));
});
