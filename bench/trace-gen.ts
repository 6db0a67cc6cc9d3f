// The Go 1.22+ reader's benchmark: read time of the real 359 KB Go 1.25 trace (../shared), and of
// a ~100 MB trace in the Go 1.25 format written by a deterministic generator (no Go ≥ 1.22 is
// installable here): 8 Ps on 8 threads, thousands of goroutines blocking on channels, the network
// and sleep, woken by others, created and ending, in syscalls, across generations that restate
// every status, stack and string as the runtime does; batches of at most 64 KB per thread.
//
//   node dist/bench/trace-gen.js [--regenerate] [--mb N]

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readTrace } from '../src/trace/read.js';
import { dataDir, formatBytes } from './data.js';
import { mulberry32 } from './synthetic.js';

/** Writer appends bytes and unsigned LEB128 varints to a growing buffer. */
class Writer {
  buf = Buffer.alloc(1 << 20);
  n = 0;
  byte(b: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[this.n++] = b;
  }
  uv(v: number): void {
    while (v >= 128) {
      this.byte((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    this.byte(v);
  }
  bytes(b: Uint8Array): void {
    while (this.n + b.length > this.buf.length) this.grow();
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  private grow(): void {
    const b = Buffer.alloc(this.buf.length * 2);
    this.buf.copy(b, 0, 0, this.n);
    this.buf = b;
  }
}

const NoThread = 2 ** 64 - 1;
// Wire numbers of the events written (src/trace/gen/spec.ts).
const T = { EventBatch: 1, Stacks: 2, Stack: 3, Strings: 4, String: 5, Frequency: 8, ProcStatus: 13, GoCreate: 14, GoStart: 16, GoDestroy: 17, GoStop: 19, GoBlock: 20, GoUnblock: 21, GoSyscallBegin: 22, GoSyscallEnd: 23, GoStatus: 25, HeapAlloc: 37, Sync: 50, ClockSnapshot: 51 };
const reasons = ['chan receive', 'chan send', 'select', 'sync', 'network', 'sleep', 'preempted'];

/** generateTrace writes a Go 1.25 trace of about `bytes` bytes, the same for the same arguments. */
export function generateTrace(bytes: number, seed = 1): Uint8Array {
  const r = mulberry32(seed);
  const w = new Writer();
  w.bytes(Buffer.from('go 1.25 trace\0\0\0', 'latin1'));
  const nP = 8;
  const nFuncs = 400;
  const nStacks = 3000;
  // Strings 1..7 the reasons, then function and file names; stacks are 4–24 frames from the pool.
  const funcName = (f: number): string => `svc/pkg${f % 23}.(*Handler${f % 17}).Method${f}`;
  const stacks: number[][] = [];
  for (let s = 0; s < nStacks; s++) stacks.push(Array.from({ length: 4 + Math.floor(r() * 20) }, () => Math.floor(r() * nFuncs)));
  type G = { id: number; st: 0 | 1 | 2; seq: number }; // 0 runnable, 1 running, 2 waiting
  const gs = new Map<number, G>();
  const waiting: G[] = [];
  const runnable: G[] = [];
  let nextG = 1;
  for (; nextG <= 2000; nextG++) {
    const g: G = { id: nextG, st: 2, seq: 0 };
    gs.set(g.id, g);
    waiting.push(g);
  }
  const running: (G | undefined)[] = Array.from({ length: nP }, () => undefined);
  let now = 1_000_000;
  let gen = 0;
  const body = Array.from({ length: nP }, () => new Writer());
  const last = new Array<number>(nP).fill(0);
  const start = new Array<number>(nP).fill(0);
  const flush = (p: number): void => {
    const b = body[p]!;
    if (b.n === 0) return;
    w.byte(T.EventBatch);
    w.uv(gen);
    w.uv(p);
    w.uv(start[p]!);
    w.uv(b.n);
    w.bytes(b.buf.subarray(0, b.n));
    b.n = 0;
  };
  const ev = (p: number, type: number, ...args: number[]): void => {
    now += 1 + Math.floor(r() * 40);
    const b = body[p]!;
    if (b.n > 65000) flush(p);
    if (b.n === 0) {
      start[p] = now;
      last[p] = now;
    }
    b.byte(type);
    b.uv(now - last[p]!);
    for (const a of args) b.uv(a);
    last[p] = now;
  };
  const take = (list: G[]): G => {
    const i = Math.floor(r() * list.length);
    const g = list[i]!;
    list[i] = list[list.length - 1]!;
    list.pop();
    return g;
  };
  while (w.n < bytes) {
    gen++;
    // The structural batches: sync, strings, stacks (restated each generation).
    const s = new Writer();
    s.byte(T.Sync);
    s.byte(T.Frequency);
    s.uv(15_625_000);
    s.byte(T.ClockSnapshot);
    s.uv(0);
    s.uv(now);
    s.uv(1_700_000_000 + gen);
    s.uv(0);
    const header = (m: number, data: Writer): void => {
      w.byte(T.EventBatch);
      w.uv(gen);
      w.uv(m);
      w.uv(now);
      w.uv(data.n);
      w.bytes(data.buf.subarray(0, data.n));
    };
    header(NoThread, s);
    const str = new Writer();
    str.byte(T.Strings);
    const addString = (id: number, text: string): void => {
      const b = Buffer.from(text);
      str.byte(T.String);
      str.uv(id);
      str.uv(b.length);
      str.bytes(b);
    };
    reasons.forEach((x, i) => addString(i + 1, x));
    for (let f = 0; f < nFuncs; f++) addString(100 + f, funcName(f));
    for (let f = 0; f < 23; f++) addString(1000 + f, `/src/svc/pkg${f}/handler.go`);
    header(NoThread, str);
    const st = new Writer();
    st.byte(T.Stacks);
    stacks.forEach((frames, k) => {
      st.byte(T.Stack);
      st.uv(k + 1);
      st.uv(frames.length);
      for (const f of frames) {
        st.uv(0x100000000 + f * 64);
        st.uv(100 + f);
        st.uv(1000 + (f % 23));
        st.uv(10 + f);
      }
      if (st.n > 60000) {
        header(NoThread, st);
        st.n = 0;
        st.byte(T.Stacks);
      }
    });
    if (st.n > 1) header(NoThread, st);
    // Statuses: every goroutine and P restated; sequence numbers restart.
    for (const g of gs.values()) g.seq = 0;
    for (let p = 0; p < nP; p++) {
      ev(p, T.ProcStatus, p, 1);
      const g = running[p];
      if (g !== undefined) ev(p, T.GoStatus, g.id, p, 2);
    }
    for (const g of gs.values()) if (g.st !== 1) ev(0, T.GoStatus, g.id, NoThread, g.st === 0 ? 1 : 4);
    // About 4 MB of events per generation.
    const genStart = w.n;
    const pseq = new Array<number>(nP).fill(0);
    let written = 0;
    for (let step = 0; written < 4_000_000 && w.n < bytes; step++) {
      const p = step % nP;
      const g = running[p];
      if (g === undefined) {
        if (runnable.length === 0) {
          // Nothing to run: the P's thread wakes a waiting goroutine (as the network poller does).
          const u = take(waiting);
          u.st = 0;
          runnable.push(u);
          ev(p, T.GoUnblock, u.id, ++u.seq, 0);
          continue;
        }
        const n = take(runnable);
        n.st = 1;
        running[p] = n;
        ev(p, T.GoStart, n.id, ++n.seq);
      } else {
        const x = r();
        if (x < 0.05 && gs.size < 5000) {
          const id = nextG++;
          const n: G = { id, st: 0, seq: 0 };
          gs.set(id, n);
          runnable.push(n);
          ev(p, T.GoCreate, id, 1 + Math.floor(r() * nStacks), 1 + Math.floor(r() * nStacks));
        } else if (x < 0.35) {
          g.st = 2;
          waiting.push(g);
          running[p] = undefined;
          ev(p, T.GoBlock, 1 + Math.floor(r() * 6), 1 + Math.floor(r() * nStacks));
        } else if (x < 0.7 && waiting.length > 0) {
          const u = take(waiting);
          u.st = 0;
          runnable.push(u);
          ev(p, T.GoUnblock, u.id, ++u.seq, 1 + Math.floor(r() * nStacks));
        } else if (x < 0.78) {
          g.st = 0;
          runnable.push(g);
          running[p] = undefined;
          ev(p, T.GoStop, 7, 1 + Math.floor(r() * nStacks));
        } else if (x < 0.86) {
          // A syscall that returns fast, keeping its P: the P's sequence number moves on.
          ev(p, T.GoSyscallBegin, ++pseq[p]!, 1 + Math.floor(r() * nStacks));
          ev(p, T.GoSyscallEnd);
        } else if (x < 0.88 && gs.size > 1000) {
          gs.delete(g.id);
          running[p] = undefined;
          ev(p, T.GoDestroy);
        } else {
          ev(p, T.HeapAlloc, 4_000_000 + Math.floor(r() * 1e8));
        }
      }
      written = body.reduce((sum, b) => sum + b.n, 0) + w.n - genStart;
    }
    for (let p = 0; p < nP; p++) flush(p);
  }
  return w.buf.subarray(0, w.n);
}

/** timeRead reads a trace `runs` times and returns the median ms and the peak RSS growth. */
function timeRead(buf: Uint8Array, name: string, runs: number): { ms: number; events: number } {
  const times: number[] = [];
  let events = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    events = readTrace(buf, name).events.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, events };
}

/**
 * runTraceGenBench times the Go 1.22+ reader on the real 1.25 trace and on the generated one of
 * `mb` MB (written first when absent or `regenerate`); `npm run bench`'s trace section runs it.
 */
export function runTraceGenBench(regenerate = false, mb = 100): void {
  const log = (s: string): void => void process.stdout.write(`${s}\n`);
  const real = join(dataDir, '..', '..', '..', 'shared', 'peer-trace', 'traces', 'go1.25', 'test-encoding-json.trace');
  if (existsSync(real)) {
    const buf = readFileSync(real);
    timeRead(buf, real, 5);
    const r = timeRead(buf, real, 21);
    log(`go1.25/test-encoding-json.trace  ${formatBytes(buf.length)}  ${r.events} events  read ${r.ms.toFixed(1)} ms  (${(buf.length / 1e6 / (r.ms / 1000)).toFixed(1)} MB/s)`);
  } else log(`${real} absent: the real 1.25 trace is not timed`);
  const file = join(dataDir, `trace-gen-${mb}m.out`);
  if (regenerate || !existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const t0 = performance.now();
    writeFileSync(file, generateTrace(mb * 1e6));
    log(`wrote ${relative(process.cwd(), file)}: ${formatBytes(statSync(file).size)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const buf = readFileSync(file);
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const t = readTrace(buf, file);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(timer);
  log(`${relative(process.cwd(), file)}  ${formatBytes(buf.length)}  ${t.events.length} events  read ${(ms / 1000).toFixed(2)} s (${(cpuMs / 1000).toFixed(2)} s of CPU: ${(buf.length / 1e6 / (cpuMs / 1000)).toFixed(1)} MB/s)  RSS after read ${formatBytes(peak)} (file ${formatBytes(buf.length)} included)`);
}

if (process.argv[1]?.endsWith('trace-gen.js')) {
  const args = process.argv.slice(2);
  runTraceGenBench(args.includes('--regenerate'), args.includes('--mb') ? Number(args[args.indexOf('--mb') + 1]) : 100);
}
