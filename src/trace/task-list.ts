// The tasks of one type, each with its span, for the web UI's Tasks page: a bucket of the duration
// histogram (annotations.ts) lists its tasks, and a task opens on the timeline.

import { EventType, argsPerEvent, stringById, type Trace } from './model.js';

/** TaskSpan is one complete task: created and ended in the trace. */
export interface TaskSpan {
  readonly id: number;
  readonly type: string;
  readonly start: number;
  readonly end: number;
  /** The goroutine that created it. */
  readonly g: number;
}

/**
 * taskSpans lists the complete tasks of type `type` whose duration is in [from, to), by start
 * (the histogram counts only complete tasks too), at most `limit` of them.
 */
export function taskSpans(t: Trace, type: string, from = 0, to = Infinity, limit = 1000): TaskSpan[] {
  const ev = t.events;
  const out: TaskSpan[] = [];
  for (let i = 0; i < ev.length && out.length < limit; i++) {
    if (ev.type[i] !== EventType.UserTaskCreate) continue;
    const a = i * argsPerEvent;
    if (stringById(t, ev.args[a + 2]!) !== type) continue;
    const id = ev.args[a]!;
    // The create links to the end when the trace holds both.
    const end = ev.link[i]!;
    if (end < 0 || ev.type[end] !== EventType.UserTaskEnd) continue;
    const d = ev.ts[end]! - ev.ts[i]!;
    if (d >= from && d < to) out.push({ id, type, start: ev.ts[i]!, end: ev.ts[end]!, g: ev.g[i]! });
  }
  return out;
}
