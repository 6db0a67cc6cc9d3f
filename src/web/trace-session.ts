// What the trace web UI serves: one trace, its timeline computed once (first thing after the server
// listens, or at the first request that reads it), and one method per endpoint turning the page's
// parameters into data. The goroutine analysis is computed when a page first needs it; latency
// profiles are built per scope (whole trace, one goroutine group, a time range) when first opened
// and served by the pprof views (pprofApp) under a prefix of their own. Nothing here knows about
// HTTP; trace-app.ts maps routes to these methods.

import { defaultConfig } from '../driver/config.js';
import { UsageError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { groupRows, goroutineDetail, goroutineRows, type GroupRow, type GoroutineDetail, type GoroutineRow } from '../trace/goroutine-report.js';
import type { GoroutineStat } from '../trace/goroutine-stats.js';
import { goroutineAnalysis } from '../trace/goroutine-analysis.js';
import { regionTypes, taskTypes, type RegionTypeRow, type TaskTypeRow } from '../trace/annotations.js';
import { type LatencyKind, isLatencyKind, latencyProfile } from '../trace/latency-profile.js';
import { type LatencyWeight, groupIntervals, overlapWeight, regionIntervals } from '../trace/latency-scope.js';
import { EventType, type Trace } from '../trace/model.js';
import { taskSpans, type TaskSpan } from '../trace/task-list.js';
import { defaultUtilFlags, utilFlagsFromNames } from '../trace/mmu.js';
import { type MMUReport, mmuReport } from '../trace/mmu-report.js';
import { buildTimeline, completeTimelineStep, sliceKindNames, type Lane, type Timeline } from '../trace/timeline.js';
import { type CounterPoints, type LaneBlocks, type SelectionStats, type SliceDetail, counterPoints, firstViewSteps, laneBlocks, selectionStats, sliceDetail } from '../trace/timeline-query.js';
import { WebSession } from './session.js';

/** TraceMeta describes the trace for the page: its lanes, groups and kinds. */
export interface TraceMeta {
  readonly title: string;
  /** "1.19" */
  readonly goVersion: string;
  readonly end: number;
  readonly events: number;
  /** The lanes other than goroutines' (GC, STW…, Ps, threads), first in the lane order. */
  readonly lanes: readonly Lane[];
  /**
   * The goroutine lanes, which follow `lanes`: their goroutine ids (the first, then differences to
   * the one before: ids ascend) and groups (-1: none). The page names them `G42 group` itself: the
   * names spelled out were 24 MB of JSON for the 280 k goroutines of a 100 MB trace.
   */
  readonly goroutineLanes: { readonly idSteps: number[]; readonly groups: number[] };
  readonly groups: readonly string[];
  readonly kinds: readonly string[];
  readonly counters: readonly { name: string; series: readonly string[] }[];
}

/** The largest width (pixels) a query may ask for: more is a page's mistake, and costs memory. */
const maxWidth = 8192;
/** The most regions of one histogram bucket the Regions page lists. */
const maxRegionItems = 1000;
/** The most lanes one query may ask for. */
const maxLanes = 2000;
/**
 * How long the server has had no request before it runs a step of preparing the first view: the
 * page asks for its files and meta within a few ms of each other, then reads the meta (0.2–0.3 s).
 */
const quietMs = 40;

/** number reads a finite number parameter. */
function numberParam(q: URLSearchParams, name: string, fallback?: number): number {
  const v = q.get(name);
  if (v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`${name}: missing`);
  }
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${name}: ${JSON.stringify(v)} is not a number`);
  return n;
}

/** hasRegions is whether the trace has a user region (one look at each event's type). */
function hasRegions(t: Trace): boolean {
  return t.events.type.includes(EventType.UserRegion);
}

/** TraceSession answers the trace page's requests. */
export class TraceSession {
  private built: Timeline | undefined;
  private metaAnswer: TraceMeta | undefined;
  private stats: ReadonlyMap<number, GoroutineStat> | undefined;
  private regionRows: RegionTypeRow[] | undefined;
  private goroutineLanes: Map<number, number> | undefined;
  private readonly profiles = new Map<string, WebSession>();
  private readonly mmuAnswers = new Map<string, MMUReport>();

  constructor(
    private readonly trace: Trace,
    private readonly title: string,
    /** The goroutine analysis (tests count its runs). */
    private readonly analyze: typeof goroutineAnalysis = goroutineAnalysis,
    /** What computes the timeline (tests count its runs). */
    private readonly build: typeof buildTimeline = buildTimeline,
  ) {}

  /**
   * timeline is the trace's timeline, computed at its first use: not before the server listens, so
   * that its 1.6–2.4 s on a 100 MB trace overlap the browser's start (2–5 s on this VM) instead of
   * preceding it.
   * The goroutine lanes are filled between requests once the page has its first lanes (or at once
   * when a request reads them): the first view, the Ps, does not wait for them.
   */
  get timeline(): Timeline {
    this.built ??= this.build(this.trace, { deferGoroutineLanes: true });
    return this.built;
  }

  private lastRequest = Number.NEGATIVE_INFINITY;
  /** noteRequest is told of each request the server reads: prepare's steps wait for a quiet moment. */
  noteRequest(): void {
    this.lastRequest = performance.now();
  }

  /**
   * prepare computes, once the server listens, what the page's first view reads: the timeline and
   * the meta, then the first view's levels of detail and counter maxima (firstViewSteps), a step at
   * a time once no request came for quietMs: a step takes 0.1–0.25 s on a 100 MB trace, and the
   * page's files and meta, asked for together, were each answered a step after the other (1 s in
   * all); they are answered first and the steps run while the page reads the meta. A request that
   * needs a step not yet run runs it itself.
   */
  async prepare(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.meta();
    for (const step of firstViewSteps(this.timeline)) {
      // A turn first, in which a request that came during the last step is read (and noted).
      await new Promise((resolve) => setImmediate(resolve));
      for (let wait = this.lastRequest + quietMs - performance.now(); wait > 0; wait = this.lastRequest + quietMs - performance.now()) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      step();
    }
  }

  private filling = false;
  /** fillGoroutineLanes fills the goroutine lanes a step at a time (completeTimelineStep), between requests. */
  private fillGoroutineLanes(): void {
    if (this.filling) return;
    this.filling = true;
    const tl = this.timeline;
    const fill = (): void => {
      if (completeTimelineStep(tl)) setImmediate(fill).unref();
    };
    setImmediate(fill).unref();
  }

  /** meta describes the trace for the page (made once: 0.1 s for the 280 k goroutine lanes of a 100 MB trace). */
  meta(): TraceMeta {
    this.metaAnswer ??= this.makeMeta();
    return this.metaAnswer;
  }

  private makeMeta(): TraceMeta {
    const tl = this.timeline;
    const v = this.trace.version;
    return {
      title: this.title,
      goVersion: `${Math.floor(v / 1000)}.${v % 1000}`,
      end: tl.end,
      events: this.trace.events.length,
      lanes: tl.lanes.filter((l) => l.kind !== 'goroutine'),
      goroutineLanes: this.goroutineLaneIds(),
      groups: tl.groups,
      kinds: sliceKindNames,
      counters: tl.counters.map((c) => ({ name: c.name, series: c.series })),
    };
  }

  private goroutineLaneIds(): TraceMeta['goroutineLanes'] {
    const idSteps: number[] = [];
    const groups: number[] = [];
    let last = 0;
    for (const l of this.timeline.lanes) {
      if (l.kind !== 'goroutine') continue;
      idSteps.push(l.id - last);
      groups.push(this.timeline.groupOf.get(l.id) ?? -1);
      last = l.id;
    }
    return { idSteps, groups };
  }

  /** range reads start, end and width, clamped to the trace. */
  private range(q: URLSearchParams): { t0: number; t1: number; width: number } {
    const t0 = Math.max(0, numberParam(q, 'start', 0));
    const t1 = Math.min(this.timeline.end, numberParam(q, 'end', this.timeline.end));
    if (!(t1 >= t0)) throw new UsageError(`end ${t1} is before start ${t0}`);
    const width = Math.round(numberParam(q, 'width', 1000));
    if (width < 1 || width > maxWidth) throw new UsageError(`width: ${width} is not between 1 and ${maxWidth}`);
    return { t0, t1, width };
  }

  /** lanes are the blocks of the lanes `lanes` names (`0-40,52`) in the range, and the CPU samples on them. */
  lanes(q: URLSearchParams): { blocks: LaneBlocks[]; cpu: { lane: number; t: number[] }[] } {
    const { t0, t1, width } = this.range(q);
    const wanted = this.laneList(q.get('lanes') ?? '');
    this.fillGoroutineLanes();
    const blocks = wanted.map((l) => laneBlocks(this.timeline, l, t0, t1, width));
    const px = (t1 - t0) / width;
    const cpu: { lane: number; t: number[] }[] = [];
    for (const l of wanted) {
      const samples = this.timeline.cpuSamples.get(l);
      if (!samples) continue;
      const t: number[] = [];
      // One mark per pixel is all a page can draw.
      for (const s of samples) if (s >= t0 && s <= t1 && (t.length === 0 || s - t[t.length - 1]! >= px)) t.push(s);
      if (t.length > 0) cpu.push({ lane: l, t });
    }
    return { blocks, cpu };
  }

  private laneList(spec: string): number[] {
    const out: number[] = [];
    const n = this.timeline.lanes.length;
    for (const part of spec.split(',')) {
      if (part === '') continue;
      const m = /^(\d+)(?:-(\d+))?$/.exec(part);
      if (!m) throw new UsageError(`lanes: ${JSON.stringify(part)} is not N or N-M`);
      const a = Number(m[1]);
      const b = Math.min(n - 1, Number(m[2] ?? m[1]));
      for (let l = a; l <= b; l++) {
        out.push(l);
        if (out.length > maxLanes) throw new UsageError(`lanes: more than ${maxLanes} lanes in one request`);
      }
    }
    return out;
  }

  counters(q: URLSearchParams): CounterPoints[] {
    const { t0, t1, width } = this.range(q);
    return counterPoints(this.timeline, t0, t1, width);
  }

  selectionStats(q: URLSearchParams): SelectionStats {
    const { t0, t1 } = this.range(q);
    return selectionStats(this.timeline, t0, t1);
  }

  slice(q: URLSearchParams): SliceDetail {
    const i = numberParam(q, 'i');
    const d = sliceDetail(this.trace, this.timeline, i, (g) => this.goroutineLane(g));
    if (!d) throw new UsageError(`i: no slice ${i}`);
    return d;
  }

  /** goroutineLane is the lane of goroutine g, for the page's links. */
  goroutineLane(g: number): number | undefined {
    this.goroutineLanes ??= new Map(this.timeline.lanes.flatMap((l, k) => (l.kind === 'goroutine' ? [[l.id, k] as const] : [])));
    return this.goroutineLanes.get(g);
  }

  /**
   * goroutineStats is the one goroutine analysis every page shares. It keeps the user regions
   * when the trace has any (regions change no goroutine's numbers), so that the Regions page opened
   * after the groups does not run it again (seconds on a large trace); a trace without regions has
   * none to keep.
   */
  private goroutineStats(): ReadonlyMap<number, GoroutineStat> {
    this.stats ??= this.analyze(this.trace, { regions: hasRegions(this.trace) });
    return this.stats;
  }

  /** groups are the goroutine groups, as `proflens trace goroutines` prints them. */
  groups(): GroupRow[] {
    return groupRows(this.goroutineStats().values());
  }

  /** goroutines are the goroutines of the group whose start PC is `pc`, as `trace goroutines --group` lists them. */
  goroutines(q: URLSearchParams): GoroutineRow[] {
    const pc = numberParam(q, 'pc');
    return goroutineRows(this.goroutineStats().values(), (g) => g.pc === pc);
  }

  /** goroutine is one goroutine, as `trace goroutines --goroutine ID` describes it, with its timeline lane. */
  goroutine(q: URLSearchParams): GoroutineDetail & { lane: number | undefined } {
    const id = numberParam(q, 'id');
    const d = goroutineDetail(this.trace, this.goroutineStats(), id);
    if (!d) throw new UsageError(`id: the trace has no goroutine ${id}`);
    return { ...d, lane: this.goroutineLane(id) };
  }

  tasks(): TaskTypeRow[] {
    return taskTypes(this.trace);
  }

  /**
   * mmu is go tool trace's /mmu page as data: the curve for the flags the page ticks (`flags=stw,assist`;
   * default Go's first boxes) and the worst windows of `window` ns (default 1 ms). The last few
   * answers are kept: a curve walks every event, and the page asks again when only the window moves.
   */
  mmu(q: URLSearchParams): MMUReport {
    const names = q.get('flags');
    const parsed = names === null ? { flags: defaultUtilFlags } : utilFlagsFromNames(names.split(','));
    if ('unknown' in parsed) throw new UsageError(`flags: unknown MMU flag ${JSON.stringify(parsed.unknown)} (stw, background, assist, sweep, perProc)`);
    const window = Math.round(numberParam(q, 'window', 1e6));
    if (!(window >= 1)) throw new UsageError(`window: ${window} is not a window of at least 1ns`);
    const key = `${parsed.flags}/${window}`;
    let r = this.mmuAnswers.get(key);
    if (!r) {
      r = mmuReport(this.trace, parsed.flags, window);
      if (this.mmuAnswers.size >= 8) this.mmuAnswers.delete(this.mmuAnswers.keys().next().value!);
      this.mmuAnswers.set(key, r);
    }
    return r;
  }

  /**
   * regions are the user regions by type, as `proflens trace regions` (Go's /userregions), each
   * bucket with its regions; at most `maxRegionItems` of a bucket are sent, the page says how many.
   */
  regions(): RegionTypeRow[] {
    return this.regionTypeRows().map((r) => ({
      ...r,
      histogram: r.histogram.map((b) => (b.items.length > maxRegionItems ? { ...b, items: b.items.slice(0, maxRegionItems) } : b)),
    }));
  }

  /** regionTypeRows are the region types with every region (the region profiles need them all). */
  private regionTypeRows(): RegionTypeRow[] {
    this.regionRows ??= regionTypes(this.trace, this.goroutineStats());
    return this.regionRows;
  }

  taskList(q: URLSearchParams): TaskSpan[] {
    const type = q.get('type') ?? '';
    return taskSpans(this.trace, type, numberParam(q, 'from', 0), numberParam(q, 'to', Infinity));
  }

  /**
   * profileSession is the pprof views' session of a latency profile, named as the page mounts it:
   * `pprof-KIND` (whole trace), `pprof-KIND-gPC` (one goroutine group, go tool trace's /block?id=PC),
   * `pprof-KIND-tN` (the N-th region type of regions(), Go's /regionblock?type=…&pc=…), with `-bM`
   * its M-th histogram bucket (latmin=…&latmax=…), `pprof-KIND-rSTART-END` (a time range, ns: the
   * waits that began in it). Undefined for names that are none of these.
   */
  profileSession(name: string): WebSession | undefined {
    const hit = this.profiles.get(name);
    if (hit) return hit;
    const scoped = this.scopedProfile(name);
    if (!scoped) return undefined;
    const session = new WebSession({ profile: scoped.profile, config: defaultConfig(), title: `${this.title}: ${scoped.title}` });
    // A few scopes are kept; the page opens one at a time.
    if (this.profiles.size >= 8) this.profiles.delete(this.profiles.keys().next().value!);
    this.profiles.set(name, session);
    return session;
  }

  /** scopedProfile is the latency profile profileSession serves under name, and its title. */
  scopedProfile(name: string): { profile: Profile; title: string } | undefined {
    const m = /^pprof-([a-z]+)(?:-g(\d+)|-t(\d+)(?:-b(\d+))?|-r(\d+)-(\d+))?$/.exec(name);
    if (!m || !isLatencyKind(m[1]!)) return undefined;
    const kind: LatencyKind = m[1];
    const scoped = this.profileScope(m);
    return scoped && { profile: latencyProfile(this.trace, kind, scoped.weigh), title: `${kind} (${scoped.scope})` };
  }

  /** profileScope reads the scope of profileSession's name: which part of each wait counts, and its title. */
  private profileScope(m: RegExpExecArray): { weigh: LatencyWeight | undefined; scope: string } | undefined {
    if (m[2] !== undefined) {
      const pc = Number(m[2]);
      const stats = this.goroutineStats();
      const intervals = groupIntervals(this.trace, stats, (g) => g.pc === pc);
      if (intervals.size === 0) return undefined;
      return { weigh: overlapWeight(this.trace, intervals), scope: `group ${[...stats.values()].find((g) => g.pc === pc)?.name || pc}` };
    }
    if (m[3] !== undefined) {
      const rows = this.regionTypeRows();
      const r = rows[Number(m[3])];
      const b = m[4] === undefined ? undefined : r?.histogram[Number(m[4])];
      if (!r || (m[4] !== undefined && !b)) return undefined;
      const filter = { type: r.type, pc: r.frame?.pc ?? 0, ...(b && { latMin: b.from, latMax: b.to }) };
      return { weigh: overlapWeight(this.trace, regionIntervals(rows, filter)), scope: `regions ${r.type}${b ? ` of ${b.from}–${b.to} ns` : ''}` };
    }
    if (m[5] !== undefined) {
      const t0 = Number(m[5]);
      const t1 = Number(m[6]);
      return { weigh: (_i, from, to) => (from >= t0 && from <= t1 ? to - from : 0), scope: `${t0}–${t1} ns` };
    }
    return { weigh: undefined, scope: 'whole trace' };
  }
}
