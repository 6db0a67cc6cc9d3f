// Memory first touched is slow: the kernel finds, zeroes and maps each page, and on a virtual
// machine the host may have to back it as well (on this project's VM ~2.5 ms a megabyte, against
// ~0.1 ms for memory the process had touched before). A large trace's event columns are written
// once, front to back, while the trace is read: a second thread can touch their pages just ahead
// of the reader, so the two cores take the page faults in parallel and the reader mostly writes to
// pages that are already there. Only for large inputs: a thread costs milliseconds to start.

import { Worker } from 'node:worker_threads';

/** A column the reader fills front to back: bytesPerEvent bytes for each event. */
export interface PrefaultColumn {
  readonly buffer: SharedArrayBuffer;
  readonly bytesPerEvent: number;
}

/** How many events ahead of the reader the pages are touched (so little is touched in vain). */
const aheadEvents = 1 << 18;
/** How many events' worth of pages the toucher touches between looks at the reader's progress. */
const chunkEvents = 1 << 14;
/** Every how many events the reader says where it is (a power of two). */
export const prefaultStride = 1 << 14;

// The toucher. A compare-and-exchange of 0 with 0 writes to the page (faulting it in for writing)
// without changing what the reader may have written there: it is one atomic operation.
const toucherSource = `
const { workerData } = require('node:worker_threads');
const { columns, progress, capacity, ahead, chunk } = workerData;
const prog = new Int32Array(progress);
const views = columns.map((c) => ({ words: new Int32Array(c.buffer), bpe: c.bytesPerEvent }));
let k = 0;
for (;;) {
  const p = Atomics.load(prog, 0);
  if (p < 0 || k >= capacity) break;
  if (k < p) k = p;
  if (k >= p + ahead) {
    Atomics.wait(prog, 0, p, 200);
    continue;
  }
  const end = Math.min(k + chunk, capacity);
  for (const { words, bpe } of views) {
    const last = Math.min(Math.floor((end * bpe) / 4), words.length - 1);
    for (let w = Math.floor((k * bpe) / 4096) * 1024; w <= last; w += 1024) Atomics.compareExchange(words, w, 0, 0);
  }
  k = end;
}
`;

/** Prefaulter runs the toucher over some columns while the reader fills them. */
export class Prefaulter {
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));
  private worker: Worker | undefined;

  constructor(columns: readonly PrefaultColumn[], capacity: number) {
    try {
      this.worker = new Worker(toucherSource, {
        eval: true,
        workerData: { columns, progress: this.progress.buffer, capacity, ahead: aheadEvents, chunk: chunkEvents },
      });
      // It ends by itself; it must never keep the process alive nor make it fail.
      this.worker.unref();
      this.worker.on('error', () => undefined);
    } catch {
      this.worker = undefined;
    }
  }

  /** reached says the reader has come to event i (call it every prefaultStride events). */
  reached(i: number): void {
    Atomics.store(this.progress, 0, Math.min(i, 0x7fffffff));
    Atomics.notify(this.progress, 0);
  }

  /** stop ends the toucher: the reader is done, or its columns were replaced. */
  stop(): void {
    if (this.worker === undefined) return;
    Atomics.store(this.progress, 0, -1);
    Atomics.notify(this.progress, 0);
    void this.worker.terminate();
    this.worker = undefined;
  }
}

/** sharedArray allocates a typed array in shared memory (its byte length rounded up to 8). */
export function sharedArray<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(
  ctor: { new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T; readonly BYTES_PER_ELEMENT: number },
  length: number,
): T {
  const bytes = Math.ceil((length * ctor.BYTES_PER_ELEMENT) / 8) * 8;
  return new ctor(new SharedArrayBuffer(bytes), 0, length);
}
