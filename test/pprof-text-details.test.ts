// Details of pprof's text that real profiles of other producers showed (../shared/wild-profiles):
// -raw prints "PeriodType: " even when the profile has none; -traces starts with the header
// labels' line, empty when there are none; -tags prints nothing for a profile without labels; a
// unit Go's sniffing does not know ("μs": three bytes, so its "s" is cut and nothing matches) is
// printed as it is, unscaled; Go's legacy text contention profiles (`--- mutex:`) are read.
// Expected text is worked out from pprof's code by hand and, where Go is installed, checked
// against go tool pprof.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { matchSampleLine } from '../src/profile/legacy-contention.js';
import { hasGo } from './go-fixture.js';
import { runCli, scratchDir } from './helpers.js';
import { msg, stringTable, v } from './proto-bytes.js';

const dir = scratchDir('text-details');

/** profile writes a one-sample profile: main.f calls main.g, value 1500 of sample type (type, unit). */
function profile(name: string, type: string, unit: string): string {
  const strings = ['', type, unit, 'main.f', 'main.g'].filter((s, i) => i === 0 || s !== '');
  const at = (s: string): number => (s === '' ? 0 : strings.indexOf(s));
  const bytes = [
    ...msg(1, [...v(1, at(type)), ...v(2, at(unit))]),
    ...msg(2, [...msg(1, [1, 2]), ...msg(2, [...[0xdc, 0x0b]])]), // values: 1500
    ...msg(4, [...v(1, 1), ...msg(4, [...v(1, 1), ...v(2, 3)])]),
    ...msg(4, [...v(1, 2), ...msg(4, [...v(1, 2), ...v(2, 7)])]),
    ...msg(5, [...v(1, 1), ...v(2, at('main.f'))]),
    ...msg(5, [...v(1, 2), ...v(2, at('main.g'))]),
    ...stringTable(strings),
  ];
  const file = join(dir, name);
  writeFileSync(file, Uint8Array.from(bytes));
  return file;
}

const noType = profile('no-type.pb', '', '');
const micro = profile('micro.pb', 'wall', 'μs');

// A mutex profile as Go's runtime writes it with ?debug=1 (numbers our own): delay in cycles,
// count, then the stack's return addresses; `#` lines are comments.
const mutexText = join(dir, 'mutex.txt');
writeFileSync(
  mutexText,
  [
    '--- mutex:',
    'cycles/second=2000000000',
    'sampling period=5',
    '3000000000 4 @ 0x401001 0x402001',
    '#\t0x401000\tsync.(*Mutex).Unlock+0x80\t/go/src/sync/mutex.go:126',
    '',
    '1000000001 2 @ 0x403001 0x402001',
    '',
  ].join('\n'),
);

const expected: [string, string[], string][] = [
  // PeriodType: %s %s of an empty ValueType; no Time or Duration lines for zeros; the type ""
  // is the default type "", hence [dflt].
  ['raw without a period type', ['raw', noType], 'PeriodType:  \nPeriod: 0\nSamples:\n/[dflt]\n       1500: 1 2 \nLocations\n     1: 0x0 M=1 main.f :3 s=0()\n     2: 0x0 M=1 main.g :7 s=0()\nMappings\n1: 0x0/0x0/0x0   \n'],
  // No File, Type (the type's name is empty), Time or Duration: the labels' line is empty.
  ['traces without header labels', ['traces', noType], '\n-----------+-------------------------------------------------------\n      1500   main.f\n             main.g\n-----------+-------------------------------------------------------\n'],
  ['tags without labels', ['tags', micro], ''],
  ['a unit Go does not recognise', ['top', micro], 'Type: wall\nShowing nodes accounting for 1500μs, 100% of 1500μs total\n      flat  flat%   sum%        cum   cum%\n    1500μs   100%   100%     1500μs   100%  main.f\n         0     0%   100%     1500μs   100%  main.g\n'],
  // Counts × 5; delays: cycles × 5 ÷ 2 (GHz) = 7500000000 and 2500000002 ns (truncated).
  ['a legacy mutex profile', ['raw', mutexText], 'PeriodType: contentions count\nPeriod: 5\nSamples:\ncontentions/count delay/nanoseconds\n         20 7500000000: 1 2 \n         10 2500000002: 3 2 \nLocations\n     1: 0x401000 M=1 \n     2: 0x402000 M=1 \n     3: 0x403000 M=1 \nMappings\n1: 0x0/0xffffffffffffffff/0x0   \n'],
  ['a legacy mutex profile, top', ['top', '--addresses', mutexText], 'Type: delay\nShowing nodes accounting for 10s, 100% of 10s total\n      flat  flat%   sum%        cum   cum%\n     7.50s 75.00% 75.00%      7.50s 75.00%  0000000000401000 <unknown>\n     2.50s 25.00%   100%      2.50s 25.00%  0000000000403000 <unknown>\n         0     0%   100%        10s   100%  0000000000402000 <unknown>\n'],
];

for (const [name, args, want] of expected) {
  test(name, async () => {
    const r = await runCli(args);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, want);
  });
}

test('go tool pprof prints the same', { skip: !hasGo && 'go is not installed' }, async () => {
  const env = { ...process.env, HOME: dir, PPROF_TMPDIR: dir, TZ: 'UTC' };
  for (const [name, args, want] of expected) {
    const goArgs = args.slice(0, -1).map((a) => (a.startsWith('--') ? a.slice(1) : `-${a}`));
    const { stdout } = await promisify(execFile)('go', ['tool', 'pprof', '-symbolize=none', ...goArgs, args[args.length - 1]!], { env });
    assert.equal(stdout, want, name);
  }
});

test('a legacy sample line is matched as RE2 matches pprof\'s contentionSampleRE, in linear time', async () => {
  const { RE2JS } = await import('re2js');
  const re = RE2JS.compile('(\\d+) *(\\d+) @([ x0-9a-f]*)');
  const lines = ['3000 4 @ 0x1 0x2', '3000 4 @ 0x1 zz 0x2', '34 @ 0x1', '1 @ 0x1', 'x 12 3 @ 0xa', '12  34 @0x1', '12 34@ 0x1', '12 34 5 @ 0x1', '1234 @', '12 x 34 @ 0x9', '', '7 8 @ 0xfg 0x1'];
  for (const l of lines) {
    const m = re.matcher(l);
    assert.deepEqual(matchSampleLine(l), m.find() ? [m.group(1), m.group(2), m.group(3)] : undefined, JSON.stringify(l));
  }
  const long = '1'.repeat(60_000) + ' x';
  const start = performance.now();
  assert.equal(matchSampleLine(long), undefined);
  assert.ok(performance.now() - start < 200, 'linear in the line');
});
