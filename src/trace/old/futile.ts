// Futile wakeups: a goroutine woken on a mutex or buffered channel finds another got there first
// and blocks again. Go's parser (removeFutile in internal/trace/parser.go) drops the whole
// sequence — the unblock, the starts and preemptions in between, the FutileWakeup marker and the
// block — since it tells the user nothing; we drop the same events.
//
// Go keeps each goroutine's sequence as a slice; with tens of millions of events that is an
// allocation per unblock. Here a sequence is a chain through one array (each event's position
// points to the previous event of its sequence) and a goroutine's state is one number.

import { EventType as E, argsPerEvent } from '../model.js';
import { NumberTable } from './id-tables.js';
import type { RawEvents } from './wire.js';

/**
 * removeFutile returns the order without the events of futile wakeups. `scratch` (at least
 * order.length long) holds the sequence chains: the caller lends memory it no longer needs, so
 * that a large trace does not touch another 4 bytes per event.
 */
export function removeFutile(ev: RawEvents, order: Uint32Array, scratch: Int32Array): Uint32Array {
  // Per goroutine: (position of the sequence's last event + 1) * 2 + (1 if a FutileWakeup was seen).
  // Positions fit 31 bits (prev is an Int32Array), so the state fits 32: `>>> 1`, not `>> 1`, which
  // would read a position past 2^30 as negative.
  const gs = new NumberTable();
  const prev = scratch; // position → previous position in its sequence, -1 at the start
  let drop: Uint8Array | undefined;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    switch (ev.type[i]) {
      case E.GoUnblock: {
        // A new sequence starts here; the futile mark of the goroutine stays, as in Go.
        const g = ev.args[i * argsPerEvent]!;
        prev[k] = -1;
        gs.set(g, (k + 1) * 2 + (gs.get(g) & 1));
        break;
      }
      case E.GoStart:
      case E.GoPreempt:
      case E.FutileWakeup: {
        const g = ev.g[i]!;
        const state = gs.get(g);
        prev[k] = (state >>> 1) - 1;
        gs.set(g, (k + 1) * 2 + (ev.type[i] === E.FutileWakeup ? 1 : state & 1));
        break;
      }
      case E.GoBlock:
      case E.GoBlockSend:
      case E.GoBlockRecv:
      case E.GoBlockSelect:
      case E.GoBlockSync:
      case E.GoBlockCond: {
        const g = ev.g[i]!;
        const state = gs.get(g);
        if (state & 1) {
          drop ??= new Uint8Array(order.length);
          drop[k] = 1;
          for (let x = (state >>> 1) - 1; x >= 0; x = prev[x]!) drop[x] = 1;
        }
        gs.set(g, 0);
        break;
      }
    }
  }
  return drop ? withoutDropped(order, drop) : order;
}

/** withoutDropped compacts order in place (a loop of its own, for V8: see buildEvents). */
function withoutDropped(order: Uint32Array, drop: Uint8Array): Uint32Array {
  let n = 0;
  for (let k = 0; k < order.length; k++) if (!drop[k]) order[n++] = order[k]!;
  return order.subarray(0, n);
}
