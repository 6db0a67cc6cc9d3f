// Stack ids of any size: the reader keeps an event's stack id in 4 bytes and the rare larger ids
// aside (issue 16); an event must still find its stack whatever the size of the id. The ids here
// are chosen around the 4-byte limit. Debian's Go 1.19 `go tool trace -d` reads the same bytes as
// these six GoCreates (it prints no stacks); which stack each one has was checked by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType, stackFrames } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { writeTrace } from './trace-writer.js';

const ids = [7, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 3];

const trace = writeTrace([
  [EventType.Frequency, 1e9],
  ...ids.map((_, k) => ({ string: 10 + k, text: `main.f${k}` })),
  { string: 1, text: '/src/main.go' },
  ...ids.map((id, k): number[] => [EventType.Stack, id, 1, 0x401000 + k, 10 + k, 1, 20 + k]),
  [EventType.Batch, 0, 1000],
  [EventType.ProcStart, 0, 3],
  // One GoCreate per stack id, in reverse order; its own stack is the last argument.
  ...ids.map((_, k): number[] => [EventType.GoCreate, 1, 100 + k, 0, ids[ids.length - 1 - k]!]),
  [EventType.ProcStop, 1],
]);

test('every event finds its stack, also when the stack id does not fit in 4 bytes', () => {
  const t = readTrace(trace, 'ids.trace');
  const creates: { g: number; fn: string; line: number }[] = [];
  for (let i = 0; i < t.events.length; i++) {
    if (t.events.type[i] !== EventType.GoCreate) continue;
    const [frame] = stackFrames(t, t.events.stack[i]!);
    creates.push({ g: t.events.args[i * 3]!, fn: frame?.fn ?? '', line: frame?.line ?? 0 });
  }
  assert.deepEqual(creates, [
    { g: 100, fn: 'main.f5', line: 25 },
    { g: 101, fn: 'main.f4', line: 24 },
    { g: 102, fn: 'main.f3', line: 23 },
    { g: 103, fn: 'main.f2', line: 22 },
    { g: 104, fn: 'main.f1', line: 21 },
    { g: 105, fn: 'main.f0', line: 20 },
  ]);
});
