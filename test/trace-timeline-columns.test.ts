// The timeline's slice columns are as narrow as the trace allows (issue 18, memory): the goroutine
// column is 32-bit when every id fits, and 64-bit, every id exact, when one does not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { buildTimeline, sliceGoroutine } from '../src/trace/timeline.js';
import { hostileTrace } from './trace-web-helpers.js';
import { writeTrace } from './trace-writer.js';
import { lostPTrace, textToWire } from './trace-gen-text.js';

/** A goroutine g created, started on P1 and ended: a P lane run and a goroutine lane, both about g. */
function oneGoroutine(g: number): Uint8Array {
  return writeTrace([
    [EventType.Frequency, 1e9],
    [EventType.Batch, 1, 1000],
    [EventType.ProcStart, 0, 11],
    [EventType.GoCreate, 5, g, 0, 0],
    [EventType.GoStart, 10, g, 1],
    [EventType.GoEnd, 100],
    [EventType.ProcStop, 5],
  ]);
}

test('goroutine ids that fit 32 bits are kept in a 32-bit column (thread lanes, the only slices with a goroutine column)', () => {
  const tl = buildTimeline(readTrace(textToWire(lostPTrace), 'lost-p.trace'));
  assert.ok(tl.threads.g instanceof Uint32Array, `g column is ${tl.threads.g.constructor.name}`);
  assert.ok(tl.threads.g.length > 0 && tl.threads.g.every((g) => g > 0), `${tl.threads.g}`);
});

test('a goroutine id past 2^32-1 keeps the column 64-bit and the id exact, in the P lane and its own lane', () => {
  const big = 2 ** 40 + 7;
  const tl = buildTimeline(readTrace(oneGoroutine(big), 'big.trace'));
  for (const kind of ['proc', 'goroutine']) {
    const lane = tl.lanes.findIndex((l) => l.kind === kind);
    assert.ok(lane >= 0, kind);
    const ids: number[] = [];
    for (let j = tl.laneStart[lane]!; j < tl.laneStart[lane + 1]!; j++) ids.push(sliceGoroutine(tl, j, lane));
    assert.ok(ids.length > 0 && ids.every((g) => g === big), `${kind}: ${ids}`);
  }
});

/** n goroutines created on P1 at 10 ns apart, none started: n runnable at the end. */
function manyCreated(n: number): Uint8Array {
  const events: Parameters<typeof writeTrace>[0][number][] = [[EventType.Frequency, 1e9], [EventType.Batch, 1, 1000], [EventType.ProcStart, 0, 11]];
  for (let g = 1; g <= n; g++) events.push([EventType.GoCreate, 10, g, 0, 0]);
  events.push([EventType.ProcStop, 10]);
  return writeTrace(events);
}

test('counts are kept in 8-bit integers while they fit, and widened, exact, when they grow past', () => {
  const small = buildTimeline(readTrace(hostileTrace(), 'hostile.trace')).counters.find((c) => c.name === 'Goroutines')!;
  assert.ok(small.values instanceof Uint8Array, `values are ${small.values.constructor.name}`);
  for (const [n, type] of [[300, Uint16Array], [70_000, Uint32Array]] as const) {
    const c = buildTimeline(readTrace(manyCreated(n), `many-${n}.trace`)).counters.find((c) => c.name === 'Goroutines')!;
    assert.ok(c.values instanceof type, `${n}: values are ${c.values.constructor.name}`);
    // Runnable (the second series) counts 1, 2, … n, one point per creation.
    const runnable = Array.from({ length: c.at.length }, (_, i) => c.values[i * 3 + 1]!);
    assert.equal(runnable.length, n);
    assert.ok(runnable.every((v, i) => v === i + 1), `${n}: runnable counts ${runnable.slice(250, 260)}`);
  }
});
