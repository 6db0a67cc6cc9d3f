// The shell's behaviour beyond the sessions recorded from go tool pprof: where proflens accepts
// more (bare `cum`, `lines`), redirection, the web hook, errors that keep the prompt, help,
// completion, history, and the profile being read once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { repoRoot, runCli, runShellCli } from './helpers.js';
import { defaultConfig } from '../src/driver/config.js';
import { loadProfile } from '../src/driver/driver.js';
import { type WebRequest, runShell } from '../src/repl/shell.js';
import { newCompleter } from '../src/repl/complete.js';
import { loadHistory, saveHistory } from '../src/repl/history.js';
import { shellCommands } from '../src/repl/commands.js';
import { overview } from '../src/repl/help.js';
import { shellOptions, goFloat } from '../src/repl/settings.js';
import { historyPath } from '../cli/shell-command.js';

process.env.TZ = 'UTC';
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
const prompt = '(pprof) ';

/** reports splits a session's standard output into what each command printed, in order (the last entry follows the last prompt). */
function reports(stdout: string): string[] {
  return stdout.split(prompt).slice(1);
}

test('bare choice names select them, as name=true does; =false goes back to the default', async () => {
  const r = await runShellCli([heap], 'cum\ntop\nsort=cum\ntop\ncum=false\ntop\nsort=flat\ntop\nlines\ntop\ngranularity=lines\ntop\nlines=false\ntop\n');
  assert.equal(r.stderr.split('\n').length, 5, r.stderr); // the greeting only
  const [cum, sortCum, cumFalse, flat, lines, granLines, linesFalse] = reports(r.stdout).filter((s) => s !== '');
  assert.equal(cum, sortCum);
  assert.equal(cumFalse, flat);
  assert.notEqual(cum, flat);
  assert.equal(lines, granLines);
  assert.match(lines!, /main\.go:\d+/);
  assert.equal(linesFalse, flat);
});

test('top >file and output=file write the report whole, and say where', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-shell-'));
  try {
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    const r = await runShellCli([heap], `top\ntop > ${a}\noutput=${b}\ntop\noutput=\ntop\n`);
    const [shown, redirected, , toFile, , again] = reports(r.stdout);
    assert.equal(redirected, '');
    assert.equal(toFile, '');
    assert.equal(readFileSync(a, 'utf8'), shown);
    assert.equal(readFileSync(b, 'utf8'), shown);
    assert.equal(again, shown);
    assert.match(r.stderr, new RegExp(`Generating report in ${a}\nGenerating report in ${b}\n`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every text view prints what the CLI prints with the shell\'s settings', async () => {
  // The shell's settings: compact headers, top showing 10 nodes; words after a view focus (tagfocus for tags).
  const cases: [string, string[]][] = [
    ['top', ['top', '--nodecount', '10']],
    ['top -cum alloc', ['top', '--nodecount', '10', '--cum', '--focus', 'alloc']],
    ['tree', ['tree']],
    ['peek main.allocateBig', ['peek', 'main.allocateBig']],
    ['list main.fillCache', ['list', 'main.fillCache']],
    ['traces', ['traces']],
    ['tags 1kB', ['tags', '--tagfocus', '1kB']],
    ['comments', ['comments']],
    ['dot 5', ['dot', '--nodecount', '5']],
    ['raw', ['raw']],
  ];
  const r = await runShellCli(['--sample-index', 'alloc_space', heap], cases.map(([line]) => line).join('\n') + '\n');
  const shown = reports(r.stdout);
  for (const [i, [line, args]] of cases.entries()) {
    const cli = await runCli([...args, '--sample-index', 'alloc_space', '--compact-labels', heap]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(shown[i], cli.stdout, line);
  }
});

test('callgrind, proto and topproto go to the next free profileNNN file, as in pprof, holding what the CLI writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-shell-'));
  try {
    const profile = await loadProfile([heap]);
    writeFileSync(join(dir, 'profile001.pb.gz'), 'taken');
    let messages = '';
    const output = new PassThrough();
    await runShell(profile, defaultConfig(), {
      io: { input: PassThrough.from(['proto\ncallgrind\ntopproto\n']), output, message: (s) => (messages += s) },
      writeFile: async (path, data) => writeFileSync(path, data),
      viewContext: { cwd: dir },
    });
    assert.match(messages, /\nGenerating report in profile002\.pb\.gz\nGenerating report in profile001\.callgraph\.out\nGenerating report in profile003\.pb\.gz\n$/);
    const cli = async (view: string): Promise<Buffer> => {
      const out = join(dir, `cli-${view}`);
      const r = await runCli([view, '--compact-labels', '--output', out, heap]);
      assert.equal(r.code, 0, r.stderr);
      return readFileSync(out);
    };
    assert.deepEqual(readFileSync(join(dir, 'profile002.pb.gz')), await cli('proto'));
    assert.deepEqual(readFileSync(join(dir, 'profile001.callgraph.out')), await cli('callgrind'));
    assert.deepEqual(readFileSync(join(dir, 'profile003.pb.gz')), await cli('topproto'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a mistyped command, a bad regex or a pprof-only command prints one line and the prompt comes back', async () => {
  const r = await runShellCli([heap], 'tpo\nfocus=(\ntop\nfocus=\npeek (\npng\ngif\ntop 1\n');
  const messages = r.stderr.split('\n').slice(4, -1);
  assert.deepEqual(
    messages.map((m) => m.split(':')[0]),
    ['unrecognized command', 'parsing focus regexp', 'parsing argument regexp (', 'png', 'gif'],
  );
  assert.equal(reports(r.stdout).length, 9);
  assert.match(reports(r.stdout)[7]!, /Showing top 1 nodes out of \d+/);
});

test('web calls the injected web UI with the settings of the command line, or says it is missing', async () => {
  const profile = await loadProfile([heap]);
  const requests: WebRequest[] = [];
  const run = async (script: string, web?: (r: WebRequest) => Promise<string>): Promise<string> => {
    const input = PassThrough.from([script]);
    const output = new PassThrough();
    let messages = '';
    await runShell(profile, defaultConfig(), {
      io: { input, output, message: (s) => (messages += s) },
      writeFile: async () => assert.fail('nothing to write'),
      ...(web && { web }),
    });
    return messages;
  };
  const withWeb = await run('alloc_space\nweb fill -runtime\n', async (r) => {
    requests.push(r);
    return 'Serving web UI on http://127.0.0.1:1234';
  });
  assert.equal(requests.length, 1);
  assert.equal(requests[0]!.profile, profile);
  assert.equal(requests[0]!.config.sampleIndex, 'alloc_space');
  assert.equal(requests[0]!.config.focus, 'fill');
  assert.equal(requests[0]!.config.ignore, 'runtime');
  assert.match(withWeb, /Serving web UI on http:\/\/127\.0\.0\.1:1234\n$/);
  assert.match(await run('web\n'), /web UI: not available in this build\n$/);
});

test('the profile is read once: commands keep working after its file is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-shell-'));
  try {
    const file = join(dir, 'heap.pb.gz');
    copyFileSync(heap, file);
    const stdin = new PassThrough();
    let stdout = '';
    let stderr = '';
    const { main } = await import('../cli/main.js');
    const done = main([file], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdin, env: { PROFLENS_HISTORY: '' } });
    while (!stdout.includes(prompt)) await new Promise((r) => setTimeout(r, 5));
    rmSync(file);
    stdin.end('top\nalloc_objects\ntree\nlist main.fillCache\n');
    assert.equal(await done, 0, stderr);
    const [top, , tree, list] = reports(stdout);
    assert.match(top!, /main\.allocateBigger/);
    assert.match(tree!, /----------/);
    assert.match(list!, /ROUTINE =+ main\.fillCache/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('help lists every command and option, and explains each', async () => {
  const text = overview();
  for (const name of shellCommands.keys()) assert.match(text, new RegExp(`^ {4}${name} `, 'm'));
  for (const o of shellOptions) assert.match(text, new RegExp(`^ {4}${o.name}\\b`, 'm'));
  // pprof explains the choices of a group (`help cum`), not the group itself (`help sort`).
  const topics = [...shellCommands.keys(), ...shellOptions.flatMap((o) => o.choices ?? [o.name])];
  const r = await runShellCli([heap], topics.map((n) => `help ${n}`).join('\n') + '\nhelp sort\n');
  assert.equal(r.stderr.match(/Unknown command: .*/g)?.join(), 'Unknown command: sort');
  assert.equal(r.stdout, prompt.repeat(topics.length + 2));
});

test('end of input leaves without a word, like Ctrl-D', async () => {
  const r = await runShellCli([heap], 'top 1');
  assert.equal(r.code, 0);
  assert.equal(reports(r.stdout).length, 2);
  assert.match(reports(r.stdout)[0]!, /Showing top 1 nodes/);
});

test('completion: commands, options and sample types first; function names in arguments', () => {
  const complete = newCompleter({
    sampleTypes: ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'],
    functionNames: ['main.fillCache', 'main.allocateBig', 'main.allocateBigger', 'runtime.main', 'strconv.Itoa'],
  });
  assert.deepEqual(complete('tre'), [['tree'], 'tre']);
  assert.deepEqual(complete('alloc_s'), [['alloc_space'], 'alloc_s']);
  assert.deepEqual(complete('nodec'), [['nodecount'], 'nodec']);
  assert.deepEqual(complete('gran'), [['granularity'], 'gran']);
  assert.deepEqual(complete('help pe'), [['peek'], 'pe']);
  assert.deepEqual(complete('sample_index=in'), [['inuse_objects', 'inuse_space'], 'in']);
  assert.deepEqual(complete('granularity=fi'), [['filefunctions', 'files'], 'fi']);
  assert.deepEqual(complete('focus=fill'), [['main.fillCache'], 'fill']);
  assert.deepEqual(complete('list fill'), [['main.fillCache'], 'fill']);
  assert.deepEqual(complete('top -runt'), [['-runtime.main'], '-runt']);
  assert.deepEqual(complete('list main.allocateB'), [['main.allocateBig', 'main.allocateBigger'], 'main.allocateB']);
  // Substring matches whose common prefix would drop the word keep the word among them.
  assert.deepEqual(complete('peek main'), [['main.allocateBig', 'main.allocateBigger', 'main.fillCache'], 'main']);
  assert.deepEqual(complete('peek ain'), [['main.allocateBig', 'main.allocateBigger', 'main.fillCache', 'runtime.main', 'ain'], 'ain']);
  assert.deepEqual(complete('tags fill'), [[], 'fill']);
  assert.deepEqual(complete('top >fi'), [[], '>fi']);
});

test('history: bounded, oldest first on disk, newest first for readline; the path follows PROFLENS_HISTORY', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'proflens-history-'));
  try {
    const file = join(dir, 'h');
    assert.deepEqual(await loadHistory(file), []);
    await saveHistory(file, ['c', 'b', 'a'], 2);
    assert.equal(readFileSync(file, 'utf8'), 'b\nc\n');
    writeFileSync(file, 'one\ntwo\n\nthree\n');
    assert.deepEqual(await loadHistory(file, 2), ['three', 'two']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(historyPath({ PROFLENS_HISTORY: '/x/h', HOME: '/home/u' }), '/x/h');
  assert.equal(historyPath({ PROFLENS_HISTORY: '', HOME: '/home/u' }), undefined);
  assert.equal(historyPath({ HOME: '/home/u' }), '/home/u/.proflens_history');
});

test('option values print as Go prints them', () => {
  assert.deepEqual([1, 0.005, 1e6, 100000, 1e-5, 2.5, 123456789].map(goFloat), ['1', '0.005', '1e+06', '100000', '1e-05', '2.5', '1.23456789e+08']);
});
