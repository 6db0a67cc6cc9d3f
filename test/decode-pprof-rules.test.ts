// The decoder accepts and refuses what pprof's does (google/pprof profile/proto.go, encode.go and
// CheckValid; Go 1.19's copy under cmd/vendor): a known field with the wrong wire type is an
// error, not skipped; ids 0 are reserved; two mappings may not share an id; a line needs a
// function; a second time_nanos means concatenated profiles. A location naming a mapping that does
// not exist is read without one. Each mutant is also given to go tool pprof when Go is installed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseProfile } from '../src/profile/parse.js';
import { hasGo } from './go-fixture.js';
import { runCli, scratchDir } from './helpers.js';
import { fixed32, fixed64, msg, stringTable, v } from './proto-bytes.js';

const strings = ['', 'samples', 'count', 'main.work', 'main.go', '/bin/app'];
/** The parts of a small valid profile; a mutant replaces one. */
const parts = {
  sampleType: msg(1, [...v(1, 1), ...v(2, 2)]),
  sample: msg(2, [...msg(1, [1]), ...msg(2, [5]), ...msg(3, [...v(1, 3), ...v(2, 4)])]),
  mapping: msg(3, [...v(1, 1), ...v(2, 0x1000), ...v(3, 0x2000), ...v(5, 5)]),
  location: msg(4, [...v(1, 1), ...v(2, 1), ...v(3, 0x1100), ...msg(4, [...v(1, 1), ...v(2, 10)])]),
  function: msg(5, [...v(1, 1), ...v(2, 3), ...v(4, 4)]),
  extra: [] as number[],
};
type Parts = typeof parts;
const profile = (change: Partial<Parts>): Uint8Array => {
  const p = { ...parts, ...change };
  const table = stringTable(strings);
  return Uint8Array.from([...p.sampleType, ...p.sample, ...p.mapping, ...p.location, ...p.function, ...table, ...v(9, 1_700_000_000_000_000_000 / 1e9), ...p.extra]);
};

const wire = /unexpected wire type/;
const refused: [string, Partial<Parts>, RegExp][] = [
  ['sample_type as a varint', { sampleType: v(1, 1) }, wire],
  ['a value type field as fixed32', { sampleType: msg(1, [...fixed32(1, 1), ...v(2, 2)]) }, wire],
  ['a mapping id as fixed32', { mapping: msg(3, [...fixed32(1, 1), ...v(2, 0x1000), ...v(3, 0x2000), ...v(5, 5)]) }, wire],
  ['a mapping file as bytes', { mapping: msg(3, [...v(1, 1), ...msg(5, [5])]) }, wire],
  ['a mapping flag as fixed64', { mapping: msg(3, [...v(1, 1), ...fixed64(7, 1)]) }, wire],
  ['a function name as bytes', { function: msg(5, [...v(1, 1), ...msg(2, [3])]) }, wire],
  ['a function id as fixed64', { function: msg(5, [...fixed64(1, 1), ...v(2, 3)]) }, wire],
  ['a location address as fixed64', { location: msg(4, [...v(1, 1), ...fixed64(3, 0x1100), ...msg(4, [...v(1, 1)])]) }, wire],
  ['a location line as a varint', { location: msg(4, [...v(1, 1), ...v(4, 1)]) }, wire],
  ['a line function id as bytes', { location: msg(4, [...v(1, 1), ...msg(4, [...msg(1, [1])])]) }, wire],
  ['a sample value as fixed64', { sample: msg(2, [...msg(1, [1]), ...fixed64(2, 5)]) }, wire],
  ['a sample label as a varint', { sample: msg(2, [...msg(1, [1]), ...msg(2, [5]), ...v(3, 1)]) }, wire],
  ['a label key as bytes', { sample: msg(2, [...msg(1, [1]), ...msg(2, [5]), ...msg(3, [...msg(1, [3])])]) }, wire],
  ['a string as a varint', { extra: v(6, 0) }, wire],
  ['function id 0', { function: msg(5, [...v(1, 0), ...v(2, 3)]), location: msg(4, [...v(1, 1), ...msg(4, [...v(2, 10)])]) }, /reserved id 0/],
  ['mapping id 0', { mapping: msg(3, [...v(1, 0), ...v(2, 0x1000)]), location: msg(4, [...v(1, 1), ...msg(4, [...v(1, 1)])]) }, /reserved id 0/],
  ['location id 0', { location: msg(4, [...v(1, 0), ...msg(4, [...v(1, 1)])]), sample: msg(2, [...msg(1, [0]), ...msg(2, [5])]) }, /reserved id 0/],
  ['two mappings with one id', { mapping: [...parts.mapping, ...msg(3, [...v(1, 1), ...v(2, 0x3000), ...v(3, 0x4000)])] }, /two mappings have id 1/],
  ['a line without a function', { location: msg(4, [...v(1, 1), ...v(2, 1), ...msg(4, [...v(2, 10)])]) }, /names function id 0/],
  ['a second time_nanos (concatenated profiles)', { extra: v(9, 5) }, /concatenated profiles/],
];

test('the base profile is valid, so each mutant fails for its own change', () => {
  const p = parseProfile(profile({}), 'base.pb');
  assert.equal(p.samples.length, 1);
  assert.equal(p.locations.mapping[0], 0);
});

for (const [name, change, why] of refused) {
  test(`refused as pprof refuses it: ${name}`, () => {
    assert.throws(() => parseProfile(profile(change), 'm.pb'), (e: Error) => e.name === 'ProfileError' && /^m\.pb: /.test(e.message) && why.test(e.message));
  });
}

test('a location naming a mapping that does not exist is read without one, as pprof reads it', async () => {
  const dir = scratchDir('decode-rules');
  const file = join(dir, 'missing-mapping.pb');
  writeFileSync(file, profile({ location: msg(4, [...v(1, 1), ...v(2, 9), ...v(3, 0x1100), ...msg(4, [...v(1, 1), ...v(2, 10)])]) }));
  const r = await runCli(['top', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ +5 +100% +100% +5 +100% +main\.work$/m);
});

test('go tool pprof refuses and accepts the same mutants', { skip: !hasGo && 'go is not installed' }, async () => {
  const dir = scratchDir('decode-rules-go');
  const env = { ...process.env, HOME: dir, PPROF_TMPDIR: dir };
  const pprof = async (bytes: Uint8Array, name: string): Promise<boolean> => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    try {
      await promisify(execFile)('go', ['tool', 'pprof', '-symbolize=none', '-raw', file], { env });
      return true;
    } catch {
      return false;
    }
  };
  assert.equal(await pprof(profile({}), 'base.pb'), true);
  for (const [i, [name, change]] of refused.entries()) assert.equal(await pprof(profile(change), `m${i}.pb`), false, name);
  assert.equal(await pprof(profile({ location: msg(4, [...v(1, 1), ...v(2, 9), ...msg(4, [...v(1, 1)])]) }), 'missing.pb'), true);
});
