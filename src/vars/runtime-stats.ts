// What the Node runtime says about itself, in the two shapes /debug/vars serves: `memstats`, with
// Go's runtime.MemStats field names so that expvarmon and Go dashboards read a Node service
// unchanged, and `node`, with what only Node has (heap spaces, event-loop delay, handles).
//
// Go counts GC pauses in a ring of 256 (MemStats.PauseNs, newest at (NumGC+255)%256); Node tells
// about each collection through a perf_hooks observer, which fills the same ring here.

import { type IntervalHistogram, type PerformanceEntry, PerformanceObserver, constants, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { EncodedJson } from './document.js';

/** The size of Go's PauseNs and PauseEnd rings. */
const ringSize = 256;
/** Event-loop delay and utilisation are reported over windows this long, so they describe now. */
const windowMs = 10_000;
/**
 * The first window is short: until a window has finished, each reading computes the current one,
 * and the histogram's mean and percentiles cost ~70 µs a reading (HdrHistogram walks its buckets).
 */
const firstWindowMs = 1_000;

/** GcStats are the collections seen since the monitor started. */
interface GcStats {
  numGC: number;
  numForcedGC: number;
  pauseTotalNs: number;
  lastGC: number;
  readonly pauseNs: number[];
  readonly pauseEnd: number[];
}

/** LoopWindow is event-loop delay and utilisation over one finished (or the current) window. */
interface LoopWindow {
  readonly seconds: number;
  readonly delayMs: Record<string, number>;
  readonly utilization: number;
}

/**
 * RuntimeMonitor watches garbage collections and the event loop from start() to stop(), and
 * reads the rest of the runtime's figures when asked. Both watchers are cheap: one callback per
 * GC, one libuv timer per 20 ms for the loop delay, and one unref'd timer per window.
 */
export class RuntimeMonitor {
  readonly #gc: GcStats = { numGC: 0, numForcedGC: 0, pauseTotalNs: 0, lastGC: 0, pauseNs: new Array<number>(ringSize).fill(0), pauseEnd: new Array<number>(ringSize).fill(0) };
  #observer: PerformanceObserver | undefined;
  #delay: IntervalHistogram | undefined;
  #timer: NodeJS.Timeout | undefined;
  #windowStart = 0;
  #elu = performance.eventLoopUtilization();
  #lastWindow: LoopWindow | undefined;
  #rings: { readonly numGC: number; readonly json: string } | undefined;
  #memory: { readonly mem: NodeJS.MemoryUsage; readonly heap: ReturnType<typeof getHeapStatistics> } | undefined;

  /** start begins watching; errors (a runtime without GC entries) leave those figures at zero. */
  start(onError: (e: unknown) => void = () => {}): void {
    if (this.#observer || this.#delay) return;
    try {
      this.#observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) this.#record(e);
      });
      this.#observer.observe({ entryTypes: ['gc'] });
    } catch (e) {
      onError(e);
    }
    try {
      this.#delay = monitorEventLoopDelay({ resolution: 20 });
      this.#delay.enable();
      this.#windowStart = performance.now();
      this.#elu = performance.eventLoopUtilization();
      this.#timer = setTimeout(() => {
        this.#rotate();
        this.#timer = setInterval(() => this.#rotate(), windowMs).unref();
      }, firstWindowMs).unref();
    } catch (e) {
      onError(e);
    }
  }

  /** stop ends watching; the figures gathered so far stay readable. */
  stop(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#delay?.disable();
    this.#delay = undefined;
    clearTimeout(this.#timer); // clears the first window's timeout and the later interval alike
    this.#timer = undefined;
  }

  #record(e: PerformanceEntry): void {
    const g = this.#gc;
    const pause = Math.round(e.duration * 1e6);
    const end = Math.round((performance.timeOrigin + e.startTime + e.duration) * 1e6);
    g.pauseNs[g.numGC % ringSize] = pause;
    g.pauseEnd[g.numGC % ringSize] = end;
    g.numGC++;
    g.pauseTotalNs += pause;
    g.lastGC = end;
    const flags = (e as PerformanceEntry & { detail?: { flags?: number } }).detail?.flags ?? 0;
    if (flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) g.numForcedGC++;
  }

  /** #rotate closes the current loop window: its figures become what is reported. */
  #rotate(): void {
    this.#lastWindow = this.#currentWindow();
    this.#delay?.reset();
    this.#windowStart = performance.now();
    this.#elu = performance.eventLoopUtilization();
  }

  #currentWindow(): LoopWindow {
    const h = this.#delay;
    const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;
    const delayMs: Record<string, number> =
      h && h.count > 0
        ? { min: ms(h.min), mean: ms(h.mean), p50: ms(h.percentile(50)), p90: ms(h.percentile(90)), p99: ms(h.percentile(99)), max: ms(h.max) }
        : {};
    const utilization = performance.eventLoopUtilization(this.#elu).utilization;
    return { seconds: Math.round(performance.now() - this.#windowStart) / 1000, delayMs, utilization: Math.round(utilization * 1e4) / 1e4 };
  }

  /**
   * #memorySnapshot reads the process's memory once per document: memstats and node, read in the
   * same turn of the event loop, then agree with each other, and the resident set (a read of
   * /proc) is taken once rather than twice.
   */
  #memorySnapshot(): { readonly mem: NodeJS.MemoryUsage; readonly heap: ReturnType<typeof getHeapStatistics> } {
    if (!this.#memory) {
      this.#memory = { mem: process.memoryUsage(), heap: getHeapStatistics() };
      queueMicrotask(() => (this.#memory = undefined));
    }
    return this.#memory;
  }

  /**
   * memstats maps Node's figures onto Go's runtime.MemStats names, already encoded. Alloc and
   * HeapAlloc are the V8 heap in use, HeapSys the heap V8 has reserved, HeapInuse the part of it
   * backed by memory, Sys the resident set. Fields Node has no counterpart for (Mallocs, Frees,
   * BySize, …) are left out rather than set to a made-up zero. The fields keep Go's order.
   */
  memstats(): EncodedJson {
    const { mem, heap } = this.#memorySnapshot();
    const g = this.#gc;
    const uptimeNs = process.uptime() * 1e9;
    const before = JSON.stringify({
      Alloc: mem.heapUsed,
      Sys: mem.rss,
      HeapAlloc: mem.heapUsed,
      HeapSys: mem.heapTotal,
      HeapIdle: Math.max(0, mem.heapTotal - heap.total_physical_size),
      HeapInuse: heap.total_physical_size,
      LastGC: g.lastGC,
      PauseTotalNs: g.pauseTotalNs,
    });
    const after = JSON.stringify({
      NumGC: g.numGC,
      NumForcedGC: g.numForcedGC,
      GCCPUFraction: uptimeNs > 0 ? g.pauseTotalNs / uptimeNs : 0,
      EnableGC: true,
      DebugGC: false,
    });
    return new EncodedJson(`${before.slice(0, -1)},${this.#ringsJson()},${after.slice(1)}`);
  }

  /**
   * #ringsJson encodes PauseNs and PauseEnd. They are most of the cost of encoding memstats
   * (PauseEnd's nanosecond times lie beyond 2^53, which V8 prints the slow way) and change only
   * with a collection, so their text is kept until the next one.
   */
  #ringsJson(): string {
    const g = this.#gc;
    if (this.#rings?.numGC !== g.numGC) {
      this.#rings = { numGC: g.numGC, json: `"PauseNs":${JSON.stringify(g.pauseNs)},"PauseEnd":${JSON.stringify(g.pauseEnd)}` };
    }
    return this.#rings.json;
  }

  /** node is what only Node reports: memory by kind, heap spaces, the event loop, handles, usage. */
  node(): Record<string, unknown> {
    const { mem, heap } = this.#memorySnapshot();
    const handles: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) handles[r] = (handles[r] ?? 0) + 1;
    const spaces: Record<string, unknown> = {};
    for (const s of getHeapSpaceStatistics()) {
      spaces[s.space_name] = { size: s.space_size, used: s.space_used_size, available: s.space_available_size, physical: s.physical_space_size };
    }
    return {
      version: process.version,
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime() * 1000) / 1000,
      memory: { rss: mem.rss, heapTotal: mem.heapTotal, heapUsed: mem.heapUsed, external: mem.external, arrayBuffers: mem.arrayBuffers },
      heap: {
        limit: heap.heap_size_limit,
        totalSize: heap.total_heap_size,
        usedSize: heap.used_heap_size,
        physicalSize: heap.total_physical_size,
        mallocedMemory: heap.malloced_memory,
        nativeContexts: heap.number_of_native_contexts,
        detachedContexts: heap.number_of_detached_contexts,
        spaces,
      },
      eventLoop: this.#lastWindow ?? this.#currentWindow(),
      activeResources: handles,
      resourceUsage: process.resourceUsage(),
    };
  }
}
