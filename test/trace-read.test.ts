// The trace reader's own behaviour, on small traces written here (test/trace-writer.ts): ordering by
// goroutine sequence numbers, links, futile wakeups, refusals of damaged bytes, the `trace` command
// and fetching a trace over HTTP. Every expected dump below is what Debian's Go 1.19
// `go tool trace -d` printed for the same bytes; the links and stacks were checked by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventType, stackFrames } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { writeEventsText } from '../src/trace/events-text.js';
import { runCli, scratchDir } from './helpers.js';
import { writeTrace } from './trace-writer.js';

// Two Ps. P2 creates g5 at tick 1010; P1 starts g5 at the same tick, and P1's stream comes first:
// only the sequence numbers put the create before the start.
const ordering = writeTrace([
  [EventType.Frequency, 1e9],
  { string: 1, text: 'main.worker' },
  { string: 2, text: '/src/main.go' },
  [EventType.Stack, 1, 1, 0x401000, 1, 2, 42],
  [EventType.Batch, 1, 1000],
  [EventType.ProcStart, 0, 11], // 1000
  [EventType.GoStart, 10, 5, 1], // 1010, g5 seq 1
  [EventType.GoBlockRecv, 5, 0], // 1015
  [EventType.ProcStop, 5], // 1020
  [EventType.Batch, 2, 1001],
  [EventType.ProcStart, 0, 12], // 1001
  [EventType.GoCreate, 9, 5, 1, 0], // 1010, g5 with stack 1
  [EventType.GoUnblock, 11, 5, 2, 0], // 1021, g5 seq 2
  [EventType.ProcStop, 5], // 1026
]);

const orderingDump = `0 ProcStart p=1 g=0 off=66 thread=11
1 ProcStart p=2 g=0 off=82 thread=12
10 GoCreate p=2 g=0 off=85 g=5 stack=1
10 GoStart p=1 g=5 off=69 g=5 seq=1
15 GoBlockRecv p=1 g=5 off=73
20 ProcStop p=1 g=0 off=76
21 GoUnblock p=2 g=0 off=91 g=5 seq=2
26 ProcStop p=2 g=0 off=97
`;

// g7 is unblocked, starts, finds the mutex taken (FutileWakeup) and blocks again: Go drops all four.
const futile = writeTrace([
  [EventType.Frequency, 1e9],
  [EventType.Batch, 0, 1000],
  [EventType.ProcStart, 0, 3],
  [EventType.GoCreate, 1, 7, 0, 0],
  [EventType.GoStart, 1, 7, 1],
  [EventType.GoBlockSync, 1, 0],
  [EventType.GoCreate, 1, 8, 0, 0],
  [EventType.GoStart, 1, 8, 1],
  [EventType.GoUnblock, 1, 7, 2, 0],
  [EventType.GoBlockSync, 1, 0],
  [EventType.GoStart, 1, 7, 3],
  [EventType.FutileWakeup, 1],
  [EventType.GoBlockSync, 1, 0],
  [EventType.ProcStop, 1],
]);

const futileDump = `0 ProcStart p=0 g=0 off=26 thread=3
1 GoCreate p=0 g=0 off=29 g=7 stack=0
2 GoStart p=0 g=7 off=35 g=7 seq=1
3 GoBlockSync p=0 g=7 off=39
4 GoCreate p=0 g=0 off=42 g=8 stack=0
5 GoStart p=0 g=8 off=48 g=8 seq=1
7 GoBlockSync p=0 g=8 off=58
11 ProcStop p=0 g=0 off=70
`;

function dump(bytes: Uint8Array): string {
  let s = '';
  writeEventsText(readTrace(bytes, 'x.trace'), (c) => (s += c));
  return s;
}

test('events are ordered by goroutine sequence numbers, not by timestamps alone', () => {
  assert.equal(dump(ordering), orderingDump);
});

test('events are linked as Go links them, and a GoStart gets its creation stack', () => {
  const t = readTrace(ordering, 'x.trace');
  const ev = t.events;
  const at = (type: number): number => ev.type.indexOf(type);
  const create = at(EventType.GoCreate);
  const start = at(EventType.GoStart);
  const block = at(EventType.GoBlockRecv);
  const unblock = at(EventType.GoUnblock);
  assert.equal(ev.link[create], start, 'create → first start');
  assert.equal(ev.link[start], block, 'start → the event that ends the run');
  assert.equal(ev.link[block], unblock, 'block → unblock');
  assert.equal(ev.link[unblock], -1, 'no later start');
  assert.deepEqual(stackFrames(t, ev.stack[start]!), [{ pc: 0x401000, fn: 'main.worker', file: '/src/main.go', line: 42 }]);
  assert.equal(ev.stack[create], 0, 'the GoCreate itself was written without a stack');
});

test('futile wakeups are removed, as go tool trace removes them', () => {
  assert.equal(dump(futile), futileDump);
});

test('a trace cut anywhere is refused with one line, except where Go reads the prefix too', () => {
  // The cut lengths at which go tool trace -d accepted the prefix (every other one it refused).
  const goAccepts = new Map([
    [ordering, [69, 91, 97]],
    [futile, [29, 35, 39, 42, 48, 52, 58, 61, 65, 67, 70]],
  ]);
  for (const [bytes, accepted] of goAccepts) {
    const ours: number[] = [];
    for (let n = 1; n < bytes.length; n++) {
      try {
        readTrace(bytes.subarray(0, n), 'cut.trace');
        ours.push(n);
      } catch (e) {
        const msg = (e as Error).message;
        assert.match(msg, /^cut\.trace: /);
        assert.doesNotMatch(msg, /\n/);
      }
    }
    assert.deepEqual(ours, accepted);
  }
});

test('random bytes after a valid header are refused with one line, quickly', () => {
  // The same generator made 40 files that go tool trace -d refused, every one.
  let x = 0x9e3779b9;
  const rnd = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  for (let k = 0; k < 40; k++) {
    const n = 1 + (rnd() % 400);
    const b = new Uint8Array(16 + n);
    b.set(new TextEncoder().encode('go 1.19 trace'));
    for (let i = 16; i < b.length; i++) b[i] = rnd() & 0xff;
    assert.throws(() => readTrace(b, `rnd${k}`), (e: Error) => e.message.startsWith(`rnd${k}: malformed Go 1.19 trace: `) && !e.message.includes('\n'));
  }
});

test('declared lengths far beyond the bytes are refused without reading or allocating them', () => {
  const header = writeTrace([]);
  const cases: [string, number[]][] = [
    // An event whose length prefix says 2^40 bytes.
    ['event', [EventType.GoCreate | 0xc0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]],
    // A string of 900 kB (under Go's 1e6 limit) with 3 bytes present.
    ['string', [EventType.String, 1, 0xa0, 0xf7, 0x36, 0x61, 0x62, 0x63]],
    // A varint that never ends.
    ['varint', [EventType.Frequency, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [what, bytes] of cases) {
    const b = Uint8Array.from([...header, ...bytes]);
    const t0 = performance.now();
    assert.throws(() => readTrace(b, what), { message: new RegExp(`^${what}: malformed Go 1\\.19 trace: `) });
    assert.ok(performance.now() - t0 < 100, `${what} took too long`);
  }
});

test('headers: not a trace, an empty Go 1.22+ trace, an unknown version', () => {
  assert.throws(() => readTrace(new TextEncoder().encode('hello world, this is not a trace'), 'a.txt'), { message: /^a\.txt: not a Go execution trace/ });
  assert.throws(() => readTrace(new Uint8Array(0), 'empty'), { message: /^empty: empty file/ });
  // A Go 1.22+ header goes to the generational reader (src/trace/gen): with no generation, no events.
  assert.equal(readTrace(writeTrace([], 22), 'new.trace').events.length, 0);
  assert.throws(() => readTrace(writeTrace([], 27), 'v27.trace'), { message: /^v27\.trace: unsupported trace file version 1\.27 \(newer than Go 1\.26/ });
  assert.throws(() => readTrace(writeTrace([], 12), 'v12.trace'), { message: /^v12\.trace: unsupported trace file version 1\.12$/ });
  assert.throws(() => readTrace(writeTrace([]), 'hdr.trace'), { message: /^hdr\.trace: malformed Go 1\.19 trace: trace is empty$/ });
  assert.throws(() => readTrace(writeTrace([[EventType.Batch, 0, 5], [EventType.ProcStart, 1, 1]]), 'nofreq'), { message: /no EvFrequency event$/ });
});

test('proflens trace events prints the dump, --json the events with links and stacks', async () => {
  const dir = scratchDir('trace-cli');
  const file = join(dir, 'ordering.trace');
  writeFileSync(file, ordering);
  const text = await runCli(['trace', 'events', file]);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, orderingDump);
  assert.equal((await runCli(['trace', '-d', file])).stdout, orderingDump, 'go tool trace spelling -d');
  const json = await runCli(['trace', 'events', file, '--json']);
  const doc = JSON.parse(json.stdout) as { version: string; stacks: Record<string, unknown[]>; events: { type: string; link?: number; stack?: string }[] };
  assert.equal(doc.version, '1.19');
  assert.equal(doc.events.length, 8);
  assert.deepEqual(doc.events[2], { ts: 10, type: 'GoCreate', p: 2, g: 0, off: 85, args: { g: 5, stack: 1 }, link: 3 });
  assert.equal(doc.events[3]!.stack, '1');
  assert.deepEqual(doc.stacks['1'], [{ pc: 0x401000, fn: 'main.worker', file: '/src/main.go', line: 42 }]);
  const summary = await runCli(['trace', 'summary', file]);
  assert.equal(summary.code, 0);
  assert.match(summary.stdout, /Go 1\.19 execution trace, 8 events/);
});

test('proflens trace refuses a bad trace with one line and exit 1', async () => {
  const dir = scratchDir('trace-bad');
  const file = join(dir, 'cut.trace');
  writeFileSync(file, ordering.subarray(0, 80));
  const r = await runCli(['trace', 'events', file]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^proflens: .*cut\.trace: malformed Go 1\.19 trace: .+\n$/);
  const missing = await runCli(['trace', 'events', join(dir, 'nope.trace')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.trace: no such file\n$/);
});

test('proflens trace HOST:PORT fetches /debug/pprof/trace, saves it whole, then reads it', async () => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(ordering);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const store = scratchDir('trace-store');
    const env = { ...process.env, PPROF_TMPDIR: store };
    const r = await runCli(['trace', 'events', `127.0.0.1:${port}`], undefined, { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, orderingDump);
    const r2 = await runCli(['trace', 'events', `127.0.0.1:${port}`, '--seconds', '2'], undefined, { env });
    assert.equal(r2.code, 0, r2.stderr);
    assert.deepEqual(requests, ['/debug/pprof/trace?seconds=5', '/debug/pprof/trace?seconds=2']);
    assert.deepEqual(readdirSync(store).sort(), ['trace.001.out', 'trace.002.out']);
    assert.deepEqual(new Uint8Array(readFileSync(join(store, 'trace.001.out'))), ordering);
    assert.match(r.stderr, new RegExp(`Saved trace in ${join(store, 'trace.001.out').replace(/[.]/g, '\\.')}\n`));
    // On a terminal the countdown says what it fetches.
    const tty = await runCli(['trace', 'events', `127.0.0.1:${port}`, '--seconds', '1'], undefined, { env, stderrIsTTY: true });
    assert.equal(tty.code, 0, tty.stderr);
    assert.ok(tty.stderr.includes(`\r\x1b[KFetching trace over HTTP from http://127.0.0.1:${port}/debug/pprof/trace?seconds=1`), JSON.stringify(tty.stderr));
  } finally {
    server.close();
  }
});

test('a trace with tens of thousands of Ps reads in linear time (Go scans every P per event)', () => {
  // 50,000 batches on distinct Ps, one ProcStart each: a frontier scan per event would be 2.5e9 steps.
  const records: number[][] = [[EventType.Frequency, 1e9]];
  for (let p = 0; p < 50_000; p++) records.push([EventType.Batch, p, 1000 + p], [EventType.ProcStart, 0, p]);
  const bytes = writeTrace(records);
  const cpu0 = process.cpuUsage();
  const t = readTrace(bytes, 'many.trace');
  const cpu = process.cpuUsage(cpu0);
  assert.equal(t.events.length, 50_000);
  for (let i = 0; i < t.events.length; i++) assert.equal(t.events.p[i], i, 'time order is P order here');
  assert.ok((cpu.user + cpu.system) / 1e6 < 5, `took ${(cpu.user + cpu.system) / 1e6} s of CPU`);
});
