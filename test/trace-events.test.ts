// Conformance of the trace reader with Go's own: `proflens trace events` against what Debian's Go
// 1.19 `go tool trace -d` printed (../shared/peer-trace/expected-go1.19), Go's testdata traces of
// Go 1.5–1.19 (`*_good` parse, `*_unordered` are refused; the small ones are dumped by go tool
// trace -d here and compared), truncations of a real trace, and Go 1.21 traces, which Go 1.19's
// tool cannot read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EventType, eventDescriptions, stringArgs } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { writeEventsText } from '../src/trace/events-text.js';
import { hasGo } from './go-fixture.js';
import { runCli, sharedDir } from './helpers.js';

const peer = join(sharedDir, 'peer-trace');
const noShared = existsSync(peer) ? false : `${peer} is absent`;
const goTestdata = '/usr/lib/go-1.19/src/internal/trace/testdata';
const noTestdata = existsSync(goTestdata) ? false : `${goTestdata} is absent (Debian's golang-1.19-src)`;

function dump(file: string): string {
  let s = '';
  writeEventsText(readTrace(readFileSync(file), file), (c) => (s += c));
  return s;
}

/**
 * sameModuloTies compares two dumps line by line, letting events with equal timestamps come in
 * either order: Go's parser takes the P streams from a map, so go tool trace -d itself orders such
 * ties differently from one run to the next. Returns how many lines were in tied groups that differ.
 */
function assertSameModuloTies(ours: string, go: string, what: string): void {
  if (ours === go) return;
  const groups = (s: string): string[] => {
    const out: string[] = [];
    let group: string[] = [];
    let ts = '';
    for (const line of s.split('\n')) {
      const t = line.slice(0, line.indexOf(' '));
      if (t !== ts) {
        out.push(group.sort().join('\n'));
        group = [];
        ts = t;
      }
      group.push(line);
    }
    out.push(group.sort().join('\n'));
    return out;
  };
  assert.deepEqual(groups(ours), groups(go), `${what}: differs beyond the order of equal timestamps`);
}

test('trace events equals go tool trace -d on trace.bin, byte for byte', { skip: noShared }, async () => {
  const file = join(peer, 'traces', 'go1.19', 'trace.bin');
  const r = await runCli(['trace', 'events', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(join(peer, 'expected-go1.19', 'trace.bin.d.txt'), 'utf8'));
});

test('trace events equals go tool trace -d on test-encoding-json.trace, byte for byte', { skip: noShared }, () => {
  const expected = gunzipSync(readFileSync(join(peer, 'expected-go1.19', 'test-encoding-json.trace.d.txt.gz'))).toString('utf8');
  assert.equal(dump(join(peer, 'traces', 'go1.19', 'test-encoding-json.trace')), expected);
});

test("Go's testdata traces: *_good read, *_unordered refused, small ones dumped as go tool trace -d does", { skip: noTestdata }, () => {
  const files = readdirSync(goTestdata).sort();
  // The trace tool itself, not `go tool trace`: the go command's start-up would cost more than the dumps.
  const traceTool = hasGo ? join(execFileSync('go', ['env', 'GOTOOLDIR'], { encoding: 'utf8' }).trim(), 'trace') : '';
  assert.ok(files.length >= 20);
  for (const name of files) {
    const file = join(goTestdata, name);
    if (name.endsWith('_unordered')) {
      assert.throws(() => readTrace(readFileSync(file), name), { message: new RegExp(`^${name}: malformed Go 1\\.\\d+ trace: time stamps out of order$`) });
      continue;
    }
    assert.ok(name.endsWith('_good'), name);
    if (statSync(file).size > 50_000) {
      readTrace(readFileSync(file), name);
      continue;
    }
    const ours = dump(file);
    // go tool trace needs a binary for Go 1.5/1.6 traces (it symbolizes their PCs); any will do
    // for -d. Only the small files are compared, to keep the suite fast; the large ones were
    // compared by hand (identical, but for the order of equal timestamps in stress_start_stop_1_19).
    if (!hasGo) continue;
    const go = execFileSync(traceTool, ['-d', traceTool, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
    assertSameModuloTies(ours, go, name);
  }
});

test('trace.bin cut at every 1/100 of its length: refused exactly where go tool trace -d refuses', { skip: noShared }, () => {
  const bytes = readFileSync(join(peer, 'traces', 'go1.19', 'trace.bin'));
  // go tool trace -d read the prefixes cut at 39/100 and 42/100 and refused the 97 others.
  const goAccepts = [39, 42];
  const accepted: number[] = [];
  for (let i = 1; i < 100; i++) {
    const n = Math.floor((bytes.length * i) / 100);
    try {
      readTrace(bytes.subarray(0, n), `cut${i}`);
      accepted.push(i);
    } catch (e) {
      assert.match((e as Error).message, new RegExp(`^cut${i}: [^\\n]+$`));
    }
  }
  assert.deepEqual(accepted, goAccepts);
});

test('test-encoding-json.trace cut at sampled points is refused with one line (go tool trace -d refused all 99)', { skip: noShared }, () => {
  const bytes = readFileSync(join(peer, 'traces', 'go1.19', 'test-encoding-json.trace'));
  for (const i of [1, 7, 23, 50, 77, 99]) {
    const n = Math.floor((bytes.length * i) / 100);
    assert.throws(() => readTrace(bytes.subarray(0, n), `cut${i}`), { message: new RegExp(`^cut${i}: malformed Go 1\\.19 trace: [^\\n]+$`) });
  }
});

test('Go 1.21 traces read, with their user task, log and STW reasons', { skip: noShared }, () => {
  const task = readTrace(readFileSync(join(peer, 'traces', 'go1.21', 'task.trace')), 'task.trace');
  assert.equal(task.version, 1021);
  const ev = task.events;
  // task.go.txt: trace.NewTask(ctx, "taskCategory"); trace.Log(ctx, "logCategory", "logMessage").
  const create = ev.type.indexOf(EventType.UserTaskCreate);
  const log = ev.type.indexOf(EventType.UserLog);
  assert.deepEqual(stringArgs(task, create), ['taskCategory']);
  assert.deepEqual(stringArgs(task, log), ['logCategory', 'logMessage']);
  for (const name of ['fgprof.trace', 'test-encoding-json.trace']) {
    const t = readTrace(readFileSync(join(peer, 'traces', 'go1.21', name)), name);
    assert.ok(t.events.length > 1000, name);
    for (let i = 1; i < t.events.length; i++) assert.ok(t.events.ts[i]! >= t.events.ts[i - 1]!, `${name}: time order at ${i}`);
    for (let i = 0; i < t.events.length; i++) {
      assert.ok(eventDescriptions[t.events.type[i]!], `${name}: event type`);
      if (t.events.type[i] === EventType.GCSTWStart) assert.match(stringArgs(t, i)[0]!, /^GC (mark|sweep) termination$/);
    }
  }
  const fgprof = readTrace(readFileSync(join(peer, 'traces', 'go1.21', 'fgprof.trace')), 'fgprof');
  assert.ok(fgprof.events.type.includes(EventType.CPUSample), 'fgprof.trace holds CPU samples');
});
