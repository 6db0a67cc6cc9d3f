// The Go 1.22+ reader against what Go's own reader is held to (../shared/peer-trace): the 22
// reader tests of golang.org/x/exp/trace (every SUCCESS reads, every FAILURE is refused for Go's
// reason), and a real Go 1.25 trace whose model must be consistent — goroutines and Ps go through
// legal states only, no goroutine runs on two Ps and no P runs two goroutines, each goroutine's
// time in its states adds up to its life, creates and ends agree with the trace's own events, and
// the same encoding/json test traced by Go 1.21 finds the same test goroutine groups.
// Skipped, with the reason, when ../shared is not beside the project.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProfileError } from '../src/profile/errors.js';
import { GenerationReader } from '../src/trace/gen/batches.js';
import { Orderer } from '../src/trace/gen/order.js';
import { GenType } from '../src/trace/gen/spec.js';
import { goroutineStats } from '../src/trace/goroutine-stats.js';
import { EventType as E, type Trace } from '../src/trace/model.js';
import { readTrace } from '../src/trace/read.js';
import { sharedDir } from './helpers.js';
import { parseArchive } from './trace-gen-text.js';

const peer = join(sharedDir, 'peer-trace');
const testsDir = join(peer, 'go122plus-tests');
const trace125 = join(peer, 'traces', 'go1.25', 'test-encoding-json.trace');
const trace121 = join(peer, 'traces', 'go1.21', 'test-encoding-json.trace');
const skipTests = existsSync(testsDir) ? false : `${testsDir} is absent (the peer traces live in ../shared)`;
const skip125 = existsSync(trace125) && existsSync(trace121) ? false : `${trace125} or its Go 1.21 twin is absent (the peer traces live in ../shared)`;

test('the 22 go122plus reader tests: every SUCCESS reads, every FAILURE is refused in one line with Go\'s reason', { skip: skipTests }, () => {
  const files = readdirSync(testsDir).filter((f) => f.endsWith('.test'));
  assert.equal(files.length, 22);
  let failures = 0;
  for (const f of files) {
    const a = parseArchive(readFileSync(join(testsDir, f), 'utf8'));
    if (a.failure === undefined) {
      const t = readTrace(a.bytes, f);
      assert.ok(t.events.length > 0, f);
      continue;
    }
    failures++;
    assert.throws(
      () => readTrace(a.bytes, f),
      (e: unknown) => e instanceof ProfileError && !e.message.includes('\n') && new RegExp(a.failure!).test(e.message) && e.message.startsWith(`${f}: `),
      f,
    );
  }
  assert.equal(failures, 2);
});

/** rawCounts counts the trace's own events by generational type, as ordered (isNew: statuses that introduce a goroutine). */
function rawCounts(buf: Uint8Array, ver: number): Map<number | string, number> {
  const counts = new Map<number | string, number>();
  const bump = (k: number | string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
  const order = new Orderer(buf, ver, { event: (type, _t, _c, _a, x) => bump(x.isNew && (type === GenType.GoStatus || type === GenType.GoStatusStack) ? 'newStatus' : type) }, () => {});
  const gens = new GenerationReader(buf, ver);
  for (let g = gens.next(); g !== undefined; g = gens.next()) order.orderGeneration(g, () => bump('cpu'));
  return counts;
}

const endsRun = new Set<number>([E.GoEnd, E.GoStop, E.GoSched, E.GoPreempt, E.GoSleep, E.GoBlock, E.GoBlockSend, E.GoBlockRecv, E.GoBlockSelect, E.GoBlockSync, E.GoBlockCond, E.GoBlockNet, E.GoBlockGC, E.GoSysBlock]);
const toWaiting = new Set<number>([E.GoSleep, E.GoBlock, E.GoBlockSend, E.GoBlockRecv, E.GoBlockSelect, E.GoBlockSync, E.GoBlockCond, E.GoBlockNet, E.GoBlockGC]);

/**
 * walkStates follows every goroutine through the model's events with the scheduler's rules and
 * returns, per goroutine, the ns it spent in each state; throws at the first illegal step.
 */
function walkStates(t: Trace): Map<number, { life: number; inStates: number; running: number; ended: boolean }> {
  type S = 'runnable' | 'running' | 'waiting' | 'syscall' | 'dead';
  const gs = new Map<number, { s: S; since: number; created: number; running: number; inStates: number; p: number }>();
  const pRuns = new Map<number, number>();
  const pStarted = new Set<number>();
  const ev = t.events;
  const move = (g: number, to: S, ts: number, i: number, from: S[]): void => {
    const st = gs.get(g);
    assert.ok(st !== undefined, `event ${i}: goroutine ${g} never created`);
    assert.ok(from.includes(st.s), `event ${i} (${ev.type[i]}): goroutine ${g} is ${st.s}, not ${from.join('/')}`);
    assert.ok(ts >= st.since, `event ${i}: time goes back for goroutine ${g}`);
    st.inStates += ts - st.since;
    if (st.s === 'running') st.running += ts - st.since;
    st.s = to;
    st.since = ts;
  };
  for (let i = 0; i < ev.length; i++) {
    const type = ev.type[i]!;
    const ts = ev.ts[i]!;
    const g = ev.g[i]!;
    const p = ev.p[i]!;
    const a0 = ev.args[i * 3]!;
    if (type === E.GoCreate) {
      assert.ok(!gs.has(a0) || gs.get(a0)!.s === 'dead', `event ${i}: goroutine ${a0} created twice`);
      gs.set(a0, { s: 'runnable', since: ts, created: ts, running: 0, inStates: 0, p: -1 });
    } else if (type === E.GoStart) {
      assert.ok(pStarted.has(p), `event ${i}: goroutine ${g} starts on P ${p}, which is not started`);
      assert.ok(!pRuns.has(p), `event ${i}: P ${p} starts goroutine ${g} while running ${pRuns.get(p)}`);
      move(g, 'running', ts, i, ['runnable']);
      gs.get(g)!.p = p;
      pRuns.set(p, g);
    } else if (endsRun.has(type)) {
      const st = gs.get(g);
      assert.ok(st?.p === p, `event ${i}: goroutine ${g} ends a run on P ${p} but runs on ${st?.p}`);
      move(g, type === E.GoEnd ? 'dead' : type === E.GoSysBlock ? 'syscall' : toWaiting.has(type) ? 'waiting' : 'runnable', ts, i, ['running']);
      pRuns.delete(p);
      st!.p = -1;
    } else if (type === E.GoUnblock) move(a0, 'runnable', ts, i, ['waiting']);
    else if (type === E.GoWaiting) move(a0, 'waiting', ts, i, ['runnable']);
    else if (type === E.GoInSyscall) move(a0, 'syscall', ts, i, ['runnable']);
    else if (type === E.GoSysExit) move(g, 'runnable', ts, i, ['syscall']);
    else if (type === E.ProcStart) {
      assert.ok(!pStarted.has(p), `event ${i}: P ${p} started twice`);
      pStarted.add(p);
    } else if (type === E.ProcStop) {
      assert.ok(pStarted.delete(p), `event ${i}: P ${p} stops but was not started`);
      assert.ok(!pRuns.has(p), `event ${i}: P ${p} stops while running goroutine ${pRuns.get(p)}`);
    }
  }
  const end = ev.ts[ev.length - 1]!;
  const out = new Map<number, { life: number; inStates: number; running: number; ended: boolean }>();
  for (const [g, st] of gs) {
    const ended = st.s === 'dead';
    if (!ended) move(g, st.s, end, ev.length - 1, [st.s]);
    out.set(g, { life: (ended ? st.since : end) - st.created, inStates: st.inStates, running: st.running, ended });
  }
  return out;
}

test('a real Go 1.25 trace reads into a consistent model', { skip: skip125 }, () => {
  const buf = readFileSync(trace125);
  const t = readTrace(buf, trace125);
  assert.equal(t.version, 1025);
  const states = walkStates(t);
  // Each goroutine's states partition its life, and its running time is what the analysis finds.
  const stats = goroutineStats(t);
  for (const [g, s] of states) {
    assert.equal(s.inStates, s.life, `goroutine ${g}`);
    assert.equal(stats.get(g)?.execTime, s.running, `goroutine ${g}: execution time`);
  }
  // Creates and ends in the model are the trace's own, plus one create per goroutine first
  // known from its status; the goroutines still alive are exactly the ones never ended.
  const raw = rawCounts(buf, 1025);
  const n = (k: number | string): number => raw.get(k) ?? 0;
  const count = (ty: number): number => t.events.type.reduce((c, x) => c + (x === ty ? 1 : 0), 0);
  assert.equal(count(E.GoCreate), n(GenType.GoCreate) + n(GenType.GoCreateBlocked) + n(GenType.GoCreateSyscall) + n('newStatus'));
  assert.equal(count(E.GoEnd), n(GenType.GoDestroy) + n(GenType.GoDestroySyscall) + n(GenType.GoSwitchDestroy));
  assert.equal([...states.values()].filter((s) => s.ended).length, count(E.GoEnd));
  assert.equal(count(E.CPUSample), n('cpu'));
  assert.ok(n('cpu') > 0 && n(GenType.GoCreate) > 500);
});

test('the Go 1.25 and Go 1.21 traces of the encoding/json tests find the same test goroutine groups', { skip: skip125 }, () => {
  const groups = (file: string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const g of goroutineStats(readTrace(readFileSync(file), file)).values()) {
      // Go 1.22+ wraps `go f(x)` in f.gowrap1; the group is f's either way.
      const name = g.name.replace(/\.gowrap\d+$/, '');
      m.set(name, (m.get(name) ?? 0) + 1);
    }
    return m;
  };
  const g21 = groups(trace121);
  const g25 = groups(trace125);
  // The examples, fuzz targets and the blocking test are the same in both Go versions' sources.
  for (const name of ['testing.runExample.func1', 'testing.fRunner', 'encoding/json.TestBlocking.func1']) {
    assert.ok(g21.has(name), name);
    assert.equal(g25.get(name), g21.get(name), name);
  }
  // Both serve HTTP through httptest, and run their tests under testing.tRunner (1.25's
  // encoding/json has more tests and subtests).
  for (const name of ['net/http.(*conn).serve', 'net/http/httptest.(*Server).goServe.func1', 'net/http.(*persistConn).readLoop', 'testing.tRunner']) {
    assert.ok(g21.has(name) && g25.has(name), name);
  }
  assert.ok(g25.get('testing.tRunner')! >= g21.get('testing.tRunner')!);
});
