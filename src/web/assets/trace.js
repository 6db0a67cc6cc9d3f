// The proflens trace page: navigation, and the Goroutines, Latency profiles and Tasks pages. The
// timeline is trace-timeline.js. Every string from the trace reaches the page through
// textContent or canvas text, never through markup.

import { el, fetchJSON, showError } from './dom.js';
import { Timeline, TraceLanes, duration } from './trace-timeline.js';

const $ = (sel, root = document) => root.querySelector(sel);
const tabs = ['timeline', 'goroutines', 'profiles', 'tasks', 'regions', 'mmu'];
let meta;
let timeline;

/** getJSON asks an endpoint with the given parameters. */
const getJSON = (path, params = {}) => fetchJSON(`${path}?${new URLSearchParams(params)}`);

const state = () => new URLSearchParams(location.search);

/** go switches the page (tab and its parameters), keeping them in the address bar. */
export function go(changes, push = true) {
  const q = state();
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '' || v === null) q.delete(k);
    else q.set(k, String(v));
  }
  const url = `${location.pathname}?${q}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  render().catch(showError);
}

function currentTab() {
  const t = state().get('tab');
  return tabs.includes(t) ? t : 'timeline';
}

async function render() {
  showError(null);
  const tab = currentTab();
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  for (const t of tabs) $(`#${t}`).hidden = t !== tab;
  if (tab === 'timeline') timeline.show(state());
  else if (tab === 'goroutines') await renderGoroutines();
  else if (tab === 'profiles') renderProfiles();
  else if (tab === 'tasks') await renderTasks();
  else if (tab === 'regions') await renderRegions();
  else if (tab === 'mmu') await renderMMU();
}

// ---- goroutines ----

const columns = [
  ['total', 'totalTime', 'Total'],
  ['exec', 'execTime', 'Execution'],
  ['net', 'ioTime', 'Network wait'],
  ['sync', 'blockTime', 'Sync block'],
  ['syscall', 'syscallTime', 'Blocking syscall'],
  ['sched', 'schedWaitTime', 'Scheduler wait'],
  ['sweep', 'sweepTime', 'GC sweeping'],
  ['gc', 'gcTime', 'GC pause'],
];
const barColors = { execTime: '#4caf6a', ioTime: '#4a7fd0', blockTime: '#e0904f', syscallTime: '#9a6ad0', schedWaitTime: '#d8c547', sweepTime: '#a0a4aa', gcTime: '#d05050' };

/** sortable makes a table whose header sorts its rows (numbers largest first). */
function sortable(cols, rows, renderRow, initial) {
  let sort = { key: initial, asc: false };
  const table = el('table', { class: 'rows' });
  const head = el('tr');
  const body = el('tbody');
  const draw = () => {
    const k = sort.key;
    const sorted = [...rows].sort((a, b) => {
      const x = a[k];
      const y = b[k];
      const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.asc ? c : -c;
    });
    body.replaceChildren(...sorted.map(renderRow));
    for (const th of head.children) {
      th.classList.toggle('sorted', th.dataset.key === k);
      th.classList.toggle('asc', th.dataset.key === k && sort.asc);
    }
  };
  for (const [key, label, num] of cols) {
    const th = el('th', { text: label, class: num ? 'num' : '' });
    th.dataset.key = key;
    th.addEventListener('click', () => {
      sort = { key, asc: sort.key === key ? !sort.asc : !num };
      draw();
    });
    head.append(th);
  }
  table.append(el('thead', {}, head), body);
  draw();
  return table;
}

function stackBlock(frames) {
  if (!frames || frames.length === 0) return el('p', { class: 'hint', text: '(no stack)' });
  return el('pre', { class: 'stack', text: frames.map((f) => `${f.fn}\n    ${f.file}:${f.line}`).join('\n') });
}

async function renderGoroutines() {
  const box = $('#goroutines');
  const q = state();
  const id = q.get('g');
  const pc = q.get('pc');
  if (id) return renderGoroutine(box, id);
  if (pc) return renderGroup(box, pc);
  const groups = await getJSON('api/trace/groups');
  box.replaceChildren(
    el('h3', { text: 'Goroutines by start function' }),
    el('p', { class: 'hint', text: 'As go tool trace /goroutines groups them (numbers equal proflens trace goroutines). Click a group for its goroutines.' }),
    sortable(
      [
        ['name', 'Start location', false],
        ['count', 'Count', true],
        ['execTime', 'Total execution time', true],
        ['execShare', 'Share', true],
      ],
      groups,
      (r) =>
        el(
          'tr',
          { 'data-pc': String(r.pc) },
          el('td', { class: 'name' }, el('button', { class: 'link', text: r.name || '(goroutines that did not start)', onclick: () => go({ tab: 'goroutines', pc: r.pc, g: '' }) })),
          el('td', { class: 'num', text: String(r.count) }),
          el('td', { class: 'num', text: duration(r.execTime) }),
          el('td', { class: 'num', text: `${(r.execShare * 100).toFixed(2)}%` }),
        ),
      'execTime',
    ),
  );
}

function timeBar(r) {
  const bar = el('div', { class: 'bar', title: 'execution, network, sync, syscall, scheduler wait, sweep, GC' });
  const total = r.totalTime || 1;
  for (const [k, color] of Object.entries(barColors)) {
    if (r[k] > 0) bar.append(el('span', { style: `width:${(100 * r[k]) / total}%;background:${color}` }));
  }
  return bar;
}

async function renderGroup(box, pc) {
  const rows = await getJSON('api/trace/goroutines', { pc });
  const name = rows[0]?.name || '(goroutines that did not start)';
  box.replaceChildren(
    el('p', { class: 'crumbs' }, el('button', { class: 'link', text: 'All groups', onclick: () => go({ tab: 'goroutines', pc: '', g: '' }) }), ' › ', el('span', { class: 'mono', text: name })),
    el(
      'p',
      {},
      'Latency profiles of this group: ',
      ...profileLinks(`-g${pc}`),
    ),
    el('p', { class: 'legend-row hint' }, ...Object.entries(barColors).map(([k, c]) => el('span', {}, el('span', { class: 'swatch', style: `background:${c}` }), `${k.replace(/Time$/, '')} `))),
    sortable(
      [['id', 'Goroutine', true], ...columns.map(([, f, label]) => [f, label, true]), ['bar', 'Where the time went', false]],
      rows.map((r) => ({ ...r, bar: r.totalTime })),
      (r) =>
        el(
          'tr',
          {},
          el('td', {}, el('button', { class: 'link', text: String(r.id), onclick: () => go({ tab: 'goroutines', g: r.id }) })),
          ...columns.map(([, f]) => el('td', { class: 'num', text: duration(r[f]) })),
          el('td', {}, timeBar(r)),
        ),
      'totalTime',
    ),
  );
}

async function renderGoroutine(box, id) {
  const d = await getJSON('api/trace/goroutine', { id });
  const g = d.goroutine;
  const back = el('p', { class: 'crumbs' }, el('button', { class: 'link', text: 'All groups', onclick: () => go({ tab: 'goroutines', pc: '', g: '' }) }), ' › ');
  back.append(el('button', { class: 'link', text: g.name || '(goroutines that did not start)', onclick: () => go({ tab: 'goroutines', pc: g.pc, g: '' }) }), ` › G${g.id}`);
  const times = el('table', { class: 'rows' }, el('tbody', {}, ...columns.map(([, f, label]) => el('tr', {}, el('td', { text: label }), el('td', { class: 'num', text: duration(g[f]) })))));
  const waits = el('div');
  for (const w of d.waits) {
    waits.append(el('h4', { text: `${w.kind}: ${w.count} ${w.count === 1 ? 'time' : 'times'}, ${duration(w.ns)} in all` }), stackBlock(w.stack));
  }
  box.replaceChildren(
    back,
    el('h3', { text: `Goroutine ${g.id}` }),
    el('p', {}, el('button', { class: 'link', id: 'show-on-timeline', text: 'Show on the timeline', onclick: () => go({ tab: 'timeline', view: 'goroutines', lane: d.lane ?? '', start: g.startTime || 0, end: g.endTime || '' }) })),
    times,
    timeBar(g),
    el('h4', { text: 'Start stack' }),
    stackBlock(d.startStack),
    el('h4', { text: 'Created at' }),
    stackBlock(d.createdAt),
    el('h4', { text: 'Blocking events, longest first' }),
    d.waits.length ? waits : el('p', { class: 'hint', text: 'none' }),
  );
}

// ---- latency profiles ----

/**
 * profileLinks are the links to the four latency profiles of a scope, opening in the pprof views
 * (TraceSession.profileSession): '' whole trace, -gPC a group, -tN a region type, -tN-bM one of its
 * buckets, -rSTART-END a time range.
 */
function profileLinks(scope) {
  return ['net', 'sync', 'syscall', 'sched'].flatMap((k) => [el('a', { class: 'link', href: `pprof-${k}${scope}/`, text: k }), ' ']);
}

function renderProfiles() {
  const q = state();
  const box = $('#profiles');
  const parts = [
    el('h3', { text: 'Latency profiles' }),
    el('p', { class: 'hint', text: 'As go tool trace -pprof=KIND builds them: where goroutines waited for the network, synchronisation, syscalls or a CPU, opened in the pprof views (flame graph, top, graph, source, peek).' }),
    el('p', {}, 'Whole trace: ', ...profileLinks('')),
  ];
  const s = q.get('sel0');
  const e = q.get('sel1');
  if (s && e) parts.push(el('p', {}, `Selected range ${duration(Number(s))} – ${duration(Number(e))}: `, ...profileLinks(`-r${Math.floor(Number(s))}-${Math.ceil(Number(e))}`)));
  else parts.push(el('p', { class: 'hint', text: 'Select a range on the timeline (shift+drag) for the profiles of that range; a goroutine group’s page and each region type on the Regions page have their own.' }));
  box.replaceChildren(...parts);
}

// ---- tasks ----

async function renderTasks() {
  const box = $('#tasks');
  const q = state();
  const rows = await getJSON('api/trace/tasks');
  const parts = [el('h3', { text: 'User tasks by type' })];
  if (rows.length === 0) parts.push(el('p', { class: 'hint', text: 'The trace has no user tasks (runtime/trace.NewTask).' }));
  for (const r of rows) {
    parts.push(el('h4', { text: `${r.type || '(unnamed)'}: ${r.count} tasks, ${r.complete} complete` }));
    const max = Math.max(1, ...r.histogram.map((b) => b.count));
    const table = el('table', { class: 'rows hist' });
    for (const b of r.histogram) {
      table.append(
        el(
          'tr',
          {},
          el('td', { class: 'num' }, el('button', { class: 'link', text: duration(b.from), onclick: () => go({ tab: 'tasks', type: r.type, from: b.from, to: b.to }) })),
          el('td', { class: 'barcell' }, el('div', { class: 'hbar', style: `width:${(100 * b.count) / max}%` })),
          el('td', { class: 'num', text: String(b.count) }),
        ),
      );
    }
    parts.push(table);
  }
  if (q.has('type')) {
    const tasks = await getJSON('api/trace/tasklist', { type: q.get('type'), from: q.get('from') ?? 0, to: q.get('to') ?? '' });
    parts.push(el('h4', { text: `Tasks ${q.get('type')} from ${duration(Number(q.get('from') ?? 0))}` }));
    const t = el('table', { class: 'rows', id: 'task-list' });
    t.append(el('tr', {}, el('th', { text: 'Task' }), el('th', { text: 'Start' }), el('th', { text: 'Duration' }), el('th', { text: 'Goroutine' })));
    for (const k of tasks) {
      t.append(
        el(
          'tr',
          {},
          el('td', {}, el('button', { class: 'link', text: String(k.id), onclick: () => go({ tab: 'timeline', view: 'goroutines', start: k.start, end: k.end, goroutine: k.g, lane: '' }) })),
          el('td', { class: 'num', text: duration(k.start) }),
          el('td', { class: 'num', text: duration(k.end - k.start) }),
          el('td', { class: 'num', text: `G${k.g}` }),
        ),
      );
    }
    parts.push(t);
  }
  box.replaceChildren(...parts);
}

// ---- regions ----

/**
 * renderRegions is Go's /userregions: per region type (its name and where it starts) a duration
 * histogram; a bucket lists its regions, each opening its goroutine's lane at the region's span.
 */
async function renderRegions() {
  const box = $('#regions');
  const q = state();
  const rows = await getJSON('api/trace/regions');
  const parts = [el('h3', { text: 'User regions by type' })];
  if (rows.length === 0) parts.push(el('p', { class: 'hint', text: 'The trace has no user regions (runtime/trace.WithRegion, StartRegion).' }));
  const picked = { type: Number(q.get('rtype') ?? -1), bucket: Number(q.get('rbucket') ?? -1) };
  rows.forEach((r, ri) => {
    const where = r.frame ? ` at ${r.frame.fn} ${r.frame.file}:${r.frame.line}` : '';
    parts.push(el('h4', { text: `${r.type || '(unnamed)'}${where}: ${r.count} regions` }));
    parts.push(el('p', { class: 'region-profiles' }, 'Latency profiles inside these regions: ', ...profileLinks(`-t${ri}`)));
    const max = Math.max(1, ...r.histogram.map((b) => b.count));
    const table = el('table', { class: 'rows hist' });
    r.histogram.forEach((b, bi) => {
      table.append(
        el('tr', {},
          el('td', { class: 'num' }, el('button', { class: 'link', text: duration(b.from), onclick: () => go({ tab: 'regions', rtype: ri, rbucket: bi }) })),
          el('td', { class: 'barcell' }, el('div', { class: 'hbar', style: `width:${(100 * b.count) / max}%` })),
          el('td', { class: 'num', text: String(b.count) }),
        ),
      );
    });
    parts.push(table);
    const b = ri === picked.type ? r.histogram[picked.bucket] : undefined;
    if (!b) return;
    parts.push(el('h4', { text: `${r.type || '(unnamed)'} regions of ${duration(b.from)} to ${duration(b.to)}${b.items.length < b.count ? ` (the first ${b.items.length} of ${b.count})` : ''}` }));
    parts.push(el('p', { class: 'region-profiles' }, 'Latency profiles inside the regions of this bucket: ', ...profileLinks(`-t${ri}-b${picked.bucket}`)));
    const list = el('table', { class: 'rows', id: 'region-list' });
    list.append(el('tr', {}, el('th', { text: 'Goroutine' }), el('th', { text: 'Task' }), el('th', { text: 'Start' }), el('th', { text: 'Duration' })));
    for (const k of b.items) {
      list.append(
        el('tr', {},
          el('td', {}, el('button', { class: 'link', text: `G${k.goroutine}`, onclick: () => go({ tab: 'timeline', view: 'goroutines', start: k.start, end: k.start + Math.max(k.duration, 1), goroutine: k.goroutine, lane: '' }) })),
          el('td', { class: 'num', text: k.task ? String(k.task) : '' }),
          el('td', { class: 'num', text: duration(k.start) }),
          el('td', { class: 'num', text: duration(k.duration) }),
        ),
      );
    }
    parts.push(list);
  });
  box.replaceChildren(...parts);
}

// ---- MMU ----

const mmuFlags = [
  ['stw', 'Stop-the-world'],
  ['background', 'Background workers'],
  ['assist', 'Mark assist'],
  ['sweep', 'Sweeping'],
  ['perProc', 'Per P (each P on its own, not the whole program)'],
];
const svgNS = 'http://www.w3.org/2000/svg';
/** svg makes an SVG element with attributes (no markup: nothing from the trace is parsed). */
const svg = (tag, attrs = {}, text) => {
  const e = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
};

/**
 * renderMMU draws go tool trace's /mmu page: the minimum mutator utilisation for every window
 * size (log scale), the flags of what counts as not the program's time, and for the window picked
 * on the curve the worst windows, each a link to that stretch of the timeline.
 */
async function renderMMU() {
  const q = state();
  const flags = (q.get('flags') ?? 'stw,background,assist').split(',').filter(Boolean);
  const params = { flags: flags.join(',') };
  if (q.get('window')) params.window = q.get('window');
  const r = await getJSON('api/trace/mmu', params);
  const box = $('#mmu');
  const boxes = el('p', { class: 'toolbar' }, 'Count as not the program’s time:');
  for (const [name, label] of mmuFlags) {
    const input = el('input', { type: 'checkbox', 'data-flag': name });
    input.checked = flags.includes(name);
    input.addEventListener('change', () => {
      const on = mmuFlags.map(([n]) => n).filter((n) => (n === name ? input.checked : flags.includes(n)));
      go({ tab: 'mmu', flags: on.join(',') || ',' });
    });
    boxes.append(el('label', {}, input, ` ${label}`));
  }
  const W = 760;
  const H = 300;
  const pad = { l: 48, r: 28, t: 10, b: 36 };
  const lx = (w) => Math.log10(Math.max(w, 1));
  const x0 = lx(r.xMin);
  const x1 = Math.max(lx(r.xMax), x0 + 1e-9);
  const px = (w) => pad.l + ((lx(w) - x0) / (x1 - x0)) * (W - pad.l - pad.r);
  const py = (u) => pad.t + (1 - u) * (H - pad.t - pad.b);
  const plot = svg('svg', { id: 'mmu-plot', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img' });
  plot.append(svg('rect', { x: pad.l, y: pad.t, width: W - pad.l - pad.r, height: H - pad.t - pad.b, fill: 'none', stroke: '#c8ced8' }));
  for (const u of [0, 0.25, 0.5, 0.75, 1]) {
    plot.append(svg('line', { x1: pad.l, x2: W - pad.r, y1: py(u), y2: py(u), stroke: '#eef0f4' }));
    plot.append(svg('text', { x: pad.l - 6, y: py(u) + 4, 'text-anchor': 'end', 'font-size': 11 }, `${u * 100}%`));
  }
  for (let d = Math.pow(10, Math.ceil(x0)); lx(d) <= x1 + 1e-9; d *= 10) {
    plot.append(svg('line', { x1: px(d), x2: px(d), y1: pad.t, y2: H - pad.b, stroke: '#eef0f4' }));
    plot.append(svg('text', { x: px(d), y: H - pad.b + 14, 'text-anchor': 'middle', 'font-size': 11 }, duration(d)));
  }
  plot.append(svg('text', { x: (W + pad.l) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 11 }, 'window size (click to list the worst windows of that size)'));
  const d = r.curve.map(([w, u], i) => `${i ? 'L' : 'M'}${px(w).toFixed(1)},${py(u).toFixed(1)}`).join('');
  if (d) plot.append(svg('path', { d, fill: 'none', stroke: '#2a5db0', 'stroke-width': 2 }));
  if (r.window > 0) plot.append(svg('line', { id: 'mmu-window', x1: px(r.window), x2: px(r.window), y1: pad.t, y2: H - pad.b, stroke: '#d05050', 'stroke-dasharray': '4 3' }));
  plot.addEventListener('click', (e) => {
    const b = plot.getBoundingClientRect();
    const f = (e.clientX - b.left - pad.l) / (W - pad.l - pad.r);
    if (f < 0 || f > 1) return;
    go({ tab: 'mmu', window: Math.round(Math.pow(10, x0 + f * (x1 - x0))) });
  });
  const worst = el('table', { class: 'rows', id: 'mmu-worst' });
  worst.append(el('tr', {}, el('th', { text: 'MMU' }), el('th', { text: 'window from' }), el('th', { text: 'to' })));
  for (const w of r.worst) {
    worst.append(
      el('tr', {},
        el('td', { class: 'num', text: `${(w.mutatorUtil * 100).toFixed(1)}%` }),
        el('td', {}, el('button', { class: 'link', text: duration(w.time), onclick: () => go({ tab: 'timeline', start: w.time, end: w.time + r.window }) })),
        el('td', { class: 'num', text: duration(w.time + r.window) }),
      ),
    );
  }
  const table = el('table', { class: 'rows', id: 'mmu-table' });
  table.append(el('tr', {}, el('th', { text: 'window' }), el('th', { text: 'MMU' })));
  for (const t of r.table) table.append(el('tr', {}, el('td', { class: 'num', text: duration(t.window) }), el('td', { class: 'num', text: `${(t.mmu * 100).toFixed(1)}%` })));
  box.replaceChildren(
    el('h3', { text: 'Minimum mutator utilisation' }),
    el('p', { class: 'hint', text: 'For each window size, the smallest share of any window of that size the program (not the garbage collector) had the CPUs for: go tool trace’s /mmu.' }),
    boxes,
    plot,
    el('h4', { text: r.window > 0 ? `Worst windows of ${duration(r.window)}` : 'Worst windows' }),
    worst,
    el('h4', { text: 'By window size' }),
    table,
  );
}

// ---- start ----

async function start() {
  const sent = await getJSON('api/trace/meta');
  meta = { ...sent, lanes: new TraceLanes(sent) };
  $('#title').textContent = meta.title;
  $('#about').textContent = `Go ${meta.goVersion} trace, ${meta.events.toLocaleString('en')} events, ${duration(meta.end)}`;
  document.title = `proflens trace: ${meta.title}`;
  timeline = new Timeline($('#tl-canvas'), $('#tl-box'), $('#details'), meta, { go, el, getJSON, showError, stackBlock });
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => go({ tab: b.dataset.tab, pc: '', g: '', type: '', rtype: '', rbucket: '' }));
  window.addEventListener('popstate', () => render().catch(showError));
  await render();
}


start().catch(showError);
