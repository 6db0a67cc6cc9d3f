// The proflens page: menus and refine box in the header, one section per tab, all state in the
// address bar. Every string that comes from the profile reaches the page through textContent (or
// speedscope's canvas), never through markup.

import { drawDiffFlame } from './diff-flame.js';

const $ = (sel, root = document) => root.querySelector(sel);
/** base is the folder the page is served from: / alone, or a prefix when the trace UI mounts these views. */
const base = location.pathname.replace(/[^/]*$/, '');
const reportKeys = ['si', 'g', 'focus', 'ignore', 'hide', 'show', 'normalize'];
const tabs = ['flame', 'top', 'source', 'peek', 'graph', 'diff'];
let meta;

/** state is the page's parameters, read from and written to the address bar. */
const state = () => new URLSearchParams(location.search);

function setState(changes, push = true) {
  const q = state();
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') q.delete(k);
    else q.set(k, v);
  }
  const url = `${location.pathname}?${q}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  render();
}

/** reportQuery is the part of the state every endpoint takes. */
function reportQuery(extra = {}) {
  const q = state();
  const out = new URLSearchParams();
  for (const k of reportKeys) if (q.get(k)) out.set(k, q.get(k));
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out;
}

async function getJSON(path, extra) {
  const res = await fetch(`${path}?${reportQuery(extra)}`);
  const body = await res.json();
  if (!res.ok || body.error) throw new Error(body.error || `${path}: HTTP ${res.status}`);
  return body;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function showError(e) {
  const box = $('#error');
  box.hidden = !e;
  box.textContent = e ? String(e.message || e) : '';
}

/** regexQuote makes a function name into a regex matching exactly that name. */
const regexQuote = (s) => `^${s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;

// ---- header ----

function renderHeader() {
  const q = state();
  const sample = $('#sample');
  sample.value = q.get('si') || meta.sampleTypes[meta.defaultSampleIndex].type;
  $('#granularity').value = q.get('g') || meta.granularity;
  $('#normalize').checked = q.get('normalize') ? q.get('normalize') === '1' : meta.normalize;
  for (const input of $('#refine').elements) if (input.name) input.value = q.get(input.name) || '';
  $('#download').href = `${base}download/profile.pb.gz?${reportQuery()}`;
  const tab = currentTab();
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  for (const t of tabs) $(`#${t}`).hidden = t !== tab;
}

function currentTab() {
  const t = state().get('tab');
  if (t === 'diff' && !meta.hasDiff) return 'flame';
  if (t === 'graph' && !meta.hasGraph) return 'flame';
  return tabs.includes(t) ? t : 'flame';
}

// ---- tabs ----

function renderFlame() {
  const view = state().get('view') || 'left-heavy';
  for (const b of document.querySelectorAll('#flame [data-view]')) b.classList.toggle('active', b.dataset.view === view);
  const profileURL = `${base}api/flame?${reportQuery()}`;
  const hash = `#profileURL=${encodeURIComponent(profileURL)}&title=${encodeURIComponent(meta.title)}&view=${view}`;
  const old = $('#speedscope');
  const src = `${base}speedscope/index.html${hash}`;
  // speedscope reads its parameters once, at load: a new profile or view means a new document.
  if (old.dataset.src !== src) {
    const frame = el('iframe', { id: 'speedscope', title: 'Flame graph (speedscope)', src });
    frame.dataset.src = src;
    old.replaceWith(frame);
  }
}

let topRows = [];
let topSort = { key: 'flat', asc: false };

async function renderTop() {
  const data = await getJSON(`${base}api/top`);
  $('#top .labels').textContent = [...data.labels, ...data.warnings].join('\n');
  topRows = data.rows;
  drawTopRows();
}

function drawTopRows() {
  const { key, asc } = topSort;
  const rows = [...topRows].sort((a, b) => {
    const d = key === 'name' ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : Math.abs(a[key]) - Math.abs(b[key]);
    return asc ? d : -d;
  });
  for (const th of document.querySelectorAll('#top th[data-sort]')) {
    th.classList.toggle('sorted', th.dataset.sort === key);
    th.classList.toggle('asc', th.dataset.sort === key && asc);
  }
  const pct = (v) => `${v.toFixed(2)}%`;
  const body = $('#top tbody');
  body.replaceChildren(
    ...rows.map((r) =>
      el(
        'tr',
        {},
        el('td', { class: 'num', text: r.flatText }),
        el('td', { class: 'num', text: pct(r.flatPercent) }),
        el('td', { class: 'num', text: pct(r.sumPercent) }),
        el('td', { class: 'num', text: r.cumText }),
        el('td', { class: 'num', text: pct(r.cumPercent) }),
        el('td', { class: 'name', title: r.name, text: r.inlineLabel ? `${r.name} ${r.inlineLabel}` : r.name }),
        el(
          'td',
          { class: 'actions' },
          el('button', { text: 'focus', title: 'keep only samples through this function', onclick: () => setState({ focus: regexQuote(r.name), tab: 'flame' }) }),
          el('button', { text: 'ignore', title: 'drop samples through this function', onclick: () => setState({ ignore: regexQuote(r.name) }) }),
          el('button', { text: 'source', onclick: () => setState({ tab: 'source', fn: r.name }) }),
          el('button', { text: 'peek', onclick: () => setState({ tab: 'peek', fn: r.name }) }),
        ),
      ),
    ),
  );
}

/**
 * functionTab is the part the source and peek tabs share: with no function chosen, the tab shows
 * its hint and nothing else; with one, its data from /api/<tab>. Returns undefined in the first case.
 */
async function functionTab(tab) {
  const fn = state().get('fn');
  $(`#${tab} .empty`).hidden = !!fn;
  const box = $(`#${tab} .body`);
  if (!fn) return void box.replaceChildren();
  return { box, data: await getJSON(`${base}api/${tab}`, { fn }) };
}

async function renderSource() {
  const shown = await functionTab('source');
  if (!shown) return;
  const { box, data } = shown;
  box.replaceChildren(
    el('p', { text: `Total: ${data.total}` }),
    ...data.entries.map((e) => {
      const head = el('h3', {}, e.name, el('span', { class: 'file', text: e.file ? `  ${e.file}  (flat ${e.flatText}, cum ${e.cumText})` : '' }));
      if (e.error) return el('div', { class: 'routine' }, head, el('p', { class: 'empty', text: e.error }));
      const max = Math.max(1, ...e.lines.map((l) => Math.abs(l.cum)));
      const rows = e.lines.map((l) => {
        const heat = Math.abs(l.cum) / max;
        const tr = el(
          'tr',
          { class: l.cum !== 0 ? 'hot' : '' },
          el('td', { class: 'num', text: l.flatText }),
          el('td', { class: 'num', text: l.cumText }),
          el('td', { class: 'ln', text: String(l.lineno) }),
          el('td', { class: 'code', text: l.text }),
        );
        // Hot lines: the more of the function's cum, the deeper the tint.
        if (l.cum !== 0) tr.style.background = `rgba(224, 88, 79, ${(0.1 + 0.45 * heat).toFixed(3)})`;
        return tr;
      });
      const columns = el('tr', {}, ...['flat', 'cum', 'line', 'source'].map((h) => el('th', { text: h })));
      return el('div', { class: 'routine' }, head, el('table', { class: 'listing' }, el('thead', {}, columns), el('tbody', {}, ...rows)));
    }),
  );
}

async function renderPeek() {
  const shown = await functionTab('peek');
  if (!shown) return;
  const { box, data } = shown;
  // A caller or callee: click its name to peek at it in turn.
  const edgeRow = (e, cls) =>
    el(
      'tr',
      { class: cls },
      el('td', {}),
      el('td', {}),
      el('td', { class: 'num', text: e.weightText }),
      el('td', { class: 'num', text: `${e.percent.toFixed(2)}%` }),
      el('td', { class: 'name' }, `${cls === 'caller' ? '↑' : '↓'} `, el('a', { href: '#', text: e.name, onclick: (ev) => (ev.preventDefault(), setState({ fn: e.name })) }), e.inline ? ' (inline)' : ''),
    );
  const rows = [];
  for (const n of data.nodes) {
    rows.push(el('tr', { class: 'peek-sep' }, el('td', { colspan: '5' })));
    for (const e of n.callers) rows.push(edgeRow(e, 'caller'));
    rows.push(el('tr', { class: 'peek-node' }, el('td', { class: 'num', text: n.flatText }), el('td', { class: 'num', text: n.cumText }), el('td', {}), el('td', {}), el('td', { class: 'name', text: n.name })));
    for (const e of n.callees) rows.push(edgeRow(e, 'callee'));
  }
  const head = el('tr', {}, ...['flat', 'cum', 'calls', 'calls%', 'callers ↑ · function · callees ↓'].map((h) => el('th', { text: h })));
  box.replaceChildren(el('pre', { class: 'labels', text: data.labels.join('\n') }), el('table', { class: 'rows' }, el('thead', {}, head), el('tbody', {}, ...rows)));
}

let viz;
async function renderGraph() {
  const status = $('#graph .status');
  status.textContent = 'Laying out the call graph…';
  const data = await getJSON(`${base}api/graph`);
  // Graphviz compiled to WebAssembly, loaded the first time the tab opens.
  viz ??= await (await import(`${base}vendor/viz.js`)).instance();
  const svg = viz.renderSVGElement(data.dot);
  for (const node of svg.querySelectorAll('g.node')) {
    const name = data.nodes[node.id];
    if (name === undefined) continue;
    node.addEventListener('click', () => setState({ tab: 'peek', fn: name }));
  }
  $('#graph .body').replaceChildren(svg);
  status.textContent = 'Box size and colour show flat and cum values, as in pprof. Click a function to peek at its callers and callees.';
}

let diffData;
async function renderDiff() {
  diffData = await getJSON(`${base}api/diff`);
  drawDiffFlame($('#diff .canvas-box'), diffData);
}

const renderers = { flame: renderFlame, top: renderTop, source: renderSource, peek: renderPeek, graph: renderGraph, diff: renderDiff };

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  renderHeader();
  showError(null);
  try {
    await renderers[currentTab()]();
  } catch (e) {
    if (seq === renderSeq) showError(e);
  }
}

async function start() {
  meta = await (await fetch(`${base}api/meta`)).json();
  document.title = `proflens · ${meta.title}`;
  $('#title').textContent = meta.title;
  $('#title').title = meta.title;
  $('#sample').replaceChildren(...meta.sampleTypes.map((t) => el('option', { value: t.type, text: `${t.type} (${t.unit})` })));
  $('#tabs [data-tab=diff]').hidden = !meta.hasDiff;
  // Normalize compares with the base: without one it means nothing (pprof refuses it).
  $('#normalize-box').hidden = !meta.hasDiff;
  $('#tabs [data-tab=graph]').hidden = !meta.hasGraph;

  $('#sample').addEventListener('change', (e) => setState({ si: e.target.value }));
  $('#granularity').addEventListener('change', (e) => setState({ g: e.target.value }));
  $('#normalize').addEventListener('change', (e) => setState({ normalize: e.target.checked ? '1' : '0' }));
  $('#refine').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    setState(Object.fromEntries(['focus', 'ignore', 'hide', 'show'].map((k) => [k, f.get(k).trim()])));
  });
  $('#reset').addEventListener('click', () => setState({ focus: '', ignore: '', hide: '', show: '' }));
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => setState({ tab: b.dataset.tab }));
  for (const b of document.querySelectorAll('#flame [data-view]')) b.addEventListener('click', () => setState({ view: b.dataset.view }, false));
  for (const th of document.querySelectorAll('#top th[data-sort]')) {
    th.addEventListener('click', () => {
      const key = th.dataset.sort;
      topSort = { key, asc: topSort.key === key ? !topSort.asc : key === 'name' };
      drawTopRows();
    });
  }
  $('#diff-reset').addEventListener('click', () => diffData && drawDiffFlame($('#diff .canvas-box'), diffData));
  addEventListener('popstate', render);
  addEventListener('resize', () => currentTab() === 'diff' && diffData && drawDiffFlame($('#diff .canvas-box'), diffData, true));
  await render();
}

start().catch(showError);
