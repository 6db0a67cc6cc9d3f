// Regexes from users, URLs and profiles run in linear time with Go's syntax (issue 15.1).
// `(.*.*)*XYZ` makes a backtracking engine run for ever on any longer name; Go's RE2 answers at
// once. The ReDoS cases run the real binary in a child process, so that a regression fails the
// test by its timeout instead of freezing the test runner. Every expected value below was checked
// against Go 1.19: regexp.Compile/MatchString for the table, `go tool pprof` for the views.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeProfileProto } from '../src/profile/decode.js';
import { encodeProfile } from '../src/profile/encode.js';
import { compileGoRegExp } from '../src/profile/go-regexp.js';
import { repoRoot, runCli, scratchDir, servedUrl } from './helpers.js';

const bin = join(repoRoot, 'dist', 'bin', 'proflens.js');
const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');
const redos = '(.*.*)*XYZ';
// A child still running after this long has met a backtracking regex: proflens answers in about a second.
const childTimeout = 20_000;

/** withDropFrames writes the heap fixture again with the given drop_frames and keep_frames. */
function withDropFrames(name: string, dropFrames: string, keepFrames = ''): string {
  const p = decodeProfileProto(gunzipSync(readFileSync(heap)));
  const file = join(scratchDir('regex'), `${name}.pb.gz`);
  writeFileSync(file, encodeProfile({ ...p, dropFrames, keepFrames }));
  return file;
}

/** runChild runs proflens in a child process; one killed by the timeout fails the test. */
function runChild(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', timeout: childTimeout, killSignal: 'SIGKILL' });
  assert.equal(r.signal, null, `proflens ${args.join(' ')} did not finish in ${childTimeout / 1000} s`);
  return r;
}

/** The rows of `-top` after the header (File/Type/Time), as a list of lines. */
const body = (out: string): string[] => out.split('\n').slice(3);

// go tool pprof -top on the heap fixture: nothing pruned (no frame name matches).
const topUnpruned = [
  'Showing nodes accounting for 57.02MB, 99.62% of 57.24MB total',
  'Dropped 20 nodes (cum <= 0.29MB)',
  '      flat  flat%   sum%        cum   cum%',
  '      24MB 41.93% 41.93%       24MB 41.93%  main.allocateBigger',
  '   21.02MB 36.73% 78.66%    21.23MB 37.10%  main.fillCache',
  '      12MB 20.97% 99.62%       36MB 62.90%  main.allocateBig',
  '         0     0% 99.62%    57.23MB   100%  main.main',
  '         0     0% 99.62%    57.23MB   100%  main.main.func1',
  '         0     0% 99.62%    57.23MB   100%  proflens/fixtures/internal/serve.Main',
  '         0     0% 99.62%    57.23MB   100%  runtime.main',
  '',
];

test('Go syntax and semantics: matches as Go 1.19 MatchString does', () => {
  // [pattern, input, Go's answer]; JavaScript's RegExp answers each of these the other way.
  const cases: [string, string, boolean][] = [
    [String.raw`\pL+$`, 'héllo', true], // JS without /u: \p is a literal p
    [String.raw`^\p{Greek}+$`, 'λόγος', true],
    ['(?i)k', '\u212a', true], // Kelvin sign folds to k in Go
    ['^.$', '😀', true], // one rune, two UTF-16 code units
    [String.raw`\Qa.b\E`, 'a.b', true], // \Q…\E quotes in Go; JS reads \Q as Q
    [String.raw`\Qa.b\E`, 'axb', false],
    ['^[[:alpha:]]+$', 'abc', true], // POSIX class
    ['(?i)MAIN\\.', 'x/main.f', true], // unanchored, like MatchString
    ['^b', 'a\nb', false],
    ['(?m)^b', 'a\nb', true],
    ['a$', 'a\n', false],
    ['(?s)a.b', 'a\nb', true],
    ['(?P<n>a)|(?P<n>b)', 'b', true], // Go 1.19 accepts two groups of one name
    [redos, 'x'.repeat(10_000), false],
    // Plain patterns take a substring search; Go's escapes of punctuation still apply.
    [String.raw`main\.`, 'mainxf', false],
    [String.raw`main\.`, 'x/main.f', true],
    [String.raw`a\\b`, String.raw`xa\by`, true],
    [String.raw`a\-b`, 'a-b', true],
    ['a b#', 'xa b#', true],
    ['', 'x', true],
  ];
  for (const [src, s, want] of cases) assert.equal(compileGoRegExp(src).test(s), want, `${src} on ${JSON.stringify(s)}`);
});

test('Go syntax: patterns Go refuses are refused with Go 1.19 regexp.Compile\'s message', () => {
  const cases: [string, string][] = [
    ['(.*', 'error parsing regexp: missing closing ): `(.*`'],
    ['a)', 'error parsing regexp: unexpected ): `a)`'],
    ['(?<n>x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`'],
    ['(?<=a)b', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`'],
    ['a**(?<n>x)', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
    ['\\8', 'error parsing regexp: invalid escape sequence: `\\8`'],
    ['a\\Z', 'error parsing regexp: invalid escape sequence: `\\Z`'],
    ['x{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['(?P<a-b>x)(?P<c>y)(?P<c>z)', 'error parsing regexp: invalid named capture: `(?P<a-b>`'],
    [`${'('.repeat(2000)}${')'.repeat(2000)}`, `error parsing regexp: expression nests too deeply: \`${'('.repeat(2000)}${')'.repeat(2000)}\``],
  ];
  for (const [src, message] of cases) assert.throws(() => compileGoRegExp(src), { message }, src);
  // The one deliberate difference (README): Go 1.19 compiles this; RE2 and later Go refuse it.
  const huge = 'a{1000}'.repeat(3000);
  assert.throws(() => compileGoRegExp(huge), { message: `error parsing regexp: expression too large: \`${huge}\`` });
});

test('a profile whose drop_frames backtracks for ever: -top answers, as pprof does', () => {
  const r = runChild(['-top', withDropFrames('redos', redos)]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(body(r.stdout), topUnpruned);
});

test('drop_frames and keep_frames are Go regexes; an invalid one prunes nothing, as in pprof', async () => {
  // \pL is a Unicode letter class in Go: main.allocateBig and main.allocateBigger go, with their callees.
  const pl = await runCli(['-top', withDropFrames('letters', String.raw`main\.allocate\pL+`)]);
  assert.equal(pl.code, 0, pl.stderr);
  assert.deepEqual(body(pl.stdout), [
    'Showing nodes accounting for 57.02MB, 99.62% of 57.24MB total',
    'Dropped 20 nodes (cum <= 0.29MB)',
    '      flat  flat%   sum%        cum   cum%',
    '      36MB 62.90% 62.90%    57.23MB   100%  main.main.func1',
    '   21.02MB 36.73% 99.62%    21.23MB 37.10%  main.fillCache',
    '         0     0% 99.62%    57.23MB   100%  main.main',
    '         0     0% 99.62%    57.23MB   100%  proflens/fixtures/internal/serve.Main',
    '         0     0% 99.62%    57.23MB   100%  runtime.main',
    '',
  ]);
  // pprof ignores RemoveUninteresting's error: the profile is shown unpruned, without a word.
  for (const [drop, keep] of [['(', ''], [String.raw`main\.allocate.*`, '(?=x)']] as const) {
    const r = await runCli(['-top', withDropFrames('invalid', drop, keep)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(body(r.stdout), topUnpruned, `${drop} ${keep}`);
  }
});

test('tag filters are Go regexes', async () => {
  // Half the samples carry route=/api/ünïcode, half route=/api/v2; \pL is a letter in Go.
  const p = decodeProfileProto(gunzipSync(readFileSync(heap)));
  const n = p.samples.length;
  const first = p.strings.length;
  const labels = {
    start: Uint32Array.from({ length: n + 1 }, (_, i) => i),
    key: new Uint32Array(n).fill(first),
    str: Uint32Array.from({ length: n }, (_, i) => first + 1 + (i % 2)),
    num: new Float64Array(n),
    numUnit: new Uint32Array(n),
  };
  const file = join(scratchDir('regex'), 'labels.pb.gz');
  writeFileSync(file, encodeProfile({ ...p, strings: [...p.strings, 'route', '/api/ünïcode', '/api/v2'], samples: { ...p.samples, labels } }));
  const r = await runCli(['-top', String.raw`-tagfocus=route=^/api/\pL+$`, file]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(body(r.stdout), [
    'Active filters:',
    String.raw`   tagfocus=route=^/api/\pL+$`,
    ...topUnpruned.slice(0, 1),
    'Dropped 9 nodes (cum <= 0.29MB)',
    ...topUnpruned.slice(2),
  ]);
});

test('an invalid regex is a one-line error in Go\'s words, naming the option', async () => {
  const focus = await runCli(['-top', '-focus=(.*', heap]);
  assert.equal(focus.stderr, 'proflens: parsing focus regexp: error parsing regexp: missing closing ): `(.*`\n');
  assert.notEqual(focus.code, 0);
  const tag = await runCli(['-top', '-tagfocus=(?<n>x)', heap]);
  assert.equal(tag.stderr, 'proflens: parsing tagfocus regexp: error parsing regexp: invalid or unsupported Perl syntax: `(?<`\n');
  const list = await runCli(['list', '(?=main)', heap]);
  assert.equal(list.stderr, 'proflens: parsing argument regexp (?=main): error parsing regexp: invalid or unsupported Perl syntax: `(?=`\n');
});

test('the shell: a backtracking focus answers, a bad one is Go\'s one line', () => {
  const r = runChild([heap], `focus=${redos}\ntop\nfocus=(\ntop\nquit\n`);
  assert.equal(r.status, 0, r.stderr);
  // As go tool pprof printed for the same lines.
  assert.ok(r.stdout.includes(`Active filters:\n   focus=${redos}\nShowing nodes accounting for 0, 0% of 57.24MB total\n`), r.stdout);
  assert.ok(r.stderr.endsWith('\nFocus expression matched no samples\nparsing focus regexp: error parsing regexp: missing closing ): `(`\n'), r.stderr);
});

test('proflens web: /api/top?focus=(.*.*)*XYZ answers, and the server keeps serving', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [bin, 'web', '--http', '127.0.0.1:0', '--no-browser', heap], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await servedUrl(child);
    const get = (path: string): Promise<Response> => fetch(`${url}${path}`, { signal: AbortSignal.timeout(childTimeout) });
    const hostile = await get(`api/top?focus=${encodeURIComponent(redos)}`);
    assert.equal(hostile.status, 200, await hostile.clone().text());
    await hostile.arrayBuffer();
    const bad = await get('api/top?focus=%28');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: 'parsing focus regexp: error parsing regexp: missing closing ): `(`' });
    const ok = await get('api/meta');
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
  } finally {
    child.kill('SIGKILL');
  }
});
