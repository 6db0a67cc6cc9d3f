// The event types of the generational trace format (Go 1.22+), as numbered on the wire, with the
// count of their arguments per version. Specification: Go's internal/trace/tracev2 (events.go,
// spec.go) and the design "Execution tracer overhaul" (golang/proposal design/60773).

/** GenType numbers the generational format's event types: the first byte of each event. */
export const GenType = {
  EventBatch: 1,
  Stacks: 2,
  Stack: 3,
  Strings: 4,
  String: 5,
  CPUSamples: 6,
  CPUSample: 7,
  Frequency: 8,
  ProcsChange: 9,
  ProcStart: 10,
  ProcStop: 11,
  ProcSteal: 12,
  ProcStatus: 13,
  GoCreate: 14,
  GoCreateSyscall: 15,
  GoStart: 16,
  GoDestroy: 17,
  GoDestroySyscall: 18,
  GoStop: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoSyscallBegin: 22,
  GoSyscallEnd: 23,
  GoSyscallEndBlocked: 24,
  GoStatus: 25,
  STWBegin: 26,
  STWEnd: 27,
  GCActive: 28,
  GCBegin: 29,
  GCEnd: 30,
  GCSweepActive: 31,
  GCSweepBegin: 32,
  GCSweepEnd: 33,
  GCMarkAssistActive: 34,
  GCMarkAssistBegin: 35,
  GCMarkAssistEnd: 36,
  HeapAlloc: 37,
  HeapGoal: 38,
  GoLabel: 39,
  UserTaskBegin: 40,
  UserTaskEnd: 41,
  UserRegionBegin: 42,
  UserRegionEnd: 43,
  UserLog: 44,
  // Go 1.23: coroutine switches, statuses with a stack, experimental batches.
  GoSwitch: 45,
  GoSwitchDestroy: 46,
  GoCreateBlocked: 47,
  GoStatusStack: 48,
  ExperimentalBatch: 49,
  // Go 1.25: a sync batch (frequency and a clock snapshot) opens each generation.
  Sync: 50,
  ClockSnapshot: 51,
  // Go 1.26: an explicit end of each generation.
  EndOfGeneration: 52,
} as const;

/** genVersions are the generational versions this reader knows (1022 = Go 1.22). */
export const genVersions: readonly number[] = [1022, 1023, 1025, 1026];

/** lastType is the highest event type each version may hold (later ones are invalid in it). */
export function lastType(ver: number): number {
  if (ver >= 1026) return GenType.EndOfGeneration;
  if (ver >= 1025) return GenType.ClockSnapshot;
  if (ver >= 1023) return GenType.ExperimentalBatch;
  return GenType.UserLog;
}

/**
 * genNames lists each type's name and argument names as Go's text form spells them; for timed
 * events the first argument is `dt`, the time since the previous event of the batch. Index = type.
 */
export const genSpecs: readonly (readonly [string, readonly string[]])[] = [
  ['None', []],
  ['EventBatch', ['gen', 'm', 'time', 'size']],
  ['Stacks', []],
  ['Stack', ['id', 'nframes']],
  ['Strings', []],
  ['String', ['id']],
  ['CPUSamples', []],
  ['CPUSample', ['time', 'm', 'p', 'g', 'stack']],
  ['Frequency', ['freq']],
  ['ProcsChange', ['dt', 'procs_value', 'stack']],
  ['ProcStart', ['dt', 'p', 'p_seq']],
  ['ProcStop', ['dt']],
  ['ProcSteal', ['dt', 'p', 'p_seq', 'm']],
  ['ProcStatus', ['dt', 'p', 'pstatus']],
  ['GoCreate', ['dt', 'new_g', 'new_stack', 'stack']],
  ['GoCreateSyscall', ['dt', 'new_g']],
  ['GoStart', ['dt', 'g', 'g_seq']],
  ['GoDestroy', ['dt']],
  ['GoDestroySyscall', ['dt']],
  ['GoStop', ['dt', 'reason_string', 'stack']],
  ['GoBlock', ['dt', 'reason_string', 'stack']],
  ['GoUnblock', ['dt', 'g', 'g_seq', 'stack']],
  ['GoSyscallBegin', ['dt', 'p_seq', 'stack']],
  ['GoSyscallEnd', ['dt']],
  ['GoSyscallEndBlocked', ['dt']],
  ['GoStatus', ['dt', 'g', 'm', 'gstatus']],
  ['STWBegin', ['dt', 'kind_string', 'stack']],
  ['STWEnd', ['dt']],
  ['GCActive', ['dt', 'gc_seq']],
  ['GCBegin', ['dt', 'gc_seq', 'stack']],
  ['GCEnd', ['dt', 'gc_seq']],
  ['GCSweepActive', ['dt', 'p']],
  ['GCSweepBegin', ['dt', 'stack']],
  ['GCSweepEnd', ['dt', 'swept_value', 'reclaimed_value']],
  ['GCMarkAssistActive', ['dt', 'g']],
  ['GCMarkAssistBegin', ['dt', 'stack']],
  ['GCMarkAssistEnd', ['dt']],
  ['HeapAlloc', ['dt', 'heapalloc_value']],
  ['HeapGoal', ['dt', 'heapgoal_value']],
  ['GoLabel', ['dt', 'label_string']],
  ['UserTaskBegin', ['dt', 'task', 'parent_task', 'name_string', 'stack']],
  ['UserTaskEnd', ['dt', 'task', 'stack']],
  ['UserRegionBegin', ['dt', 'task', 'name_string', 'stack']],
  ['UserRegionEnd', ['dt', 'task', 'name_string', 'stack']],
  ['UserLog', ['dt', 'task', 'key_string', 'value_string', 'stack']],
  ['GoSwitch', ['dt', 'g', 'g_seq']],
  ['GoSwitchDestroy', ['dt', 'g', 'g_seq']],
  ['GoCreateBlocked', ['dt', 'new_g', 'new_stack', 'stack']],
  ['GoStatusStack', ['dt', 'g', 'm', 'gstatus', 'stack']],
  ['ExperimentalBatch', ['exp', 'gen', 'm', 'time']],
  ['Sync', []],
  ['ClockSnapshot', ['dt', 'mono', 'sec', 'nsec']],
  ['EndOfGeneration', []],
];

/**
 * experimentalArgs is the argument count (dt included) of the experimental events (type 128 on,
 * Go 1.23+'s alloc/free experiment): the reader skips them, but must know their length.
 */
export const experimentalArgs: ReadonlyMap<number, number> = new Map([
  [128, 4], // Span: dt id npages kindclass
  [129, 4], // SpanAlloc
  [130, 2], // SpanFree
  [131, 3], // HeapObject: dt id type
  [132, 3], // HeapObjectAlloc
  [133, 2], // HeapObjectFree
  [134, 3], // GoroutineStack: dt id order
  [135, 3], // GoroutineStackAlloc
  [136, 2], // GoroutineStackFree
]);

/** Goroutine statuses of GoStatus events. */
export const GoStatus = { Bad: 0, Runnable: 1, Running: 2, Syscall: 3, Waiting: 4 } as const;
/** P statuses of ProcStatus events (SyscallAbandoned: first seen being stolen from a syscall). */
export const ProcStatus = { Bad: 0, Running: 1, Idle: 2, Syscall: 3, SyscallAbandoned: 4 } as const;

export const goStatusNames = ['Bad', 'Runnable', 'Running', 'Syscall', 'Waiting'];
export const procStatusNames = ['Bad', 'Running', 'Idle', 'Syscall', 'Syscall'];

/** Limits the runtime never exceeds; a trace beyond them is damaged. */
export const maxBatchSize = 64 << 10;
export const maxFramesPerStack = 128;
export const maxStringSize = 1 << 10;
