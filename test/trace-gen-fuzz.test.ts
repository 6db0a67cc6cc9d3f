// The Go 1.22+ reader on generated traces: a small scheduler simulation writes random but valid
// traces in Go's text form (several Ps and threads, goroutines created, blocking, waking, stopping,
// in syscalls and ending, across generations that restate every status), which must read with every
// goroutine accounted for; then random damage to such traces, which must never hang or crash: each
// read ends, fast, in a model or a one-line ProfileError.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 as rng } from '../bench/synthetic.js';
import { ProfileError } from '../src/profile/errors.js';
import { EventType as E } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { NoThread, textToWire } from './trace-gen-text.js';

interface Generated {
  text: string;
  starts: number;
  creates: number;
}

const reasons = ['chan receive', 'chan send', 'select', 'sync', 'network', 'sleep', 'unspecified'];

/** generate writes a valid Go 1.25 trace: nP Ps each on its own thread, `steps` scheduling steps over `gens` generations. */
function generate(seed: number, nP: number, steps: number, gens: number): Generated {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  type G = { id: number; st: 'runnable' | 'running' | 'waiting'; seq: number };
  const gs = new Map<number, G>();
  let nextG = 1;
  const running: (G | undefined)[] = Array.from({ length: nP }, () => undefined);
  // Goroutine 1 runs on P 0 when the trace starts; two more wait to be run.
  for (let k = 0; k < 3; k++) gs.set(nextG, { id: nextG, st: k === 0 ? 'running' : 'runnable', seq: 0 }), nextG++;
  running[0] = gs.get(1);
  let out = 'Trace Go1.25\n';
  let now = 1000;
  let starts = 0;
  let creates = 3;
  for (let gen = 1; gen <= gens; gen++) {
    out += `EventBatch gen=${gen} m=${NoThread} time=${now} size=*\nSync\nFrequency freq=1000000000\nClockSnapshot dt=0 mono=${now} sec=1 nsec=0\n`;
    out += `EventBatch gen=${gen} m=${NoThread} time=${now} size=*\nStrings\n`;
    reasons.forEach((s, i) => (out += `String id=${i + 1}\n\tdata="${s}"\nString id=${i + 100}\n\tdata="f${i}"\n`));
    out += `EventBatch gen=${gen} m=${NoThread} time=${now} size=*\nStacks\nStack id=1 nframes=2\n\tpc=4096 func=100 file=101 line=1\n\tpc=8192 func=102 file=101 line=2\n`;
    const batches: string[] = Array.from({ length: nP }, () => '');
    const last: number[] = Array.from({ length: nP }, () => now);
    const ev = (p: number, line: string): void => {
      now += 1 + Math.floor(r() * 50);
      batches[p] += `${line.replace('DT', `dt=${now - last[p]!}`)}\n`;
      last[p] = now;
    };
    // Statuses: each thread restates its P and goroutine; thread 0 also the goroutines not running.
    for (const g of gs.values()) g.seq = 0; // sequence numbers count within a generation
    for (let p = 0; p < nP; p++) {
      ev(p, `ProcStatus DT p=${p} pstatus=1`);
      const g = running[p];
      if (g !== undefined) ev(p, `GoStatus DT g=${g.id} m=${p} gstatus=2`);
    }
    for (const g of gs.values()) if (g.st !== 'running') ev(0, `GoStatus DT g=${g.id} m=${NoThread} gstatus=${g.st === 'runnable' ? 1 : 4}`);
    for (let s = 0; s < steps; s++) {
      const p = Math.floor(r() * nP);
      const g = running[p];
      if (g === undefined) {
        const ready = [...gs.values()].filter((x) => x.st === 'runnable');
        if (ready.length === 0) continue;
        const n = pick(ready);
        n.st = 'running';
        running[p] = n;
        ev(p, `GoStart DT g=${n.id} g_seq=${++n.seq}`);
        starts++;
        continue;
      }
      const x = r();
      if (x < 0.15) {
        const id = nextG++;
        gs.set(id, { id, st: 'runnable', seq: 0 });
        creates++;
        ev(p, `GoCreate DT new_g=${id} new_stack=1 stack=1`);
      } else if (x < 0.35) {
        g.st = 'waiting';
        running[p] = undefined;
        ev(p, `GoBlock DT reason_string=${1 + Math.floor(r() * reasons.length)} stack=1`);
      } else if (x < 0.55) {
        const waiting = [...gs.values()].filter((w) => w.st === 'waiting');
        if (waiting.length === 0) continue;
        const w = pick(waiting);
        w.st = 'runnable';
        ev(p, `GoUnblock DT g=${w.id} g_seq=${++w.seq} stack=0`);
      } else if (x < 0.7) {
        g.st = 'runnable';
        running[p] = undefined;
        ev(p, `GoStop DT reason_string=7 stack=1`);
      } else if (x < 0.8) {
        ev(p, `HeapAlloc DT heapalloc_value=${Math.floor(r() * 1e6)}`);
      } else if (x < 0.9 && gs.size > 3) {
        gs.delete(g.id);
        running[p] = undefined;
        ev(p, 'GoDestroy DT');
      }
    }
    for (let p = 0; p < nP; p++) if (batches[p] !== '') out += `EventBatch gen=${gen} m=${p} time=${batchStart(batches[p]!, last[p]!)} size=*\n${batches[p]}`;
    now += 10;
  }
  return { text: out, starts, creates };
}

/** batchStart is a batch's base time: its last event's time minus the sum of its dts. */
function batchStart(batch: string, lastTime: number): number {
  let sum = 0;
  for (const m of batch.matchAll(/dt=(\d+)/g)) sum += Number(m[1]);
  return lastTime - sum;
}

test('random valid Go 1.25 traces (4 Ps, 3 generations) read with every goroutine start and creation', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const g = generate(seed, 4, 300, 3);
    const t = readTrace(textToWire(g.text), `gen-${seed}.trace`);
    const count = (ty: number): number => t.events.type.reduce((c, x) => c + (x === ty ? 1 : 0), 0);
    // Goroutine 1 runs when the trace starts: its status is a GoCreate and a GoStart too.
    assert.equal(count(E.GoStart), g.starts + 1, `seed ${seed}`);
    assert.equal(count(E.GoCreate), g.creates, `seed ${seed}`);
  }
});

test('random damage to a Go 1.25 trace never hangs or crashes the reader: a model or one line, fast', () => {
  const good = textToWire(generate(7, 3, 400, 3).text);
  const r = rng(99);
  let refused = 0;
  let slowest = 0;
  for (let k = 0; k < 200; k++) {
    const b = Uint8Array.from(good);
    const kind = k % 4;
    let bytes: Uint8Array = b;
    if (kind === 0) for (let n = 0; n < 1 + (k % 5); n++) b[16 + Math.floor(r() * (b.length - 16))] = Math.floor(r() * 256);
    else if (kind === 1) bytes = b.subarray(0, 16 + Math.floor(r() * (b.length - 16)));
    else if (kind === 2) {
      const at = 16 + Math.floor(r() * (b.length - 16));
      bytes = Uint8Array.from([...b.subarray(0, at), ...Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256)), ...b.subarray(at)]);
    } else {
      const at = 16 + Math.floor(r() * (b.length - 20));
      bytes = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + Math.floor(r() * 4))]);
    }
    const t0 = performance.now();
    try {
      readTrace(bytes, 'damaged.trace');
    } catch (e) {
      assert.ok(e instanceof ProfileError, `damage ${k}: ${String(e)}`);
      assert.ok(!e.message.includes('\n') && e.message.startsWith('damaged.trace: '), e.message);
      refused++;
    }
    slowest = Math.max(slowest, performance.now() - t0);
  }
  assert.ok(refused > 100, `only ${refused} of 200 damaged traces refused`);
  assert.ok(slowest < 1000, `slowest read ${slowest} ms`);
});
