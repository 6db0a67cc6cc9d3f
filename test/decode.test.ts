// The decoder against a second, independent decoder (pprof-format) on every real profile we have,
// an encode → decode round trip, and the errors malformed input must give.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Function as PfFunction, Label as PfLabel, Line as PfLine, Location as PfLocation, Profile as PfProfile, Sample as PfSample, StringTable, ValueType as PfValueType } from 'pprof-format';
import { encodeProfile, encodeProfileProto } from '../src/profile/encode.js';
import type { Profile } from '../src/profile/model.js';
import { parseProfile } from '../src/profile/parse.js';
import { repoRoot, sharedDir } from './helpers.js';

/** Every committed real profile: pprof's test profiles and our fixtures. */
function profileFiles(): string[] {
  const dirs = [join(sharedDir, 'peer-pprof', 'profiles'), join(repoRoot, 'fixtures', 'profiles')];
  return dirs.filter(existsSync).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.pb.gz')).map((f) => join(d, f)));
}

/** A decoder-neutral picture of a profile: every field, ids and strings resolved. */
function plainFromOurs(p: Profile): unknown {
  const { samples: s, locations: l, functions: f } = p;
  const nT = p.sampleTypes.length;
  const samples = [];
  for (let i = 0; i < s.length; i++) {
    const labels = [];
    if (s.labels) {
      for (let k = s.labels.start[i]!; k < s.labels.start[i + 1]!; k++) {
        labels.push([p.strings[s.labels.key[k]!], p.strings[s.labels.str[k]!], s.labels.num[k], p.strings[s.labels.numUnit[k]!]]);
      }
    }
    samples.push({
      loc: [...s.locations.subarray(s.stackStart[i]!, s.stackStart[i + 1]!)].map((x) => l.id[x]),
      values: [...s.values.subarray(i * nT, i * nT + nT)],
      labels,
    });
  }
  const locations = [];
  for (let i = 0; i < l.length; i++) {
    const lines = [];
    for (let k = l.lineStart[i]!; k < l.lineStart[i + 1]!; k++) {
      const fn = l.lineFunction[k]!;
      lines.push([fn >= 0 ? f.id[fn] : 0, l.lineNumber[k], l.lineColumn[k]]);
    }
    const m = l.mapping[i]!;
    locations.push({ id: l.id[i], mapping: m >= 0 ? p.mappings[m]!.id : 0, address: l.address[i], folded: !!l.isFolded[i], lines });
  }
  const functions = [];
  for (let i = 0; i < f.length; i++) {
    functions.push([f.id[i], p.strings[f.name[i]!], p.strings[f.systemName[i]!], p.strings[f.filename[i]!], f.startLine[i]]);
  }
  return {
    sampleTypes: p.sampleTypes.map((t) => [t.type, t.unit]),
    samples,
    mappings: p.mappings.map((m) => [m.id, m.memoryStart, m.memoryLimit, m.fileOffset, m.file, m.buildId, m.hasFunctions, m.hasFilenames, m.hasLineNumbers, m.hasInlineFrames]),
    locations,
    functions,
    header: [p.dropFrames, p.keepFrames, p.timeNanos, p.durationNanos, p.periodType?.type, p.periodType?.unit, p.period, p.comments, p.defaultSampleType, p.docUrl],
  };
}

function plainFromPprofFormat(p: PfProfile): unknown {
  const str = (i: unknown): string => p.stringTable.strings[Number(i)]!;
  const n = (x: unknown): number => Number(x);
  return {
    sampleTypes: p.sampleType.map((t) => [str(t.type), str(t.unit)]),
    samples: p.sample.map((s) => ({
      loc: s.locationId.map(n),
      values: s.value.map(n),
      labels: s.label.map((lb) => [str(lb.key), str(lb.str), n(lb.num), str(lb.numUnit)]),
    })),
    mappings: p.mapping.map((m) => [n(m.id), BigInt(m.memoryStart), BigInt(m.memoryLimit), BigInt(m.fileOffset), str(m.filename), str(m.buildId), m.hasFunctions, m.hasFilenames, m.hasLineNumbers, m.hasInlineFrames]),
    locations: p.location.map((l) => ({
      id: n(l.id),
      mapping: n(l.mappingId),
      address: BigInt(l.address),
      folded: l.isFolded,
      lines: l.line.map((ln) => [n(ln.functionId), n(ln.line), n((ln as { column?: unknown }).column ?? 0)]),
    })),
    functions: p.function.map((f) => [n(f.id), str(f.name), str(f.systemName), str(f.filename), n(f.startLine)]),
    header: [str(p.dropFrames), str(p.keepFrames), n(p.timeNanos), n(p.durationNanos), p.periodType && str(p.periodType.type), p.periodType && str(p.periodType.unit), n(p.period), p.comment.map(str), str(p.defaultSampleType), str(p.docUrl)],
  };
}

const files = profileFiles();

test('there are real profiles to check the decoder on', () => {
  assert.ok(files.length >= 10, `found ${files.length} profiles`);
});

for (const file of files) {
  const name = file.slice(file.lastIndexOf('/', file.lastIndexOf('/') - 1) + 1);
  test(`decoder agrees with pprof-format: ${name}`, () => {
    const bytes = readFileSync(file);
    const ours = parseProfile(bytes, file);
    const theirs = PfProfile.decode(gunzipSync(bytes));
    assert.deepEqual(plainFromOurs(ours), plainFromPprofFormat(theirs));
  });

  test(`encode → decode keeps every field: ${name}`, () => {
    const ours = parseProfile(readFileSync(file), file);
    const again = parseProfile(encodeProfile(ours), 'round trip');
    assert.deepEqual(plainFromOurs(again), plainFromOurs(ours));
    // And pprof-format reads what we wrote the same way.
    assert.deepEqual(plainFromPprofFormat(PfProfile.decode(encodeProfileProto(ours))), plainFromOurs(ours));
  });
}

test('samples and strings off the fast paths decode the same as pprof-format reads them', () => {
  // The decoder takes plain samples and an all-ASCII string table in fast loops and hands
  // everything else to the general reader; this profile switches between the two many times.
  // (Negative values are checked with our own encoder below: pprof-format reads them unsigned.)
  const strings = new StringTable();
  const long = 'x'.repeat(200); // a length of two bytes: the string table is not all ASCII
  const fns = ['main.run', 'café.Crème', '日本.関数', long].map(
    (name, i) => new PfFunction({ id: i + 1, name: strings.dedup(name), filename: strings.dedup(`/src/${name}.go`) }),
  );
  const locations = fns.map(
    (f, i) => new PfLocation({ id: 20000 + i, address: 0x7f0000001000 + i, line: [new PfLine({ functionId: f.id, line: 10 + i })] }),
  );
  const loc = (...ks: number[]): number[] => ks.map((k) => 20000 + k);
  const samples = [
    new PfSample({ locationId: loc(0, 1, 2), value: [1, 100] }),
    new PfSample({ locationId: loc(1, 3), value: [2, 2 ** 40] }),
    new PfSample({ locationId: loc(2), value: [3, 2 ** 50] }), // too large for the fast loop
    new PfSample({ locationId: loc(0, 3), value: [4, 400] }),
    new PfSample({ locationId: loc(3), value: [5, 2 ** 49 - 1] }), // the largest the fast loop takes
    new PfSample({ locationId: loc(3), value: [5, 2 ** 49] }),
    new PfSample({ locationId: [], value: [6, 600] }), // no stack
    new PfSample({ locationId: loc(1, 2), value: [7, 700], label: [new PfLabel({ key: strings.dedup('bytes'), num: 64 })] }),
    new PfSample({ locationId: loc(...Array.from({ length: 80 }, (_, i) => i % 4)), value: [8, 800] }), // 240 id bytes
    new PfSample({ locationId: loc(2, 1, 0), value: [9, 900] }),
  ];
  const p = new PfProfile({
    sampleType: [new PfValueType({ type: strings.dedup('count'), unit: strings.dedup('count') }), new PfValueType({ type: strings.dedup('space'), unit: strings.dedup('bytes') })],
    sample: samples,
    location: locations,
    function: fns,
    stringTable: strings,
  });
  const bytes = p.encode();
  assert.deepEqual(plainFromOurs(parseProfile(bytes, 'paths')), plainFromPprofFormat(PfProfile.decode(bytes)));
});

test('repeated fields whose tags are written long are read by the general reader, the same', () => {
  // 0x92 0x00 is tag 0x12 (sample) as a two-byte varint, 0xb2 0x00 tag 0x32 (string_table): valid
  // protobuf that the top-level scan's fast loop leaves to the general one. (pprof-format reads
  // tags as one byte, so the same profile written the usual way is checked against it instead.)
  const sample = [0x12, 0x01, 0x05];
  const profile = (sampleTag: number[], stringTag: number[]): Uint8Array =>
    Uint8Array.from([
      ...[0x0a, 0x04, 0x08, 0x01, 0x10, 0x02], // sample_type {type: "a", unit: "b"}
      ...[...sampleTag, sample.length, ...sample],
      ...[0x12, sample.length, ...sample],
      ...[0x32, 0x00, ...stringTag, 0x01, 0x61, 0x32, 0x01, 0x62], // string_table "", "a", "b"
    ]);
  const usual = profile([0x12], [0x32]);
  const long = parseProfile(profile([0x92, 0x00], [0xb2, 0x00]), 'long tags');
  assert.equal(long.samples.length, 2);
  assert.deepEqual(plainFromOurs(long), plainFromOurs(parseProfile(usual, 'usual')));
  assert.deepEqual(plainFromOurs(long), plainFromPprofFormat(PfProfile.decode(usual)));
});

test('raw (not gzipped) protobuf decodes the same as gzipped', () => {
  const file = files[0]!;
  const gz = readFileSync(file);
  assert.deepEqual(plainFromOurs(parseProfile(gunzipSync(gz), 'raw')), plainFromOurs(parseProfile(gz, 'gz')));
});

test('negative and large int64 values survive exactly', () => {
  const base = parseProfile(readFileSync(files[0]!), 'x');
  const values = base.samples.values.slice();
  values[0] = -12345;
  const exact = new BigInt64Array(values.length);
  values.forEach((v, i) => (exact[i] = BigInt(v)));
  exact[1] = 9007199254740993n; // 2^53 + 1: not a float
  exact[2] = -9223372036854775808n;
  values[1] = Number(exact[1]);
  values[2] = Number(exact[2]);
  const p: Profile = { ...base, samples: { ...base.samples, values, exactValues: exact } };
  const back = parseProfile(encodeProfileProto(p), 'x');
  assert.equal(back.samples.values[0], -12345);
  assert.equal(back.samples.exactValues?.[1], 9007199254740993n);
  assert.equal(back.samples.exactValues?.[2], -9223372036854775808n);
  assert.equal(back.samples.exactValues?.[0], -12345n);
});

test('values beyond 2^53 stay exact whether a producer packs them or not', () => {
  const varint = (v: bigint): number[] => {
    const out: number[] = [];
    for (let x = BigInt.asUintN(64, v); ; x >>= 7n) {
      if (x < 0x80n) return [...out, Number(x)];
      out.push(Number(x & 0x7fn) | 0x80);
    }
  };
  const big1 = 9007199254740993n; // 2^53 + 1: no float holds it
  const big2 = 9007199254740995n;
  const packed = varint(big1);
  const samples = [
    [0x12, packed.length, ...packed], // value, packed
    [0x10, ...varint(big2)], // value, one varint (proto2 style)
    [0x10, ...varint(-7n)],
  ];
  const bytes = Uint8Array.from([
    ...[0x0a, 0x04, 0x08, 0x01, 0x10, 0x02], // sample_type {type: "a", unit: "b"}
    ...samples.flatMap((s) => [0x12, s.length, ...s]),
    ...[0x32, 0x00, 0x32, 0x01, 0x61, 0x32, 0x01, 0x62], // string_table "", "a", "b"
  ]);
  const p = parseProfile(bytes, 'x');
  assert.deepEqual([...(p.samples.exactValues ?? [])], [big1, big2, -7n]);
  assert.equal(p.samples.values[2], -7);
});

/** parseError returns the message parseProfile throws for these bytes. */
function parseError(bytes: Uint8Array, source = 'bad.pb.gz'): string {
  try {
    parseProfile(bytes, source);
  } catch (e) {
    assert.equal((e as Error).name, 'ProfileError');
    return (e as Error).message;
  }
  assert.fail('expected an error');
}

test('malformed input gives one clear line naming the source', () => {
  const good = gunzipSync(readFileSync(files[0]!));
  assert.match(parseError(gzipSync(good).subarray(0, 40)), /^bad\.pb\.gz: truncated gzip data$/);
  const gz = gzipSync(good);
  const corrupt = Uint8Array.from(gz);
  corrupt[3] = 0xff; // reserved gzip flag bits set
  assert.match(parseError(corrupt), /^bad\.pb\.gz: corrupt gzip data: /);
  assert.match(parseError(good.subarray(0, good.length - 3)), /^bad\.pb\.gz: truncated protobuf at byte \d+/);
  assert.equal(parseError(new Uint8Array(0)), 'bad.pb.gz: empty input file');
  assert.equal(parseError(Buffer.from('<!DOCTYPE html><html><body>404</body></html>')), 'bad.pb.gz: not a pprof profile (it is HTML or XML)');
  assert.equal(parseError(Buffer.from('{"error": "nope"}')), 'bad.pb.gz: not a pprof profile (it is JSON)');
  // heap?debug=1 text is read (heap-text.test.ts); a header pprof cannot read either is refused.
  assert.equal(parseError(Buffer.from('heap profile: 1: 2 @ heap/1048576\n')), 'bad.pb.gz: not a pprof profile (it is a legacy text profile; fetch it without ?debug=1)');
  assert.equal(parseError(Buffer.from('hello world, this is not a profile\n')), 'bad.pb.gz: not a pprof profile (it is text)');
});

test('a bad varint and a dangling location id are reported with their position', () => {
  // Field 9 (time_nanos), varint of 11 continuation bytes.
  const badVarint = Uint8Array.from([0x48, ...new Array(11).fill(0xff), 0x01]);
  assert.equal(parseError(badVarint), 'bad.pb.gz: bad varint at byte 1');
  // One sample naming location 7, no locations; sample_type so that values match.
  const sample = [0x0a, 0x01, 0x07, 0x12, 0x01, 0x05];
  const bytes = Uint8Array.from([0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x12, sample.length, ...sample, 0x32, 0x00, 0x32, 0x01, 0x61, 0x32, 0x01, 0x62]);
  assert.equal(parseError(bytes), 'bad.pb.gz: sample 0 names location id 7 at byte 10, which does not exist');
  // A location that ends in the tag of a line, with no length after it, at the end of the profile.
  const location = [0x08, 0x01, 0x22];
  assert.equal(parseError(Uint8Array.from([0x32, 0x00, 0x22, location.length, ...location])), 'bad.pb.gz: truncated protobuf at byte 7');
});
