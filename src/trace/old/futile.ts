// Futile wakeups: a goroutine woken on a mutex or buffered channel finds another got there first
// and blocks again. Go's parser (removeFutile in internal/trace/parser.go) drops the whole
// sequence — the unblock, the starts and preemptions in between, the FutileWakeup marker and the
// block — since it tells the user nothing; we drop the same events.

import { EventType as E, argsPerEvent } from '../model.js';
import type { RawEvents } from './wire.js';

/** Wakeup is what a goroutine has done since it was last unblocked. */
interface Wakeup {
  futile: boolean;
  /** Positions (in the order) of the sequence's events. */
  events: number[];
}

/** removeFutile returns the order without the events of futile wakeups. */
export function removeFutile(ev: RawEvents, order: Uint32Array): Uint32Array {
  const gs = new Map<number, Wakeup>();
  let drop: Uint8Array | undefined;
  const wakeupOf = (g: number): Wakeup => {
    let w = gs.get(g);
    if (!w) gs.set(g, (w = { futile: false, events: [] }));
    return w;
  };
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    switch (ev.type[i]) {
      case E.GoUnblock: {
        const w = wakeupOf(ev.args[i * argsPerEvent]!);
        w.events = [k];
        break;
      }
      case E.GoStart:
      case E.GoPreempt:
      case E.FutileWakeup: {
        const w = wakeupOf(ev.g[i]!);
        w.events.push(k);
        if (ev.type[i] === E.FutileWakeup) w.futile = true;
        break;
      }
      case E.GoBlock:
      case E.GoBlockSend:
      case E.GoBlockRecv:
      case E.GoBlockSelect:
      case E.GoBlockSync:
      case E.GoBlockCond: {
        const w = gs.get(ev.g[i]!);
        if (w?.futile) {
          drop ??= new Uint8Array(order.length);
          drop[k] = 1;
          for (const x of w.events) drop[x] = 1;
        }
        gs.delete(ev.g[i]!);
        break;
      }
    }
  }
  if (!drop) return order;
  let n = 0;
  for (let k = 0; k < order.length; k++) if (!drop[k]) order[n++] = order[k]!;
  return order.subarray(0, n);
}
