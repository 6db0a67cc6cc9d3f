// `diff --fail-on`, the regression gate: exit 3 and the offenders when a node grew past a rule,
// exit 0 when none did, exit 2 for a bad rule. The expected growths were read off
// `go tool pprof -top -base=…` for the same fixture pairs (see each test).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseGateRules } from '../src/report/gate-rules.js';
import { repoRoot, runCli } from './helpers.js';

const fx = (name: string): string => join(repoRoot, 'fixtures', 'profiles', name);
// go tool pprof -top -unit=B -nodefraction=0 -base=go-heap-early.pb.gz go-heap.pb.gz:
//   main.allocateBigger +25165872B (new), main.allocateBig +12582912B (new),
//   strconv.formatBits +89744B on a base of 133840B (+67.05%), errors.New +16B (new), main.fillCache -89744B.
const heap = [fx('go-heap-early.pb.gz'), fx('go-heap.pb.gz')];
// go tool pprof -top -cum -base=go-goroutine-early.pb.gz go-goroutine.pb.gz: main.waitForever cum 5 → 10 (+100%).
const goroutines = [fx('go-goroutine-early.pb.gz'), fx('go-goroutine.pb.gz')];

/** offenders are the rule and name of each offender line (none when the gate passed). */
const offenders = (stdout: string): string[] => {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.includes('delta%'));
  if (header === -1) return [];
  return lines
    .slice(header + 1)
    .filter((l) => l !== '')
    .map((l) => l.trim().split(/\s+/).slice(-2).join(' '));
};

test('diff --fail-on flat>+10%: exit 3 listing every node that grew more than 10%, nodes new in NEW included', async () => {
  const r = await runCli(['diff', ...heap, '--fail-on', 'flat>+10%']);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stderr, 'proflens: 4 nodes grew past --fail-on flat>+10%\n');
  assert.deepEqual(offenders(r.stdout), ['flat>+10% main.allocateBigger', 'flat>+10% main.allocateBig', 'flat>+10% strconv.formatBits', 'flat>+10% errors.New']);
  assert.match(r.stdout, /\n {2}130\.70kB {3}218\.34kB {3}\+87\.64kB {2}\+67\.05% {2}flat>\+10% {2}strconv\.formatBits\n/);
  assert.match(r.stdout, /\n {9}0 {7}24MB {6}\+24MB {6}new {2}flat>\+10% {2}main\.allocateBigger\n/);
});

test('diff --fail-on: the thresholds are strict, percentages of the base value, absolute amounts in any unit of the family', async () => {
  const cases: [rules: string[], code: number, offenders: string[]][] = [
    // formatBits grew 67.05%: past 60%, not past 70%.
    [['strconv:flat>+60%'], 3, ['strconv:flat>+60% strconv.formatBits']],
    [['strconv:flat>+70%'], 0, []],
    // allocateBigger grew 25165872B = 24MB + 48B (pprof's MB are 2^20 bytes).
    [['flat>+20MB'], 3, ['flat>+20MB main.allocateBigger']],
    [['flat>+24MB'], 3, ['flat>+24MB main.allocateBigger']],
    [['flat>+25165872'], 0, []],
    [['flat>+30MB'], 0, []],
    // & adds a noise floor: errors.New (new, 16B) breaks 10% alone, not 10% and 1kB.
    [['flat>+10%&flat>+1kB'], 3, ['main.allocateBigger', 'main.allocateBig', 'strconv.formatBits'].map((n) => `flat>+10%&flat>+1kB ${n}`)],
    // A node regex may hold ':' and ','; rules come comma-separated or repeated.
    [['(?:errors|x{1,2})\\.:flat>+5%,allocateBig$:flat>+1MB'], 3, ['allocateBig$:flat>+1MB main.allocateBig', '(?:errors|x{1,2})\\.:flat>+5% errors.New']],
    [['errors:flat>+5%', 'allocateBig$:cum>+1MB'], 3, ['allocateBig$:cum>+1MB main.allocateBig', 'errors:flat>+5% errors.New']],
    // fillCache shrank: never an offender.
    [['fillCache:flat>+0%', 'fillCache:flat>+0'], 0, []],
  ];
  for (const [rules, code, want] of cases) {
    const r = await runCli(['diff', ...heap, ...rules.flatMap((x) => ['--fail-on', x])]);
    assert.equal(r.code, code, `${rules.join(' ')}: ${r.stdout}${r.stderr}`);
    if (code === 0) assert.match(r.stdout, /\nPassed: no node grew past the rules\n$/, rules.join(' '));
    assert.deepEqual(offenders(r.stdout), want, rules.join(' '));
  }
  // The same profile twice: nothing grew.
  const same = await runCli(['diff', fx('go-heap.pb.gz'), fx('go-heap.pb.gz'), '--fail-on', 'flat>+0%,cum>+0%']);
  assert.equal(same.code, 0, same.stdout);
});

test('diff --fail-on on counts, cum values: main.waitForever grew +100%, 5 goroutines', async () => {
  for (const [rule, code] of [['waitForever:cum>+100%', 0], ['waitForever:cum>+99%', 3], ['waitForever:cum>+4', 3], ['waitForever:cum>+5', 0], ['waitForever:flat>+0%', 0]] as const) {
    const r = await runCli(['diff', ...goroutines, '--fail-on', rule]);
    assert.equal(r.code, code, `${rule}: ${r.stdout}${r.stderr}`);
    if (code === 3) assert.match(r.stdout, new RegExp(` {9}5 {9}10 {9}\\+5 {4}\\+100% {2}${rule.replace(/[+.]/g, '\\$&')} {2}main\\.waitForever\n`));
  }
});

test('diff --fail-on --json: the verdict and the offenders as data, exit code unchanged', async () => {
  const r = await runCli(['diff', '--json', ...heap, '--fail-on', 'strconv:flat>+60%']);
  assert.equal(r.code, 3);
  const v = JSON.parse(r.stdout) as { passed: boolean; rules: string[]; sampleType: string; offenders: Record<string, unknown>[] };
  assert.equal(v.passed, false);
  assert.deepEqual(v.rules, ['strconv:flat>+60%']);
  assert.equal(v.sampleType, 'inuse_space');
  assert.equal(v.offenders.length, 1);
  const o = v.offenders[0]!;
  assert.deepEqual([o.name, o.value, o.base, o.new, o.delta], ['strconv.formatBits', 'flat', 133840, 133840 + 89744, 89744]);
  assert.ok(Math.abs((o.deltaPercent as number) - 67.05) < 0.01, String(o.deltaPercent));
  const ok = await runCli(['diff', '--json', ...heap, '--fail-on', 'flat>+1GB']);
  assert.equal(ok.code, 0);
  assert.deepEqual((JSON.parse(ok.stdout) as { passed: boolean; offenders: unknown[] }), { ...JSON.parse(ok.stdout), passed: true, offenders: [] });
});

test('diff --fail-on: a bad rule is one line and exit 2, before any profile is read', async () => {
  const bad: [string, RegExp][] = [
    ['flat>10', /^proflens: --fail-on flat>10%?: /],
    ['flat<+10%', /^proflens: --fail-on flat<\+10%: no condition such as flat>\+10%/],
    ['flat>+10%,', /^proflens: --fail-on flat>\+10%,: empty rule after the last comma$/],
    ['', /^proflens: --fail-on : empty rule$/],
    ['cum>+x', /^proflens: --fail-on cum>\+x: expected \(flat\|cum\)>\+N% or \(flat\|cum\)>\+N<unit> at "cum>\+x"$/],
    ['flat>+10% ', /^proflens: --fail-on flat>\+10% : unexpected " " after a condition/],
    ['flat>+3parsecs', /^proflens: --fail-on flat>\+3parsecs: unknown unit parsecs/],
    ['flat>+1s', /^proflens: --fail-on flat>\+1s: s cannot measure this profile's values, which are in bytes$/],
    ['a(:flat>+1%', /^proflens: --fail-on a\(:flat>\+1%: error parsing regexp: missing closing \): `a\(`$/],
  ];
  for (const [rule, want] of bad) {
    // The unit check needs the profile; the others fail on a profile that does not exist.
    const sources = rule === 'flat>+1s' ? heap : ['/nonexistent/a.pb.gz', '/nonexistent/b.pb.gz'];
    const r = await runCli(['diff', ...sources, '--fail-on', rule]);
    if (rule === 'flat>10') {
      // The plus sign is optional (flat>10 is flat>+10): this one reaches the missing files.
      assert.equal(r.code, 1, r.stderr);
      continue;
    }
    assert.equal(r.code, 2, `${rule}: ${r.stderr}`);
    assert.match(r.stderr.trimEnd(), want);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  }
});

test('parseGateRules: the rule text, the node regex and the conditions', () => {
  const [a, b] = parseGateRules(['main\\.go:42:cum>+50ms&flat>+2.5%,flat>+2MB']);
  assert.equal(a!.text, 'main\\.go:42:cum>+50ms&flat>+2.5%');
  assert.ok(a!.node!.test('main.go:42') && !a!.node!.test('mainxgo:42'));
  assert.deepEqual(a!.conditions, [
    { value: 'cum', amount: 50, percent: false, unit: 'ms' },
    { value: 'flat', amount: 2.5, percent: true, unit: '' },
  ]);
  assert.deepEqual(b, { text: 'flat>+2MB', conditions: [{ value: 'flat', amount: 2, percent: false, unit: 'MB' }] });
});
