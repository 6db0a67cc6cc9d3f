// `proflens attach PID` (issue 20.2, 20.3) on real Node processes started here without the agent:
// a CPU burner and a leaking HTTP service (fixtures/node), both on 127.0.0.1, killed at the end.
// Attach must find the hot function and the leaking allocation, leave each process serving with
// its inspector closed, work a second time, and refuse what it must in one line, exit 1, with
// the target still alive and answering.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { type Server, createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ListeningPorts, handlesSigusr1, inspectPortArgument } from '../src/attach/target.js';
import { repoRoot, runCli, scratchDir } from './helpers.js';

const started: ChildProcess[] = [];
after(() => {
  for (const c of started) c.kill('SIGKILL');
});

/** startProcess runs a command and resolves with it and the first line it prints (a port). */
async function startProcess(cmd: string, args: string[]): Promise<{ child: ChildProcess; pid: number; line: string; stderr: () => string }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${args.join(' ')} printed nothing in 10 s: ${err}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(t);
        resolve(out.split('\n')[0]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
  return { child, pid: child.pid!, line, stderr: () => err };
}

function startFixture(name: string, nodeFlags: string[] = [], args: string[] = []): ReturnType<typeof startProcess> {
  return startProcess(process.execPath, [...nodeFlags, join(repoRoot, 'fixtures', 'node', name), ...args]);
}

/** answer GETs / on 127.0.0.1:port and returns the body. */
function answer(port: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: Number(port), path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** attach runs proflens attach in-process, saving into a fresh folder. */
async function attach(args: string[]): Promise<{ code: number; stdout: string; stderr: string; paths: string[] }> {
  const r = await runCli(['attach', ...args], undefined, { env: { ...process.env, PPROF_TMPDIR: scratchDir('attach') } });
  return { ...r, paths: r.stdout.split('\n').filter((l) => l !== '') };
}

/** topFunction is the first function of `proflens top` on a file. */
async function topFunction(path: string, extra: string[] = []): Promise<string> {
  const top = await runCli(['top', '--nodecount', '3', ...extra, path]);
  assert.equal(top.code, 0, top.stderr);
  const row = /^ *\S+ +\S+% +\S+% +\S+ +\S+% +(.+)$/m.exec(top.stdout);
  assert.ok(row, top.stdout);
  return row[1]!;
}

test('attach PID: the CPU burner\'s hot function on top; it serves on, its inspector closed; attaching again (fetch --pid with a snapshot, top --pid) works', async () => {
  const burner = await startFixture('cpu-burner.mjs');
  const ownBefore = new ListeningPorts(burner.pid).own;
  assert.ok(handlesSigusr1(burner.pid), 'Node catches SIGUSR1');
  const afterwards = async (): Promise<void> => {
    assert.equal(await answer(burner.line), 'ok\n');
    assert.deepEqual(new ListeningPorts(burner.pid).own, ownBefore, 'only its own server listens again: the inspector is closed');
  };

  const r = await attach([String(burner.pid), '--seconds', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.paths.length, 2, r.stdout);
  assert.match(r.paths[0]!, new RegExp(`pprof\\.node-${burner.pid}\\.samples\\.cpu\\.001\\.pb\\.gz$`));
  assert.match(r.paths[1]!, /\.001\.cpuprofile$/);
  assert.equal(await topFunction(r.paths[0]!), 'burnCycles');
  // V8's own file beside it reads as the same profile.
  assert.equal(await topFunction(r.paths[1]!), 'burnCycles');
  await afterwards();

  const dir = scratchDir('attach-fetch');
  const f = await runCli(['fetch', '--pid', String(burner.pid), '--seconds', '1', '--cpu', '--heap-snapshot', '--dir', dir]);
  assert.equal(f.code, 0, f.stderr);
  const paths = f.stdout.split('\n').filter((l) => l !== '');
  assert.deepEqual(paths.map((p) => p.slice(dir.length + 1)), [
    `pprof.node-${burner.pid}.samples.cpu.001.pb.gz`,
    `pprof.node-${burner.pid}.samples.cpu.001.cpuprofile`,
    `node-${burner.pid}.001.heapsnapshot`,
  ]);
  assert.match(f.stderr, /the process stops until it is written/);
  const snapshot = JSON.parse(readFileSync(paths[2]!, 'utf8')) as { snapshot: { node_count: number }; nodes: number[] };
  assert.ok(snapshot.snapshot.node_count > 1000 && snapshot.nodes.length > 0, 'a whole heap snapshot');
  await afterwards();

  const t = await runCli(['top', '--pid', String(burner.pid), '--seconds', '1', '--nodecount', '1'], undefined, { env: { ...process.env, PPROF_TMPDIR: scratchDir('attach-top') } });
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /%\s+burnCycles\n$/);
  assert.match(t.stderr, /^Saved profile in \S+pprof\.node-\d+\.samples\.cpu\.001\.pb\.gz$/m);
  await afterwards();
});

test('attach PID --heap: the leaking allocation of a service on top of inuse_space; it serves on', async () => {
  // --inspect-port=0: the inspector opens on a free port, found through the process's own sockets.
  const leaky = await startFixture('leaky-service.mjs', ['--inspect-port=0']);
  const r = await attach([String(leaky.pid), '--heap', '--seconds', '2', '--heap-interval', '16384']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.paths[0]!, new RegExp(`pprof\\.node-${leaky.pid}\\.samples\\.inuse_space\\.001\\.pb\\.gz$`));
  assert.match(r.paths[1]!, /\.001\.heapprofile$/);
  assert.equal(await topFunction(r.paths[0]!), 'rememberSession');
  assert.match(await answer(leaky.line), /^\d+\n$/);
  assert.equal(new ListeningPorts(leaky.pid).own.size, 1, 'the inspector is closed again');
});

test('attach --inspect-port: an inspector the process already has is used, and left open', async () => {
  const burner = await startFixture('cpu-burner.mjs', ['--inspect=127.0.0.1:0']);
  // Node prints its inspector's address on standard error before the program runs.
  const port = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(burner.stderr())?.[1];
  assert.ok(port, burner.stderr());
  const r = await attach([String(burner.pid), '--inspect-port', port, '--seconds', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await topFunction(r.paths[0]!), 'burnCycles');
  assert.ok(new ListeningPorts(burner.pid).own.has(Number(port)), 'the inspector proflens did not open stays open');
  assert.equal(await answer(burner.line), 'ok\n');
});

test('attach refuses, in one line with exit 1, a non-Node process, a PID that is gone, a taken inspector port, a protocol error; the targets live on', async () => {
  const sleeper = await startProcess('/bin/sh', ['-c', 'echo ready; exec sleep 60']);
  await new Promise((r) => setTimeout(r, 100)); // let exec replace the shell
  const notNode = await attach([String(sleeper.pid), '--seconds', '1']);
  assert.equal(notNode.code, 1);
  assert.equal(notNode.stderr, `proflens: process ${sleeper.pid}: not a Node.js process (it runs "sleep")\n`);
  assert.equal(sleeper.child.exitCode, null, 'sleep is not signalled');
  assert.equal(sleeper.child.signalCode, null);

  const gone = await startProcess(process.execPath, ['-e', 'console.log(1)']);
  if (gone.child.exitCode === null) await once(gone.child, 'exit');
  const noSuch = await attach([String(gone.pid), '--seconds', '1']);
  assert.equal(noSuch.code, 1);
  assert.equal(noSuch.stderr, `proflens: process ${gone.pid}: no such process\n`);

  // The target's inspector port is held by this test process, not by the target.
  const holder: Server = createServer();
  holder.listen(0, '127.0.0.1');
  await once(holder, 'listening');
  const held = (holder.address() as { port: number }).port;
  try {
    const target = await startFixture('cpu-burner.mjs', [`--inspect-port=${held}`]);
    const taken = await attach([String(target.pid), '--seconds', '1']);
    assert.equal(taken.code, 1);
    assert.equal(taken.stderr, `proflens: process ${target.pid}: its inspector port ${held} is taken by another process; free it, or start the target with --inspect-port and give that port\n`);
    assert.equal(await answer(target.line), 'ok\n');
  } finally {
    holder.close();
  }

  const fake = await startFixture('fake-inspector.mjs');
  const protocol = await attach([String(fake.pid), '--inspect-port', fake.line, '--seconds', '1']);
  assert.equal(protocol.code, 1);
  assert.equal(protocol.stderr, `proflens: process ${fake.pid}: Profiler.enable: the inspector answered: 'Profiler.enable' wasn't found\n`);
  assert.equal(fake.child.exitCode, null);
});

test('inspectPortArgument: --inspect-port=0 is a port (any free one), not "none": the default 9229 is not looked at', async () => {
  // With 0 read as none, proflens looked at 9229 and refused a target whose port 9229 another
  // process (another target) held, though the target's inspector would have taken a free port.
  const any = await startProcess(process.execPath, ['--inspect-port=0', '-e', 'console.log("ready"); setInterval(() => {}, 1000)']);
  assert.equal(inspectPortArgument(any.pid), 0);
  const given = await startProcess(process.execPath, ['--inspect-port', '127.0.0.1:9339', '-e', 'console.log("ready"); setInterval(() => {}, 1000)']);
  assert.equal(inspectPortArgument(given.pid), 9339);
  const none = await startProcess(process.execPath, ['-e', 'console.log("ready"); setInterval(() => {}, 1000)']);
  assert.equal(inspectPortArgument(none.pid), undefined);
});

test('handlesSigusr1: false for a process that does not catch SIGUSR1, which it would die of', async () => {
  const sleeper = await startProcess('/bin/sh', ['-c', 'echo ready; exec sleep 60']);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(handlesSigusr1(sleeper.pid), false);
});

test('attach refuses a process of another user', { skip: process.getuid?.() === 0 ? 'running as root: every process may be signalled' : false }, async () => {
  const r = await attach(['1', '--seconds', '1']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^proflens: process 1: belongs to another user[^\n]*\n$/);
});
