// The proflens trace page: navigation, and the Goroutines, Latency profiles and Tasks pages. The
// timeline is trace-timeline.js. Every string from the trace reaches the page through
// textContent or canvas text, never through markup.

import { el, fetchJSON, showError } from './dom.js';
import { Timeline, duration } from './trace-timeline.js';

const $ = (sel, root = document) => root.querySelector(sel);
const tabs = ['timeline', 'goroutines', 'profiles', 'tasks', 'mmu'];
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
      ...['net', 'sync', 'syscall', 'sched'].flatMap((k) => [el('a', { class: 'link', href: `pprof-${k}-g${pc}/`, text: k }), ' ']),
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
    waits.append(el('h4', { text: `${w.kind}: ${w.count} × , ${duration(w.ns)}` }), stackBlock(w.stack));
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

function renderProfiles() {
  const q = state();
  const box = $('#profiles');
  const list = (suffix) => ['net', 'sync', 'syscall', 'sched'].flatMap((k) => [el('a', { class: 'link', href: `pprof-${k}${suffix}/`, text: k }), ' ']);
  const parts = [
    el('h3', { text: 'Latency profiles' }),
    el('p', { class: 'hint', text: 'As go tool trace -pprof=KIND builds them: where goroutines waited for the network, synchronisation, syscalls or a CPU, opened in the pprof views (flame graph, top, graph, source, peek).' }),
    el('p', {}, 'Whole trace: ', ...list('')),
  ];
  const s = q.get('sel0');
  const e = q.get('sel1');
  if (s && e) parts.push(el('p', {}, `Selected range ${duration(Number(s))} – ${duration(Number(e))}: `, ...list(`-r${Math.floor(Number(s))}-${Math.ceil(Number(e))}`)));
  else parts.push(el('p', { class: 'hint', text: 'Select a range on the timeline (shift+drag) for the profiles of that range; a goroutine group’s page has its own.' }));
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

// ---- start ----

async function start() {
  meta = await getJSON('api/trace/meta');
  $('#title').textContent = meta.title;
  $('#about').textContent = `Go ${meta.goVersion} trace, ${meta.events.toLocaleString('en')} events, ${duration(meta.end)}`;
  document.title = `proflens trace: ${meta.title}`;
  timeline = new Timeline($('#tl-canvas'), $('#tl-box'), $('#details'), meta, { go, el, getJSON, showError, stackBlock });
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => go({ tab: b.dataset.tab, pc: '', g: '', type: '' }));
  window.addEventListener('popstate', () => render().catch(showError));
  await render();
}


start().catch(showError);
