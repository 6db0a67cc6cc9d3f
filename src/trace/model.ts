// The Trace model: a Go execution trace read, ordered and linked, in columnar tables.
//
// A 2.8 MB trace holds about a million events and a 100 MB one tens of millions, so there is no
// object per event: events are parallel typed arrays indexed 0..n-1 in the order Go's own parser
// (Go 1.19 internal/trace, parser.go and order.go) puts them, which is time order. Stacks and
// strings are tables that events point into. Both trace formats (the old one of Go 1.5–1.21, and
// the generational one of Go 1.22+) end in this model, so analyses never ask which one they read.
//
// A Trace is never mutated after the reader returns it.

/**
 * EventType numbers the old format's events exactly as Go 1.19's internal/trace names them
 * (EvGoCreate is EventType.GoCreate = 13): the numbers on the wire, and in `go tool trace -d`.
 * The three "Local" kinds (GoStartLocal, GoUnblockLocal, GoSysExitLocal) exist only on the wire:
 * the reader turns them into GoStart, GoUnblock and GoSysExit, as Go's does.
 */
export const EventType = {
  None: 0,
  Batch: 1,
  Frequency: 2,
  Stack: 3,
  Gomaxprocs: 4,
  ProcStart: 5,
  ProcStop: 6,
  GCStart: 7,
  GCDone: 8,
  GCSTWStart: 9,
  GCSTWDone: 10,
  GCSweepStart: 11,
  GCSweepDone: 12,
  GoCreate: 13,
  GoStart: 14,
  GoEnd: 15,
  GoStop: 16,
  GoSched: 17,
  GoPreempt: 18,
  GoSleep: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoBlockSend: 22,
  GoBlockRecv: 23,
  GoBlockSelect: 24,
  GoBlockSync: 25,
  GoBlockCond: 26,
  GoBlockNet: 27,
  GoSysCall: 28,
  GoSysExit: 29,
  GoSysBlock: 30,
  GoWaiting: 31,
  GoInSyscall: 32,
  HeapAlloc: 33,
  HeapGoal: 34,
  TimerGoroutine: 35,
  FutileWakeup: 36,
  String: 37,
  GoStartLocal: 38,
  GoUnblockLocal: 39,
  GoSysExitLocal: 40,
  GoStartLabel: 41,
  GoBlockGC: 42,
  GCMarkAssistStart: 43,
  GCMarkAssistDone: 44,
  UserTaskCreate: 45,
  UserTaskEnd: 46,
  UserRegion: 47,
  UserLog: 48,
  CPUSample: 49,
} as const;

/** EventTypeName is the name of an event type, such as 'GoCreate'. */
export type EventTypeName = keyof typeof EventType;

/** eventTypeCount is one past the highest event type number. */
export const eventTypeCount = 50;

/** EventDescription says what one event type's arguments are. */
export interface EventDescription {
  /** The name, as `go tool trace -d` prints it. */
  readonly name: EventTypeName;
  /** The first trace version (1005 = Go 1.5) whose traces may hold it. */
  readonly minVersion: number;
  /** Whether the event carries a stack (then Events.stack says which). */
  readonly stack: boolean;
  /** The names of the numeric arguments, in the order of Events.args. */
  readonly args: readonly string[];
  /** The names of the string arguments (see stringArgs). */
  readonly stringArgs: readonly string[];
}

const d = (name: EventTypeName, minVersion: number, stack: boolean, args: readonly string[], stringArgs: readonly string[] = []): EventDescription => ({
  name,
  minVersion,
  stack,
  args,
  stringArgs,
});

/**
 * eventDescriptions describes every event type, indexed by number; it drives the reader's argument
 * counts, the `events` dump and the JSON. The argument names are Go 1.19's (parser.go), which the
 * `-d` output prints.
 */
export const eventDescriptions: readonly EventDescription[] = [
  d('None', 1005, false, []),
  d('Batch', 1005, false, ['p', 'ticks']),
  d('Frequency', 1005, false, ['freq']),
  d('Stack', 1005, false, ['id', 'siz']),
  d('Gomaxprocs', 1005, true, ['procs']),
  d('ProcStart', 1005, false, ['thread']),
  d('ProcStop', 1005, false, []),
  d('GCStart', 1005, true, ['seq']),
  d('GCDone', 1005, false, []),
  d('GCSTWStart', 1005, false, ['kindid'], ['kind']),
  d('GCSTWDone', 1005, false, []),
  d('GCSweepStart', 1005, true, []),
  d('GCSweepDone', 1005, false, ['swept', 'reclaimed']),
  d('GoCreate', 1005, true, ['g', 'stack']),
  d('GoStart', 1005, false, ['g', 'seq']),
  d('GoEnd', 1005, false, []),
  d('GoStop', 1005, true, []),
  d('GoSched', 1005, true, []),
  d('GoPreempt', 1005, true, []),
  d('GoSleep', 1005, true, []),
  d('GoBlock', 1005, true, []),
  d('GoUnblock', 1005, true, ['g', 'seq']),
  d('GoBlockSend', 1005, true, []),
  d('GoBlockRecv', 1005, true, []),
  d('GoBlockSelect', 1005, true, []),
  d('GoBlockSync', 1005, true, []),
  d('GoBlockCond', 1005, true, []),
  d('GoBlockNet', 1005, true, []),
  d('GoSysCall', 1005, true, []),
  d('GoSysExit', 1005, false, ['g', 'seq', 'ts']),
  d('GoSysBlock', 1005, false, []),
  d('GoWaiting', 1005, false, ['g']),
  d('GoInSyscall', 1005, false, ['g']),
  d('HeapAlloc', 1005, false, ['mem']),
  d('HeapGoal', 1005, false, ['mem']),
  d('TimerGoroutine', 1005, false, ['g']),
  d('FutileWakeup', 1005, false, []),
  d('String', 1007, false, []),
  d('GoStartLocal', 1007, false, ['g']),
  d('GoUnblockLocal', 1007, true, ['g']),
  d('GoSysExitLocal', 1007, false, ['g', 'ts']),
  d('GoStartLabel', 1008, false, ['g', 'seq', 'labelid'], ['label']),
  d('GoBlockGC', 1008, true, []),
  d('GCMarkAssistStart', 1009, true, []),
  d('GCMarkAssistDone', 1009, false, []),
  d('UserTaskCreate', 1011, true, ['taskid', 'pid', 'typeid'], ['name']),
  d('UserTaskEnd', 1011, true, ['taskid']),
  d('UserRegion', 1011, true, ['taskid', 'mode', 'typeid'], ['name']),
  d('UserLog', 1011, true, ['id', 'keyid'], ['category', 'message']),
  d('CPUSample', 1019, true, ['ts', 'p', 'g']),
];

/**
 * Special values of Events.p, as Go numbers them: events that belong to no real P are drawn on
 * these. TimerP: unblocks by the timer goroutine; NetpollP: unblocks by the network poller;
 * SyscallP: returns from syscalls; GCP: GC start; ProfileP: where CPU samples wait to be merged.
 */
export const SpecialP = {
  FakeP: 1000000,
  TimerP: 1000001,
  NetpollP: 1000002,
  SyscallP: 1000003,
  GCP: 1000004,
  ProfileP: 1000005,
} as const;

/** argsPerEvent is the number of argument slots each event has in Events.args. */
export const argsPerEvent = 3;

/**
 * Events holds every event, in order (time order, ties as Go's parser leaves them).
 *
 * Event i is type[i] at ts[i] on P p[i] (a real P, or one of SpecialP) by goroutine g[i]; its
 * numeric arguments are args[3i], args[3i+1], args[3i+2], named by eventDescriptions[type].args
 * (unused slots are 0). Two slots carry more than Go prints: a UserLog's third slot is the
 * Trace.strings index of its message, and a GCSTWStart's kind name is stwKindName's.
 */
export interface Events {
  readonly length: number;
  /** The event type (an EventType value). */
  readonly type: Uint8Array;
  /** Nanoseconds since the trace's first event (ticks converted with the Frequency event). */
  readonly ts: Float64Array;
  /** The P the event happened on, or one of SpecialP. */
  readonly p: Int32Array;
  /**
   * The goroutine the event happened on (0: none, or the runtime). A Uint32Array when every id
   * fits in 32 bits, as Go's do (they count up from 1 and are never reused): 4 bytes an event fewer to
   * touch; a Float64Array, exact up to 2^53, for a trace with larger ids.
   */
  readonly g: Uint32Array | Float64Array;
  /** The byte offset of the event in the trace file (what `go tool trace -d` prints as off=). */
  readonly off: Uint32Array;
  /**
   * The numeric arguments, argsPerEvent per event, exact up to 2^53 (see Trace.bigArgs). 4 bytes
   * a slot (Uint32Array) while every value is an unsigned 32-bit integer, as ids, sequence numbers
   * and string indexes are: the column is a trace's largest, and a page first touched is what
   * reading costs. The few slots that hold times or heap sizes (spillsWideArgs) keep a wider value
   * in wideArgs and 0 in the column, so real traces stay narrow; any other slot's wider value
   * (negative, fractional, past 2^32−1) makes the column a Float64Array. Read spilled slots with
   * argAt.
   */
  readonly args: Uint32Array | Float64Array;
  /** Values of spillsWideArgs slots that do not fit the Uint32Array column: slot key → value. */
  readonly wideArgs?: ReadonlyMap<number, number>;
  /**
   * The event's stack: an index into Trace.stacks, 0 for none. A GoStart gets the stack its
   * goroutine was created with (the GoCreate's `stack` argument), as in Go's parser.
   */
  readonly stack: Uint32Array;
  /**
   * The index of the linked event, or -1. As Go's parser links them: GCStart → GCDone;
   * GCSTWStart → GCSTWDone; GCSweepStart → GCSweepDone; GoCreate → the goroutine's first GoStart;
   * GoStart/GoStartLabel → the GoEnd, GoStop, GoSched, GoPreempt, GoSysBlock or blocking event that
   * ends the run; GoSched/GoPreempt → the next GoStart; a blocking event (GoBlock*, GoSleep) → its
   * GoUnblock; GoUnblock → the GoStart it makes possible; a blocking GoSysCall → its GoSysExit;
   * GoSysExit → the next GoStart; GCMarkAssistStart → GCMarkAssistDone; UserTaskCreate →
   * UserTaskEnd; a UserRegion start → its end (or the goroutine's GoEnd).
   */
  readonly link: Int32Array;
}

/**
 * Stacks holds the trace's stacks: stack k (1 ≤ k < length; 0 is the empty stack) has frames
 * frameStart[k] .. frameStart[k+1]-1, leaf first; frame f is pc[f], in function strings[fn[f]]
 * at strings[file[f]]:line[f]. id[k] is the stack's id in the trace (GoCreate's `stack` argument
 * names one). Go 1.5 and 1.6 traces hold PCs only (fn and file are 0, the empty string).
 */
export interface Stacks {
  readonly length: number;
  readonly id: Float64Array;
  readonly frameStart: Uint32Array;
  readonly pc: Float64Array;
  readonly fn: Uint32Array;
  readonly file: Uint32Array;
  readonly line: Float64Array;
}

/** newStacks allocates a Stacks table of `length` stacks and `frames` frames, for a reader to fill. */
export function newStacks(length: number, frames: number): Stacks {
  return {
    length,
    id: new Float64Array(length),
    frameStart: new Uint32Array(length + 1),
    pc: new Float64Array(frames),
    fn: new Uint32Array(frames),
    file: new Uint32Array(frames),
    line: new Float64Array(frames),
  };
}

/** Trace is one execution trace, read, ordered and linked. */
export interface Trace {
  /** The format version as Go numbers it: 1019 for a `go 1.19 trace` header. */
  readonly version: number;
  /** The trace clock's ticks per second (the Frequency event). */
  readonly ticksPerSecond: number;
  readonly events: Events;
  readonly stacks: Stacks;
  /** The string table; index 0 is "". Frames, labels, task and region names point here. */
  readonly strings: readonly string[];
  /** The trace's own string ids (EvString's) → index into strings. */
  readonly stringIds: ReadonlyMap<number, number>;
  /** Stack ids of the trace → index into stacks. */
  readonly stackIds: ReadonlyMap<number, number>;
  /** Goroutines that the trace marks as timer goroutines (EvTimerGoroutine, Go < 1.14). */
  readonly timerGoroutines: ReadonlySet<number>;
  /** Arguments above 2^53, exactly: key i*argsPerEvent+slot (few or none in real traces). */
  readonly bigArgs: ReadonlyMap<number, bigint>;
  /**
   * Go 1.22+ traces only: GoSysCall event index → the time its syscall returned with its P kept.
   * The old format has no event for such a return, so it has no link; Go 1.22+'s syscall profile
   * counts these syscalls too.
   */
  readonly fastSyscallEnds?: ReadonlyMap<number, number>;
  /**
   * Go 1.22+ traces only: when each generation begins (its earliest batch's time, where Go 1.22+'s
   * reader puts the generation's sync), ascending; the first may precede time 0 (the first event).
   * A goroutine first seen in a generation through a status event existed since at least then.
   */
  readonly generationStarts?: readonly number[];
}

/** stringById returns the string a trace string id names, "" when the trace defines none. */
export function stringById(t: Trace, id: number): string {
  const i = t.stringIds.get(id);
  return i === undefined ? '' : t.strings[i]!;
}

/** stackIndex returns the Stacks index of a trace stack id, 0 (empty) when it names no stack. */
export function stackIndex(t: Trace, id: number): number {
  return t.stackIds.get(id) ?? 0;
}

// Go 1.21 records why the world stopped; the runtime's own words (runtime.stwReason in Go 1.21).
const stwReasons1021 = [
  'unknown',
  'GC mark termination',
  'GC sweep termination',
  'write heap dump',
  'goroutine profile',
  'goroutine profile cleanup',
  'all goroutines stack trace',
  'read mem stats',
  'AllThreadsSyscall',
  'GOMAXPROCS',
  'start trace',
  'stop trace',
  'CountPagesInUse (test)',
  'ReadMetricsSlow (test)',
  'ReadMemStatsSlow (test)',
  'PageCachePagesLeaked (test)',
  'ResetDebugLog (test)',
];

/**
 * stwKindName names the kind of a GCSTWStart: Go 1.10–1.19 know two (0 mark termination, 1 sweep
 * termination, as Go 1.19's parser words them); Go 1.21 records the runtime's reason.
 */
export function stwKindName(version: number, kind: number): string {
  if (version >= 1021) return stwReasons1021[kind] ?? 'unknown';
  return kind === 0 ? 'mark termination' : kind === 1 ? 'sweep termination' : 'unknown';
}

/** stringArgs returns event i's string arguments, named by its description's stringArgs. */
export function stringArgs(t: Trace, i: number): string[] {
  const ev = t.events;
  const a = i * argsPerEvent;
  switch (ev.type[i]) {
    case EventType.GCSTWStart:
      return [stwKindName(t.version, ev.args[a]!)];
    case EventType.GoStartLabel:
    case EventType.UserTaskCreate:
    case EventType.UserRegion:
      return [stringById(t, ev.args[a + 2]!)];
    case EventType.UserLog:
      return [stringById(t, ev.args[a + 1]!), t.strings[ev.args[a + 2]!] ?? ''];
    default:
      return [];
  }
}

/** Frame is one resolved stack frame, for views that want objects (few at a time). */
export interface Frame {
  readonly pc: number;
  readonly fn: string;
  readonly file: string;
  readonly line: number;
}

/** stackFrames returns the frames of stack k (an Events.stack value), leaf first. */
export function stackFrames(t: Trace, k: number): Frame[] {
  const s = t.stacks;
  if (k <= 0 || k >= s.length) return [];
  const out: Frame[] = [];
  for (let f = s.frameStart[k]!; f < s.frameStart[k + 1]!; f++) {
    out.push({ pc: s.pc[f]!, fn: t.strings[s.fn[f]!]!, file: t.strings[s.file[f]!]!, line: s.line[f]! });
  }
  return out;
}

/**
 * spillsWideArgs[type] has bit k set when slot k of that event type keeps a value too wide for a
 * 4-byte column in Events.wideArgs instead of widening the column: an old-format GoSysExit's
 * real time in ticks, heap sizes (past 4 GB in big programs), a Go 1.22+ CPU sample's time (past
 * 2^32 ns in a trace longer than 4.3 s), a CPU sample's P when it had none (-1, 2^64−1 on the
 * wire) and a ProcStart's thread (a pthread address on macOS). Their readers go through argAt.
 */
export const spillsWideArgs: Uint8Array = (() => {
  const bits = new Uint8Array(256);
  bits[EventType.GoSysExit] = 1 << 2;
  bits[EventType.HeapAlloc] = 1 << 0;
  bits[EventType.HeapGoal] = 1 << 0;
  bits[EventType.CPUSample] = (1 << 0) | (1 << 1);
  bits[EventType.ProcStart] = 1 << 0;
  return bits;
})();

/** fitsNarrowArg is whether an argument fits the Uint32Array column exactly. */
export function fitsNarrowArg(v: number): boolean {
  return v >>> 0 === v;
}

/**
 * putArg stores v in slot `slot` (key = i*argsPerEvent+slot) of an event of type `type` exactly,
 * as Events.args describes: in the column when it fits, else in `wide` for a spilled slot, else in
 * the column made 8 bytes a value (a copy of its first `used` values). Returns the column.
 */
export function putArg(args: Uint32Array | Float64Array, wide: Map<number, number>, type: number, slot: number, key: number, v: number, used: number): Uint32Array | Float64Array {
  const spill = (spillsWideArgs[type]! & (1 << slot)) !== 0;
  if (fitsNarrowArg(v) || (args instanceof Float64Array && !spill)) {
    args[key] = v;
    return args;
  }
  if (spill) {
    wide.set(key, v);
    args[key] = 0;
    return args;
  }
  const widened = new Float64Array(args.length);
  widened.set(args.subarray(0, used));
  widened[key] = v;
  return widened;
}

/** argAt returns the argument at slot key (i*argsPerEvent+k) as a number, spilled ones too. */
export function argAt(ev: Pick<Events, 'args' | 'wideArgs'>, key: number): number {
  const v = ev.args[key]!;
  return v === 0 && ev.wideArgs !== undefined && ev.wideArgs.size > 0 ? (ev.wideArgs.get(key) ?? 0) : v;
}

/** argValue returns event i's argument in slot k exactly: a bigint only when above 2^53. */
export function argValue(t: Trace, i: number, k: number): number | bigint {
  const key = i * argsPerEvent + k;
  return t.bigArgs.size > 0 ? (t.bigArgs.get(key) ?? argAt(t.events, key)) : argAt(t.events, key);
}
