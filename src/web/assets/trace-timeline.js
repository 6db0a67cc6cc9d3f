// The timeline: our own canvas renderer. The server answers, for the visible time range, pixel
// width and lanes, the blocks to draw (slices narrower than a pixel already merged); the page keeps
// the last answer and redraws it at once on every zoom or pan, then asks for the new range.
// Strings from the trace are drawn with fillText or set as textContent, never as markup.

const labelW = 180;
const axisH = 22;
const counterH = 34;
const laneH = 20;

/** duration prints ns as go tool trace does, roughly: 1.23ms. */
export function duration(ns) {
  const a = Math.abs(ns);
  if (a >= 1e9) return `${(ns / 1e9).toPrecision(4)}s`;
  if (a >= 1e6) return `${(ns / 1e6).toPrecision(4)}ms`;
  if (a >= 1e3) return `${(ns / 1e3).toPrecision(4)}µs`;
  return `${Math.round(ns)}ns`;
}

/** groupColor gives each goroutine group its own hue. */
export function groupColor(c) {
  if (c < 0) return '#8fa3bf';
  return `hsl(${(c * 137.508) % 360}, 55%, 58%)`;
}

const stateColors = ['', '#c9e6b8', '#f0b070', '#7fa8e0', '#b48ce0', '#c0c4ca', '#d05050', '#a02020', '#555'];

/** kindColor colours a slice by its kind (running slices by their group). */
export function kindColor(k, c) {
  return k === 0 ? groupColor(c) : stateColors[k] || '#999';
}

const niceSteps = [1, 2, 5];
function tickStep(span, px) {
  const raw = (span / px) * 100;
  let p = 10 ** Math.floor(Math.log10(raw));
  for (;;) {
    for (const s of niceSteps) if (s * p >= raw) return s * p;
    p *= 10;
  }
}

/**
 * TraceLanes are the timeline's lanes as the page reads them (at(i), length): the lanes other than
 * goroutines' as the meta sends them, then the goroutine lanes, sent as ids and groups (see
 * TraceMeta) and made into { kind, name, id } only when read, named as the server names them: G42
 * and the group's start function. Made all at once, the 280 k of a 100 MB trace cost the page
 * 0.1 s, and as much again in garbage collection, before its first request for lanes.
 */
export class TraceLanes {
  constructor(meta) {
    const { idSteps, groups } = meta.goroutineLanes;
    this.others = meta.lanes;
    this.groupNames = meta.groups;
    this.groups = groups;
    this.ids = new Float64Array(idSteps.length);
    let id = 0;
    for (let k = 0; k < idSteps.length; k++) this.ids[k] = id += idSteps[k];
    this.goroutineFrom = this.others.length;
    this.length = this.goroutineFrom + this.ids.length;
  }

  /** at is lane i, undefined past the last. */
  at(i) {
    if (i < this.goroutineFrom) return this.others[i];
    const k = i - this.goroutineFrom;
    if (k >= this.ids.length) return undefined;
    const id = this.ids[k];
    const group = this.groupNames[this.groups[k]] ?? '';
    return { kind: 'goroutine', name: group === '' ? `G${id}` : `G${id} ${group}`, id };
  }

  /** laneOfGoroutine is goroutine g's lane, -1 when it has none (ids ascend: a binary search). */
  laneOfGoroutine(g) {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] < g) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.ids.length && this.ids[lo] === g ? this.goroutineFrom + lo : -1;
  }
}

/** Timeline draws lanes and counters on a canvas and answers the mouse and the keyboard. */
export class Timeline {
  constructor(canvas, box, details, meta, h) {
    Object.assign(this, { canvas, box, details, meta, h });
    this.ctx = canvas.getContext('2d');
    this.t0 = 0;
    this.t1 = meta.end || 1;
    this.view = 'procs';
    this.scrollLane = 0;
    this.blocks = new Map();
    this.cpu = new Map();
    this.counters = [];
    this.sel = null;
    this.highlight = -1;
    this.stats = { draws: 0, lastDrawMs: 0, maxDrawMs: 0, fetches: 0, lastFetchMs: 0, pending: 0, ready: false, blocks: 0, merged: 0 };
    // For tests and the benchmark: how drawing goes, and where a lane's widest block is.
    window.__proflensTimeline = this.stats;
    box.blockRect = (kind) => this.blockRect(kind);
    const lanes = meta.lanes;
    const goroutines = new Array(lanes.length - lanes.goroutineFrom);
    for (let k = 0; k < goroutines.length; k++) goroutines[k] = lanes.goroutineFrom + k;
    this.views = {
      procs: lanes.others.flatMap((l, i) => (l.kind !== 'thread' ? [i] : [])),
      goroutines,
      threads: lanes.others.flatMap((l, i) => (l.kind === 'thread' ? [i] : [])),
    };
    document.querySelector('[data-view=threads]').hidden = this.views.threads.length === 0;
    for (const b of document.querySelectorAll('[data-view]')) b.addEventListener('click', () => this.setView(b.dataset.view));
    document.getElementById('zoom-out').addEventListener('click', () => this.setRange(0, this.meta.end));
    new ResizeObserver(() => this.changed()).observe(box);
    this.listen();
  }

  /** show applies the page's parameters (view, start, end, lane, goroutine). */
  show(q) {
    const v = q.get('view');
    if (v && this.views[v]) this.view = v;
    const s = Number(q.get('start'));
    const e = Number(q.get('end'));
    if (q.has('start') && Number.isFinite(s)) this.t0 = Math.max(0, s);
    if (q.has('end') && Number.isFinite(e) && e > this.t0) this.t1 = Math.min(this.meta.end, e);
    else if (q.has('start')) this.t1 = this.meta.end;
    if (this.t1 <= this.t0) this.t1 = Math.min(this.meta.end, this.t0 + 1000);
    const g = Number(q.get('goroutine'));
    if (q.has('goroutine') && g > 0) this.highlight = g;
    const lane = q.has('lane') && q.get('lane') !== '' ? Number(q.get('lane')) : this.laneOfGoroutine(this.highlight);
    if (lane !== undefined && lane >= 0) {
      const k = this.lanes().indexOf(lane);
      if (k >= 0) this.scrollLane = Math.max(0, k - 2);
    }
    this.changed();
    this.box.focus();
  }

  laneOfGoroutine(g) {
    if (!(g > 0)) return undefined;
    return this.meta.lanes.laneOfGoroutine(g);
  }

  setView(v) {
    if (this.view === v) return;
    this.view = v;
    this.scrollLane = 0;
    this.blocks.clear();
    this.remember();
    this.changed();
  }

  lanes() {
    return this.views[this.view];
  }

  get width() {
    return Math.max(1, this.box.clientWidth - labelW);
  }

  lanesTop() {
    return axisH + this.meta.counters.length * counterH;
  }

  visibleLanes() {
    const rows = Math.ceil((this.box.clientHeight - this.lanesTop()) / laneH) + 1;
    return this.lanes().slice(this.scrollLane, this.scrollLane + Math.max(0, rows));
  }

  x(t) {
    return labelW + ((t - this.t0) / (this.t1 - this.t0)) * this.width;
  }

  timeAt(x) {
    return this.t0 + ((x - labelW) / this.width) * (this.t1 - this.t0);
  }

  setRange(t0, t1) {
    const minSpan = 1000;
    let span = Math.max(minSpan, Math.min(this.meta.end, t1 - t0));
    let s = Math.max(0, Math.min(this.meta.end - span, t0));
    if (this.meta.end <= minSpan) {
      s = 0;
      span = Math.max(1, this.meta.end);
    }
    this.t0 = s;
    this.t1 = s + span;
    this.remember();
    this.changed();
  }

  zoom(factor, at) {
    const t = at ?? (this.t0 + this.t1) / 2;
    this.setRange(t - (t - this.t0) * factor, t + (this.t1 - t) * factor);
  }

  pan(dt) {
    this.setRange(this.t0 + dt, this.t1 + dt);
  }

  /** remember keeps the range and view in the address bar (no new history entry per wheel step). */
  remember() {
    clearTimeout(this.rememberTimer);
    this.rememberTimer = setTimeout(() => {
      const q = new URLSearchParams(location.search);
      if ((q.get('tab') || 'timeline') !== 'timeline') return;
      q.set('view', this.view);
      q.set('start', String(Math.round(this.t0)));
      q.set('end', String(Math.round(this.t1)));
      q.delete('lane');
      history.replaceState(null, '', `${location.pathname}?${q}`);
    }, 150);
  }

  /** changed redraws now with what is at hand and asks the server for the new range. */
  changed() {
    this.draw();
    clearTimeout(this.fetchTimer);
    this.fetchTimer = setTimeout(() => this.fetch().catch(this.h.showError), 30);
  }

  async fetch() {
    const lanes = this.visibleLanes();
    const t0 = this.t0;
    const t1 = this.t1;
    const width = Math.round(this.width);
    const started = performance.now();
    const seq = (this.seq = (this.seq || 0) + 1);
    this.stats.pending++;
    try {
      const [data, counters] = await Promise.all([
        lanes.length ? this.h.getJSON('api/trace/lanes', { start: t0, end: t1, width, lanes: lanes.join(',') }) : { blocks: [], cpu: [] },
        this.h.getJSON('api/trace/counters', { start: t0, end: t1, width }),
      ]);
      if (seq !== this.seq) return;
      this.blocks = new Map(data.blocks.map((b) => [b.lane, b]));
      this.cpu = new Map(data.cpu.map((c) => [c.lane, c.t]));
      this.counters = counters;
      this.stats.fetches++;
      this.stats.lastFetchMs = performance.now() - started;
      this.draw();
      this.stats.ready = true;
    } finally {
      this.stats.pending--;
    }
  }

  draw() {
    const started = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const w = this.box.clientWidth;
    const hgt = this.box.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(hgt * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(hgt * dpr);
    }
    const ctx = this.ctx;
    this.stats.blocks = 0;
    this.stats.merged = 0;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    ctx.font = '11px ui-monospace, Menlo, monospace';
    ctx.textBaseline = 'middle';
    this.drawAxis(ctx, w, hgt);
    this.drawCounters(ctx, w);
    this.drawLanes(ctx, w, hgt);
    this.drawSelection(ctx, hgt);
    document.getElementById('range-text').textContent = `${duration(this.t0)} – ${duration(this.t1)} (${duration(this.t1 - this.t0)})${this.laneText}`;
    for (const b of document.querySelectorAll('[data-view]')) b.classList.toggle('active', b.dataset.view === this.view);
    const ms = performance.now() - started;
    this.stats.t0 = this.t0;
    this.stats.t1 = this.t1;
    this.stats.draws++;
    this.stats.lastDrawMs = ms;
    this.stats.maxDrawMs = Math.max(this.stats.maxDrawMs, ms);
    (this.stats.drawMs ??= []).push(Math.round(ms * 10) / 10);
    if (this.stats.drawMs.length > 200) this.stats.drawMs.shift();
  }

  drawAxis(ctx, w, hgt) {
    const span = this.t1 - this.t0;
    const step = tickStep(span, this.width);
    ctx.fillStyle = '#f3f5f8';
    ctx.fillRect(0, 0, w, axisH);
    ctx.strokeStyle = '#e3e6eb';
    ctx.fillStyle = '#445';
    ctx.beginPath();
    for (let t = Math.ceil(this.t0 / step) * step; t <= this.t1; t += step) {
      const x = Math.round(this.x(t)) + 0.5;
      ctx.moveTo(x, axisH - 6);
      ctx.lineTo(x, hgt);
      ctx.fillText(duration(t), x + 3, axisH / 2);
    }
    ctx.stroke();
  }

  drawCounters(ctx, w) {
    // The series' names are written in darker shades of their lines' colours (readable on white).
    const legendColors = [
      ['#4d86bf', '#b03a3a'],
      ['#2e8a4a', '#8f7f10', '#7d828a'],
      ['#4f7fc0', '#8a5cc0'],
    ];
    const colors = [
      ['#9fc5e8', '#d05050'],
      ['#4caf6a', '#d8c547', '#c0c4ca'],
      ['#7fa8e0', '#b48ce0'],
    ];
    this.meta.counters.forEach((c, k) => {
      const top = axisH + k * counterH;
      ctx.fillStyle = k % 2 ? '#fff' : '#fafbfc';
      ctx.fillRect(0, top, w, counterH);
      // The name, then its series in their lines' colours, each clipped to the label column: on one
      // line "Goroutines (running, runnable, waiting)" ran into the plot, over the largest value.
      ctx.fillStyle = '#333';
      this.clippedText(ctx, c.name, 4, top + 10, labelW - 8);
      let x = 4;
      for (let s = 0; s < c.series.length; s++) {
        ctx.fillStyle = legendColors[k]?.[s] || '#667';
        this.clippedText(ctx, c.series[s], x, top + 24, labelW - 4 - x);
        x += (c.series[s].length + 1) * this.charW;
      }
      const data = this.counters.find((d) => d.name === c.name);
      if (!data || data.t.length === 0) return;
      const n = c.series.length;
      let max = 1;
      for (const v of data.v) max = Math.max(max, v);
      const y = (v) => top + counterH - 2 - (v / max) * (counterH - 6);
      const right = labelW + this.width;
      for (let s = 0; s < n; s++) {
        ctx.strokeStyle = colors[k]?.[s] || '#888';
        ctx.fillStyle = ctx.strokeStyle;
        ctx.beginPath();
        for (let i = 0; i < data.t.length; i++) {
          const x0 = Math.max(labelW, this.x(data.t[i]));
          const x1 = i + 1 < data.t.length ? this.x(data.t[i + 1]) : right;
          const yy = y(data.v[i * n + s]);
          if (i === 0) ctx.moveTo(x0, yy);
          else ctx.lineTo(x0, yy);
          ctx.lineTo(Math.min(right, x1), yy);
        }
        ctx.stroke();
      }
      ctx.fillStyle = '#667';
      ctx.fillText(k === 0 ? bytes(max) : String(max), labelW + 3, top + 7);
    });
  }

  drawLanes(ctx, w, hgt) {
    const top = this.lanesTop();
    const lanes = this.visibleLanes();
    lanes.forEach((l, row) => {
      const y = top + row * laneH;
      if (y > hgt) return;
      const lane = this.meta.lanes.at(l);
      ctx.fillStyle = row % 2 ? '#fff' : '#f7f8fa';
      ctx.fillRect(0, y, w, laneH);
      const b = this.blocks.get(l);
      if (b) this.drawBlocks(ctx, lane, b, y);
      const cpu = this.cpu.get(l);
      if (cpu) {
        ctx.fillStyle = '#222';
        for (const t of cpu) ctx.fillRect(Math.round(this.x(t)), y + 1, 1, 4);
      }
      ctx.fillStyle = row % 2 ? '#fff' : '#f7f8fa';
      ctx.fillRect(0, y, labelW - 2, laneH);
      ctx.fillStyle = '#223';
      this.clippedText(ctx, lane.name, 4, y + laneH / 2, labelW - 8);
    });
    if (lanes.length === 0) {
      ctx.fillStyle = '#667';
      ctx.fillText('no lanes in this view', labelW + 8, top + 12);
    }
    // Where the lanes continue: a scroll hint.
    const total = this.lanes().length;
    this.laneText = total > lanes.length ? ` · lanes ${this.scrollLane + 1}–${Math.min(total, this.scrollLane + lanes.length)} of ${total}` : '';
  }

  drawBlocks(ctx, lane, b, y) {
    const right = labelW + this.width;
    this.stats.blocks += b.s.length;
    const instant = lane.kind === 'net' || lane.kind === 'timer' || lane.kind === 'syscall';
    // Rectangles are batched by colour into one path each: a fill per colour, not per block,
    // which is what keeps a redraw of thousands of blocks fast on a software canvas.
    const paths = new Map();
    const labels = [];
    const outlines = [];
    for (let i = 0; i < b.s.length; i++) {
      let x0 = this.x(b.s[i]);
      let x1 = this.x(b.e[i]);
      if (x1 < labelW || x0 > right) continue;
      x0 = Math.max(labelW, x0);
      x1 = Math.min(right, x1);
      const k = b.k[i];
      const merged = b.n[i] > 1;
      if (merged) this.stats.merged++;
      const color = lane.kind === 'gc' ? '#d05050' : lane.kind === 'stw' ? '#a02020' : kindColor(k, b.c[i]);
      const key = merged ? `m${color}` : color;
      let path = paths.get(key);
      if (!path) paths.set(key, (path = new Path2D()));
      if (instant) path.rect(Math.round(x0), y + 3, Math.max(1.5, x1 - x0), laneH - 6);
      else path.rect(x0, y + 2, Math.max(1, x1 - x0), laneH - 4);
      if (b.g[i] === this.highlight && this.highlight > 0) outlines.push([x0, x1]);
      if (x1 - x0 > 40 && !instant) labels.push([i, x0, x1, k, merged]);
    }
    for (const [key, path] of paths) {
      const merged = key.startsWith('m');
      ctx.globalAlpha = merged ? 0.6 : 1;
      ctx.fillStyle = merged ? key.slice(1) : key;
      ctx.fill(path);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 1.5;
    for (const [x0, x1] of outlines) ctx.strokeRect(x0, y + 1.5, Math.max(2, x1 - x0), laneH - 3);
    ctx.lineWidth = 1;
    ctx.fillStyle = '#111';
    for (const [i, x0, x1, k, merged] of labels) {
      const who = `G${b.g[i]} ${this.meta.groups[b.c[i]] ?? ''}`;
      const name = lane.kind === 'goroutine' ? this.meta.kinds[k] : lane.kind === 'gc' ? 'GC' : lane.kind === 'stw' ? 'STW' : this.meta.kinds[k] === 'syscall' ? `syscall: ${who}` : who;
      this.clippedText(ctx, merged ? `${b.n[i]} slices` : name, x0 + 3, y + laneH / 2, x1 - x0 - 6);
    }
  }

  clippedText(ctx, s, x, y, maxW) {
    if (maxW <= 8) return;
    // The font is monospaced: one measurement gives every string's width, so long lane lists draw fast.
    this.charW ??= ctx.measureText('MMMMMMMMMM').width / 10;
    const fits = Math.floor(maxW / this.charW);
    ctx.fillText(s.length <= fits ? s : `${s.slice(0, Math.max(1, fits - 1))}…`, x, y);
  }

  drawSelection(ctx, hgt) {
    if (!this.sel) return;
    const a = Math.max(labelW, this.x(Math.min(this.sel[0], this.sel[1])));
    const b = Math.min(labelW + this.width, this.x(Math.max(this.sel[0], this.sel[1])));
    if (b <= a) return;
    ctx.fillStyle = 'rgba(42, 93, 176, 0.15)';
    ctx.fillRect(a, axisH, b - a, hgt - axisH);
    ctx.strokeStyle = 'rgba(42, 93, 176, 0.8)';
    ctx.strokeRect(a + 0.5, axisH + 0.5, b - a - 1, hgt - axisH - 1);
  }

  /** blockRect is the centre of the widest block drawn in the first visible lane of `kind` (box coordinates). */
  blockRect(kind) {
    const top = this.lanesTop();
    const lanes = this.visibleLanes();
    for (let row = 0; row < lanes.length; row++) {
      if (this.meta.lanes.at(lanes[row]).kind !== kind) continue;
      const b = this.blocks.get(lanes[row]);
      if (!b || b.s.length === 0) continue;
      let best = 0;
      let bestW = -1;
      for (let i = 0; i < b.s.length; i++) {
        const w = Math.min(labelW + this.width, this.x(b.e[i])) - Math.max(labelW, this.x(b.s[i]));
        if (w > bestW) {
          bestW = w;
          best = i;
        }
      }
      const x0 = Math.max(labelW, this.x(b.s[best]));
      return { x: x0 + Math.max(1, bestW) / 2, y: top + row * laneH + laneH / 2, g: b.g[best], n: b.n[best] };
    }
    return undefined;
  }

  /** hit finds the block under (x, y): its lane and block index. */
  hit(x, y) {
    const row = Math.floor((y - this.lanesTop()) / laneH);
    if (row < 0 || x < labelW) return undefined;
    const lane = this.visibleLanes()[row];
    const b = lane !== undefined ? this.blocks.get(lane) : undefined;
    if (!b) return undefined;
    let best;
    let bestD = 4;
    for (let i = 0; i < b.s.length; i++) {
      const x0 = this.x(b.s[i]);
      const x1 = Math.max(x0 + 1, this.x(b.e[i]));
      const d = x < x0 ? x0 - x : x > x1 ? x - x1 : 0;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best === undefined ? undefined : { lane, slice: b.i[best], n: b.n[best] };
  }

  listen() {
    const c = this.canvas;
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        if (e.shiftKey) return this.scroll(Math.sign(e.deltaY || e.deltaX) * 3);
        const rect = c.getBoundingClientRect();
        const x = e.clientX - rect.left;
        this.zoom(Math.exp(e.deltaY * 0.002), x >= labelW ? this.timeAt(x) : undefined);
      },
      { passive: false },
    );
    let drag = null;
    c.addEventListener('mousedown', (e) => {
      const rect = c.getBoundingClientRect();
      const x = e.clientX - rect.left;
      drag = { x0: x, y0: e.clientY - rect.top, t0: this.t0, t1: this.t1, moved: false, select: e.shiftKey || e.clientY - rect.top < axisH, at: this.timeAt(x) };
      this.box.focus();
    });
    window.addEventListener('mousemove', (e) => {
      if (!drag) return;
      const rect = c.getBoundingClientRect();
      const x = e.clientX - rect.left;
      if (Math.abs(x - drag.x0) > 3) drag.moved = true;
      if (!drag.moved) return;
      if (drag.select) {
        this.sel = [drag.at, this.timeAt(x)];
        this.draw();
      } else {
        const dt = ((x - drag.x0) / this.width) * (drag.t1 - drag.t0);
        this.setRange(drag.t0 - dt, drag.t1 - dt);
      }
    });
    window.addEventListener('mouseup', (e) => {
      if (!drag) return;
      const d = drag;
      drag = null;
      const rect = c.getBoundingClientRect();
      if (d.moved && d.select) return this.selectRange(Math.min(...this.sel), Math.max(...this.sel)).catch(this.h.showError);
      if (!d.moved) {
        const hit = this.hit(e.clientX - rect.left, e.clientY - rect.top);
        if (hit) this.openSlice(hit.slice).catch(this.h.showError);
      }
    });
    window.addEventListener('keydown', (e) => {
      if (document.getElementById('timeline').hidden || e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key.toLowerCase();
      const span = this.t1 - this.t0;
      if (k === 'w' || k === '+' || k === '=') this.zoom(1 / 1.25);
      else if (k === 's' || k === '-') this.zoom(1.25);
      else if (k === 'a') this.pan(-span / 10);
      else if (k === 'd') this.pan(span / 10);
      else if (k === 'arrowdown') this.scroll(1);
      else if (k === 'arrowup') this.scroll(-1);
      else if (k === 'pagedown') this.scroll(10);
      else if (k === 'pageup') this.scroll(-10);
      else if (k === 'escape') {
        this.sel = null;
        this.draw();
      } else return;
      e.preventDefault();
    });
  }

  scroll(rows) {
    const max = Math.max(0, this.lanes().length - 3);
    this.scrollLane = Math.max(0, Math.min(max, this.scrollLane + rows));
    this.changed();
  }

  async selectRange(a, b) {
    this.sel = [a, b];
    this.draw();
    const r = await this.h.getJSON('api/trace/range', { start: a, end: b, width: 1 });
    const { el, go } = this.h;
    const total = r.states.reduce((s, x) => s + x.ns, 0) || 1;
    this.details.replaceChildren(
      el('h4', { text: `Selected ${duration(r.end - r.start)}` }),
      el('p', { class: 'mono', text: `${duration(r.start)} – ${duration(r.end)}` }),
      el(
        'p',
        {},
        el('button', { class: 'link', id: 'zoom-selection', text: 'Zoom to selection', onclick: () => ((this.sel = null), this.setRange(a, b)) }),
        ' · ',
        el('button', { class: 'link', text: 'Latency profiles of this range', onclick: () => go({ tab: 'profiles', sel0: Math.floor(a), sel1: Math.ceil(b) }) }),
      ),
      el('h4', { text: 'Goroutine time by state' }),
      el('table', { id: 'range-states' }, ...r.states.map((s) => el('tr', {}, el('td', { text: s.state }), el('td', { class: 'num', text: duration(s.ns) }), el('td', { class: 'num', text: `${((100 * s.ns) / total).toFixed(1)}%` })))),
      el('h4', { text: `GC: ${r.gcCount} cycle(s), ${duration(r.gcNs)}` }),
      el('h4', { text: 'Running time by goroutine group' }),
      el(
        'table',
        { id: 'range-groups' },
        ...r.groups.slice(0, 50).map((g) => el('tr', {}, el('td', { text: g.name || '(unknown)' }), el('td', { class: 'num', text: duration(g.running) }), el('td', { class: 'num', text: `${g.goroutines} G` }))),
      ),
    );
  }

  async openSlice(i) {
    const d = await this.h.getJSON('api/trace/slice', { i });
    const { el, go, stackBlock } = this.h;
    this.highlight = d.g > 0 ? d.g : -1;
    this.draw();
    const ev = (title, r) =>
      r
        ? [
            el('h4', { text: `${title}: ${r.type}${r.g ? ` by G${r.g}` : ''} at ${duration(r.ts)}${r.p >= 0 ? ` on P${r.p}` : ''}` }),
            stackBlock(r.stack),
          ]
        : [];
    const parts = [
      el('h4', { id: 'slice-title', text: d.g > 0 ? `G${d.g} ${d.group}` : d.kind }),
      el('table', {}, el('tr', {}, el('td', { text: 'state' }), el('td', { text: d.kind })), el('tr', {}, el('td', { text: 'from' }), el('td', { text: duration(d.start) })), el('tr', {}, el('td', { text: 'lasted' }), el('td', { text: duration(d.end - d.start) }))),
    ];
    if (d.g > 0) {
      parts.push(
        el(
          'p',
          {},
          el('button', { class: 'link', id: 'open-goroutine', text: `Goroutine ${d.g}: its page`, onclick: () => go({ tab: 'goroutines', g: d.g, pc: '' }) }),
          ' · ',
          el('button', { class: 'link', text: 'its lane', onclick: () => this.follow(d.g, d.start) }),
        ),
        el('h4', { text: 'Start stack' }),
        stackBlock(d.startStack),
      );
    }
    if (d.wokenBy) {
      const w = d.wokenBy;
      parts.push(
        el('h4', { text: 'Woken by' }),
        el('p', {}, el('button', { class: 'link', id: 'waker', text: `${w.type}${w.g ? ` by G${w.g}` : ''} at ${duration(w.ts)}`, onclick: () => this.follow(w.g, w.ts) })),
        stackBlock(w.stack),
      );
    }
    parts.push(...ev('Began with', d.began), ...ev('Ended with', d.ended));
    this.details.replaceChildren(...parts);
  }

  /** follow shows goroutine g around time t: its lane in the goroutine view, highlighted. */
  follow(g, t) {
    this.highlight = g > 0 ? g : -1;
    const span = Math.min(this.t1 - this.t0, 200_000);
    this.view = g > 0 ? 'goroutines' : this.view;
    const lane = this.laneOfGoroutine(g);
    if (lane !== undefined && lane >= 0) this.scrollLane = Math.max(0, this.lanes().indexOf(lane) - 2);
    this.blocks.clear();
    this.setRange(t - span / 2, t + span / 2);
  }
}

function bytes(n) {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)}GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)}MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)}kB`;
  return `${n}B`;
}
