// Test helper: Go's text form of a generational trace (golang.org/x/exp/trace internal/raw, as the
// go122plus-tests archives hold it) → the wire bytes a Go 1.22+ runtime writes. The header becomes
// `go 1.NN trace\0\0\0`; each event its type byte, then its arguments as unsigned LEB128 varints in
// the order the text gives them; a Stack's frames follow as four varints each; a String's data
// (the next line, a Go-quoted string) as its length, then its bytes.

import { genSpecs } from '../src/trace/gen/spec.js';

const typeByName = new Map(genSpecs.map(([name], i) => [name, i]));

/** uvarint appends v as an unsigned LEB128 varint (values up to 2^64-1, hence bigint). */
function uvarint(out: number[], v: bigint): void {
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
}

/** goUnquote turns a Go double-quoted string literal into its bytes. */
export function goUnquote(lit: string): number[] {
  if (!lit.startsWith('"') || !lit.endsWith('"') || lit.length < 2) throw new Error(`not a Go string literal: ${lit}`);
  const s = lit.slice(1, -1);
  const out: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, "'": 39, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const e = s[++i]!;
    if (e in simple) out.push(simple[e]!);
    else if (e === 'x') {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      out.push(...Buffer.from(String.fromCodePoint(parseInt(s.slice(i + 1, i + 1 + n), 16)), 'utf8'));
      i += n;
    } else if (e >= '0' && e <= '7') {
      out.push(parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else throw new Error(`bad escape \\${e} in ${lit}`);
  }
  return out;
}

/** TextArchive is one go122plus-tests file: what Go's reader must do, and the trace. */
export interface TextArchive {
  /** undefined for SUCCESS, else the FAILURE regexp's text. */
  readonly failure: string | undefined;
  readonly bytes: Uint8Array;
}

/** parseArchive splits a txtar test into its expectation and its trace, made into bytes. */
export function parseArchive(text: string): TextArchive {
  const m = /^-- expect --\n([\s\S]*?)\n-- trace --\n([\s\S]*)$/.exec(text);
  if (m === null) throw new Error('not a go122plus test archive');
  const expect = m[1]!.trim();
  const f = /^FAILURE "(.*)"$/.exec(expect);
  if (expect !== 'SUCCESS' && f === null) throw new Error(`unknown expectation ${expect}`);
  // A FAILURE trace may be damaged on purpose (a batch shorter than its size says).
  return { failure: f === null ? undefined : f[1]!, bytes: textToWire(m[2]!, f === null) };
}

/**
 * textToWire encodes a trace in the text form. Each EventBatch's size is written as the text
 * states it (as Go's writer does); `checkSizes` also verifies it equals the batch's encoded length.
 * `size=*` (our extension, for traces written in tests) means: the batch's encoded length.
 */
export function textToWire(text: string, checkSizes = true): Uint8Array {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const hdr = /^Trace Go1\.(\d+)$/.exec(lines[0]!.trim());
  if (hdr === null) throw new Error(`bad header line ${lines[0]}`);
  const out: number[] = [...Buffer.from(`go 1.${hdr[1]} trace\0\0\0`, 'latin1')];
  let batchStart = -1;
  let batchSize = 0;
  let autoSize = false;
  const closeBatch = (): void => {
    if (autoSize) {
      const size: number[] = [];
      uvarint(size, BigInt(out.length - batchStart));
      out.splice(batchStart, 0, ...size);
      autoSize = false;
      batchStart = -1;
      return;
    }
    if (checkSizes && batchStart >= 0 && out.length - batchStart !== batchSize) {
      throw new Error(`batch at byte ${batchStart} is ${out.length - batchStart} bytes, the text says size=${batchSize}`);
    }
  };
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i]!.trim().split(/\s+/);
    const name = fields[0]!;
    const type = typeByName.get(name);
    if (type === undefined) throw new Error(`line ${i + 1}: unknown event ${name}`);
    const args = fields.slice(1).map((f) => {
      const eq = f.indexOf('=');
      if (eq < 0) throw new Error(`line ${i + 1}: argument without '=': ${f}`);
      return f.slice(eq + 1) === '*' ? -1n : BigInt(f.slice(eq + 1));
    });
    if (name === 'EventBatch' || name === 'EndOfGeneration' || name === 'ExperimentalBatch') closeBatch();
    out.push(type);
    for (const a of args) if (a >= 0n) uvarint(out, a);
    if (name === 'EventBatch') {
      batchStart = out.length;
      batchSize = Number(args[3]);
      autoSize = args[3] === -1n;
    } else if (name === 'EndOfGeneration') {
      batchStart = -1;
    } else if (name === 'Stack') {
      const n = Number(args[1]);
      for (let k = 0; k < n; k++) {
        const frame = lines[++i]!.trim().split(/\s+/);
        for (const f of frame) uvarint(out, BigInt(f.slice(f.indexOf('=') + 1)));
      }
    } else if (name === 'String' || name === 'ExperimentalBatch') {
      if (name === 'ExperimentalBatch') batchStart = -1;
      const dl = lines[++i]!.trim();
      if (!dl.startsWith('data=')) throw new Error(`line ${i + 1}: expected data="…"`);
      const data = goUnquote(dl.slice(5));
      uvarint(out, BigInt(data.length));
      out.push(...data);
    }
  }
  closeBatch();
  return Uint8Array.from(out);
}

/** NoThread is the thread id of Go 1.22+ batches that belong to no thread (2^64−1). */
export const NoThread = '18446744073709551615';

/**
 * lostPTrace: a syscall that loses its P (clock 1 GHz, batches from tick 100 = t −1, first event
 * t 0). G1 runs on M0 (P0) from its status at t=1 and enters a syscall at 10; M1 (running G2 on P2
 * from its status at 3) takes P0 at 20; the syscall returns at 40, the trace's last event.
 */
export const lostPTrace = `Trace Go1.22
EventBatch gen=1 m=0 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
GoSyscallBegin dt=9 p_seq=1 stack=0
GoSyscallEndBlocked dt=30
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=3 p=2 pstatus=1
GoStatus dt=1 g=2 m=1 gstatus=2
ProcSteal dt=17 p=0 p_seq=2 m=0
EventBatch gen=1 m=${NoThread} time=100 size=*
Frequency freq=1000000000
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
`;

/**
 * oneThreadSyscallTrace: one thread, M1 holding P0 throughout; a goroutine's syscall returns with its P.
 * Clock at 1 GHz; the batches begin at tick 100 (the generation's sync, which Go takes as the
 * creation of goroutines known only from a status) and the first event is at tick 101 = time 0.
 *
 *  t=1  G1 is running (a status: it existed before; unknown since the sync at t=-1)
 *  t=10 G1 creates G7 (runnable)
 *  t=20 G1 blocks on a channel receive              G1 exec 1→20 = 19
 *  t=25 G7 runs                                     G7 sched 10→25 = 15
 *  t=30 G7 enters a syscall, which returns at 34    G7 exec 25→30 = 5, syscall 4
 *  t=40 G7 wakes G1                                 G1 chan receive 20→40 = 20
 *  t=50 G7 blocks "wait for debug call"             G7 exec 34→50 = 16
 *  t=55 G1 runs                                     G1 sched 40→55 = 15
 *  t=60 G1 ends                                     G1 exec 55→60 = 5
 *  t=65 the trace ends                              G7 blocked 50→65 = 15
 *
 * G1: total 60−(−1) = 61 = exec 24 + chan receive 20 + sched 15 + unknown 2.
 * G7: total 65−10 = 55 = exec 21 + sched 15 + syscall 4 + wait for debug call 15.
 */
export const oneThreadSyscallTrace = `Trace Go1.22
EventBatch gen=1 m=${NoThread} time=100 size=*
Frequency freq=1000000000
EventBatch gen=1 m=${NoThread} time=100 size=*
Strings
String id=1
	data="chan receive"
String id=2
	data="wait for debug call"
String id=3
	data="main.worker"
String id=4
	data="/src/main.go"
EventBatch gen=1 m=${NoThread} time=100 size=*
Stacks
Stack id=1 nframes=1
	pc=4096 func=3 file=4 line=10
EventBatch gen=1 m=1 time=100 size=*
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=1 gstatus=2
GoCreate dt=9 new_g=7 new_stack=1 stack=0
GoBlock dt=10 reason_string=1 stack=0
GoStart dt=5 g=7 g_seq=1
GoSyscallBegin dt=5 p_seq=1 stack=0
GoSyscallEnd dt=4
GoUnblock dt=6 g=1 g_seq=1 stack=0
GoBlock dt=10 reason_string=2 stack=0
GoStart dt=5 g=1 g_seq=2
GoDestroy dt=5
ProcStop dt=5
`;
