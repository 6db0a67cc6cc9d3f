// Checking an ordered trace and linking its events, as Go 1.19's postProcessTrace
// (internal/trace/parser.go) does: every goroutine and P is followed through its states (a P does
// not run two goroutines, a goroutine is blocked before it is unblocked, …), and each event that
// starts something gets the index of the event that ends it (see Events.link). Where Go finds the
// trace inconsistent, so do we, with Go's words, offset and time.

import { type Events, EventType as E, SpecialP, argsPerEvent, eventDescriptions } from '../model.js';
import { ObjectTable } from './id-tables.js';
import { TraceFormatError } from './wire.js';

const gDead = 0;
const gRunnable = 1;
const gRunning = 2;
const gWaiting = 3;

/** GDesc is what the check knows of one goroutine; event fields are indexes, -1 for none. */
class GDesc {
  state = gDead;
  ev = -1;
  evStart = -1;
  evCreate = -1;
  evMarkAssist = -1;
}

/** PDesc is what the check knows of one P. */
class PDesc {
  running = false;
  g = 0;
  evSTW = -1;
  evSweep = -1;

  clone(): PDesc {
    const c = new PDesc();
    c.copyFrom(this);
    return c;
  }

  copyFrom(o: PDesc): void {
    this.running = o.running;
    this.g = o.g;
    this.evSTW = o.evSTW;
    this.evSweep = o.evSweep;
  }
}

/**
 * TaskStarts holds the event index of each open task's UserTaskCreate, -1 for none or ended. Go
 * numbers tasks from 1 in each process, so a trace's ids are a dense range that need not start
 * near 1: they index an array from the first id seen, and any id far outside it goes to a Map.
 * (A Map of all of them took ~0.2 s to grow on the 100 MB trace; one that also deleted its ended
 * tasks slowed to microseconds per operation.)
 */
class TaskStarts {
  private base = -1;
  private dense = new Int32Array(0); // event index + 1; 0: none
  private readonly sparse = new Map<number, number>();

  get(id: number): number {
    const k = id - this.base;
    if (k >= 0 && k < this.dense.length && this.base >= 0) {
      const v = this.dense[k] ?? 0; // a fractional id (Float64 args) reads none
      if (v !== 0 || this.sparse.size === 0) return v - 1;
    }
    return this.sparse.get(id) ?? -1;
  }

  set(id: number, i: number): void {
    if (this.base < 0 && Number.isSafeInteger(id) && id >= 0) this.base = id;
    const k = id - this.base;
    if (Number.isInteger(k) && k >= 0 && k < this.dense.length + (1 << 16)) {
      if (k >= this.dense.length) {
        const next = new Int32Array(Math.max(1024, k + 1, this.dense.length * 2));
        next.set(this.dense);
        this.dense = next;
      }
      this.dense[k] = i + 1;
      // An id kept in the Map before the array reached it is now the array's alone.
      if (this.sparse.size > 0) this.sparse.delete(id);
    } else {
      this.sparse.set(id, i);
    }
  }
}

/**
 * linkEvents checks the ordered events and fills ev.link (the columns are still being built:
 * Events is read-only to everyone after the reader), the GoStarts' stacks (from their
 * GoCreate; stackIndex resolves the trace's stack ids) and the P of GC starts and network unblocks.
 * `name` returns a region's name, for matching region ends with starts.
 */
export function linkEvents(ev: Events, ver: number, stackIndex: (id: number) => number, regionName: (i: number) => string): void {
  const gs = new ObjectTable<GDesc>();
  const ps = new ObjectTable<PDesc>();
  const tasks = new TaskStarts();
  const activeRegions = new ObjectTable<number[]>(); // by goroutine
  const g0 = new GDesc();
  g0.state = gRunning;
  gs.set(0, g0);
  let evGC = -1;
  let evSTW = -1;
  const link = ev.link;
  const args = ev.args;
  // The columns in locals: the loop reads them at every event.
  const types = ev.type;
  const gcol = ev.g;
  const pcol = ev.p;

  const where = (i: number): string => `(offset ${ev.off[i]}, time ${ev.ts[i]})`;
  const nameOf = (i: number): string => eventDescriptions[ev.type[i]!]!.name;
  const checkRunning = (p: PDesc, g: GDesc, i: number, allowG0: boolean): void => {
    const gid = ev.g[i]!;
    if (g.state !== gRunning) throw new TraceFormatError(`g ${gid} is not running while ${nameOf(i)} ${where(i)}`);
    if (p.g !== gid) throw new TraceFormatError(`p ${ev.p[i]} is not running g ${gid} while ${nameOf(i)} ${where(i)}`);
    if (!allowG0 && gid === 0) throw new TraceFormatError(`g 0 did ${nameOf(i)} ${where(i)}`);
  };

  for (let i = 0; i < ev.length; i++) {
    const gid = gcol[i]!;
    const pid = pcol[i]!;
    // Go keeps these by value and writes them back after the event; ours are objects, changed in
    // place, so only one not there yet is stored (an event of an unknown goroutine makes it known).
    const knownG = gs.get(gid);
    const g = knownG ?? new GDesc();
    const knownP = ps.get(pid);
    const p = knownP ?? new PDesc();
    const a = i * argsPerEvent;

    switch (types[i]) {
      case E.ProcStart:
        if (p.running) throw new TraceFormatError(`p ${pid} is running before start ${where(i)}`);
        p.running = true;
        break;
      case E.ProcStop:
        if (!p.running) throw new TraceFormatError(`p ${pid} is not running before stop ${where(i)}`);
        if (p.g !== 0) throw new TraceFormatError(`p ${pid} is running a goroutine ${p.g} during stop ${where(i)}`);
        p.running = false;
        break;
      case E.GCStart:
        if (evGC >= 0) throw new TraceFormatError(`previous GC is not ended before a new one ${where(i)}`);
        evGC = i;
        pcol[i] = SpecialP.GCP; // the global GC state
        break;
      case E.GCDone:
        if (evGC < 0) throw new TraceFormatError(`bogus GC end ${where(i)}`);
        link[evGC] = i;
        evGC = -1;
        break;
      case E.GCSTWStart:
        // Before Go 1.10 a stop-the-world was recorded per P.
        if (ver < 1010) {
          if (p.evSTW >= 0) throw new TraceFormatError(`previous STW is not ended before a new one ${where(i)}`);
          p.evSTW = i;
        } else {
          if (evSTW >= 0) throw new TraceFormatError(`previous STW is not ended before a new one ${where(i)}`);
          evSTW = i;
        }
        break;
      case E.GCSTWDone:
        if (ver < 1010) {
          if (p.evSTW < 0) throw new TraceFormatError(`bogus STW end ${where(i)}`);
          link[p.evSTW] = i;
          p.evSTW = -1;
        } else {
          if (evSTW < 0) throw new TraceFormatError(`bogus STW end ${where(i)}`);
          link[evSTW] = i;
          evSTW = -1;
        }
        break;
      case E.GCSweepStart:
        if (p.evSweep >= 0) throw new TraceFormatError(`previous sweeping is not ended before a new one ${where(i)}`);
        p.evSweep = i;
        break;
      case E.GCMarkAssistStart:
        if (g.evMarkAssist >= 0) throw new TraceFormatError(`previous mark assist is not ended before a new one ${where(i)}`);
        g.evMarkAssist = i;
        break;
      case E.GCMarkAssistDone:
        // A mark assist may be under way when tracing starts: no error when none began.
        if (g.evMarkAssist >= 0) {
          link[g.evMarkAssist] = i;
          g.evMarkAssist = -1;
        }
        break;
      case E.GCSweepDone:
        if (p.evSweep < 0) throw new TraceFormatError(`bogus sweeping end ${where(i)}`);
        link[p.evSweep] = i;
        p.evSweep = -1;
        break;
      case E.GoWaiting:
        if (g.state !== gRunnable) throw new TraceFormatError(`g ${gid} is not runnable before EvGoWaiting ${where(i)}`);
        g.state = gWaiting;
        g.ev = i;
        break;
      case E.GoInSyscall:
        if (g.state !== gRunnable) throw new TraceFormatError(`g ${gid} is not runnable before EvGoInSyscall ${where(i)}`);
        g.state = gWaiting;
        g.ev = i;
        break;
      case E.GoCreate: {
        checkRunning(p, g, i, true);
        const child = args[a]!;
        if (gs.has(child)) throw new TraceFormatError(`g ${child} already exists ${where(i)}`);
        const c = new GDesc();
        c.state = gRunnable;
        c.ev = i;
        c.evCreate = i;
        gs.set(child, c);
        break;
      }
      case E.GoStart:
      case E.GoStartLabel:
        if (g.state !== gRunnable) throw new TraceFormatError(`g ${gid} is not runnable before start ${where(i)}`);
        if (p.g !== 0) throw new TraceFormatError(`p ${pid} is already running g ${p.g} while start g ${gid} ${where(i)}`);
        g.state = gRunning;
        g.evStart = i;
        p.g = gid;
        if (g.evCreate >= 0) {
          // Go 1.5/1.6 traces name the creation PC only; there is no stack to point to.
          if (ver >= 1007) ev.stack[i] = stackIndex(args[g.evCreate * argsPerEvent + 1]!);
          g.evCreate = -1;
        }
        if (g.ev >= 0) {
          link[g.ev] = i;
          g.ev = -1;
        }
        break;
      case E.GoEnd:
      case E.GoStop:
        checkRunning(p, g, i, false);
        link[g.evStart] = i;
        g.evStart = -1;
        g.state = gDead;
        p.g = 0;
        if (types[i] === E.GoEnd) {
          // Regions still open when the goroutine ends end with it.
          const open = activeRegions.get(gid);
          if (open) {
            for (const s of open) link[s] = i;
            open.length = 0;
          }
        }
        break;
      case E.GoSched:
      case E.GoPreempt:
        checkRunning(p, g, i, false);
        g.state = gRunnable;
        link[g.evStart] = i;
        g.evStart = -1;
        p.g = 0;
        g.ev = i;
        break;
      case E.GoUnblock: {
        if (g.state !== gRunning) throw new TraceFormatError(`g ${gid} is not running while unpark ${where(i)}`);
        if (pid !== SpecialP.TimerP && p.g !== gid) throw new TraceFormatError(`p ${pid} is not running g ${gid} while unpark ${where(i)}`);
        const target = args[a]!;
        const g1 = gs.get(target) ?? new GDesc();
        if (g1.state !== gWaiting) throw new TraceFormatError(`g ${target} is not waiting before unpark ${where(i)}`);
        if (g1.ev >= 0 && types[g1.ev] === E.GoBlockNet && pid !== SpecialP.TimerP) pcol[i] = SpecialP.NetpollP;
        if (g1.ev >= 0) link[g1.ev] = i;
        g1.state = gRunnable;
        g1.ev = i;
        gs.set(target, g1);
        break;
      }
      case E.GoSysCall:
        checkRunning(p, g, i, false);
        g.ev = i;
        break;
      case E.GoSysBlock:
        checkRunning(p, g, i, false);
        g.state = gWaiting;
        link[g.evStart] = i;
        g.evStart = -1;
        p.g = 0;
        break;
      case E.GoSysExit:
        if (g.state !== gWaiting) throw new TraceFormatError(`g ${gid} is not waiting during syscall exit ${where(i)}`);
        if (g.ev >= 0 && types[g.ev] === E.GoSysCall) link[g.ev] = i;
        g.state = gRunnable;
        g.ev = i;
        break;
      case E.GoSleep:
      case E.GoBlock:
      case E.GoBlockSend:
      case E.GoBlockRecv:
      case E.GoBlockSelect:
      case E.GoBlockSync:
      case E.GoBlockCond:
      case E.GoBlockNet:
      case E.GoBlockGC:
        checkRunning(p, g, i, false);
        g.state = gWaiting;
        g.ev = i;
        link[g.evStart] = i;
        g.evStart = -1;
        p.g = 0;
        break;
      case E.UserTaskCreate: {
        const id = args[a]!;
        if (tasks.get(id) >= 0) throw new TraceFormatError(`task id conflicts (id:${id}) ${where(i)}`);
        tasks.set(id, i);
        break;
      }
      case E.UserTaskEnd: {
        const id = args[a]!;
        const created = tasks.get(id);
        if (created >= 0) {
          link[created] = i;
          tasks.set(id, -1);
        }
        break;
      }
      case E.UserRegion: {
        const mode = args[a + 1]!;
        const regions = activeRegions.get(gid);
        if (mode === 0) {
          if (regions) regions.push(i);
          else activeRegions.set(gid, [i]);
        } else if (mode === 1) {
          const s = regions?.[regions.length - 1];
          if (regions && s !== undefined) {
            // The same string id is the same name: the names are looked up only when the ids differ.
            if (args[s * argsPerEvent] !== args[a] || (args[s * argsPerEvent + 2] !== args[a + 2] && regionName(s) !== regionName(i))) {
              throw new TraceFormatError(`misuse of region in goroutine ${gid}: region end ${JSON.stringify(regionName(i))} when the innermost open region is ${JSON.stringify(regionName(s))} ${where(i)}`);
            }
            link[s] = i;
            regions.pop();
          }
        } else {
          throw new TraceFormatError(`invalid user region mode ${mode} ${where(i)}`);
        }
        break;
      }
    }

    if (knownG === undefined) gs.set(gid, g);
    // Go writes the P's state back under the event's P, which a GC start or a network unblock has
    // just changed: the new key gets a copy.
    const pid2 = pcol[i]!;
    if (pid2 === pid) {
      if (knownP === undefined) ps.set(pid, p);
    } else {
      // Overwriting the fields of the entry already there is the same copy, without an allocation.
      const q = ps.get(pid2);
      if (q) q.copyFrom(p);
      else ps.set(pid2, p.clone());
    }
  }
}
