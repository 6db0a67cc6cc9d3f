// The proflens page: menus and refine box in the header, one section per tab, all state in the
// address bar. Every string that comes from the profile reaches the page through textContent (or
// speedscope's canvas), never through markup.

import { drawDiffFlame } from './diff-flame.js';
import { drawFlameView, flameTree, heaviestSelf, sandwich } from './flame-view.js';
import { el, fetchJSON, showError } from './dom.js';

const $ = (sel, root = document) => root.querySelector(sel);
/** base is the folder the page is served from: / alone, or a prefix when the trace UI mounts these views. */
const base = location.pathname.replace(/[^/]*$/, '');
const reportKeys = ['si', 'g', 'focus', 'ignore', 'hide', 'show', 'normalize', 'tagroot', 'tagleaf'];
/** The refine form's fields: the filters, and the label keys made frames (pprof's -tagroot, -tagleaf). */
const refineKeys = ['focus', 'ignore', 'hide', 'show', 'tagroot', 'tagleaf'];
const tabs = ['flame', 'top', 'source', 'peek', 'graph', 'diff', 'compare'];
let meta;

/** state is the page's parameters, read from and written to the address bar. */
const state = () => new URLSearchParams(location.search);

function setState(changes, push = true) {
  const q = state();
  for (const [k, v] of Object.entries(changes)) {
    // An empty refine field is kept: it overrides the command line's value with none.
    if (v === undefined || (v === '' && !refineKeys.includes(k))) q.delete(k);
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
  for (const k of reportKeys) if (q.get(k) || (q.has(k) && refineKeys.includes(k))) out.set(k, q.get(k));
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out;
}

const getJSON = (path, extra) => fetchJSON(`${path}?${reportQuery(extra)}`);

/** regexQuote makes a function name into a regex matching exactly that name. */
const regexQuote = (s) => `^${s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;

// ---- search ----

/** searchText is the search box's text, lower-cased: names containing it match (plain text, any case). */
const searchText = () => (state().get('search') || '').trim().toLowerCase();
const matches = (name, needle = searchText()) => needle !== '' && name.toLowerCase().includes(needle);

/** highlighted is `text` as text nodes, with each occurrence of the search in a <mark>. */
function highlighted(text, needle = searchText()) {
  if (!needle) return [text];
  const out = [];
  const low = text.toLowerCase();
  let at = 0;
  for (let i = low.indexOf(needle); i >= 0; i = low.indexOf(needle, at)) {
    if (i > at) out.push(text.slice(at, i));
    out.push(el('mark', { text: text.slice(i, i + needle.length) }));
    at = i + needle.length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** applySearch redraws what the search changes in the current view, without asking the server again. */
function applySearch() {
  const tab = currentTab();
  if (tab === 'top') drawTopRows();
  else if (tab === 'graph') markGraph();
  else if (tab === 'flame') drawOwnFlame(true);
}

// ---- the function menu: source, peek, focus, ignore from any row or box ----

/**
 * openMenu shows the actions for one function at the pointer. Focus and ignore refine the view the
 * user is in; source and peek go to their tab, which is what picking them asks for.
 */
function openMenu(x, y, name) {
  const menu = $('#menu');
  const item = (text, title, changes) =>
    el('button', { role: 'menuitem', text, title, onclick: () => (closeMenu(), setState(changes)) });
  menu.replaceChildren(
    el('div', { class: 'menu-title', text: name, title: name }),
    item('Source', 'its annotated source (Source tab)', { tab: 'source', fn: name }),
    item('Peek', 'its callers and callees (Peek tab)', { tab: 'peek', fn: name }),
    item('Sandwich', 'its callers above it and its callees below, as flame graphs (Flame tab)', { tab: 'flame', view: 'proflens-sandwich', fn: name }),
    item('Focus', 'keep only samples through it, in this view', { focus: regexQuote(name) }),
    item('Ignore', 'drop samples through it, in this view', { ignore: regexQuote(name) }),
  );
  menu.hidden = false;
  const r = menu.getBoundingClientRect();
  menu.style.left = `${Math.max(0, Math.min(x, innerWidth - r.width - 4))}px`;
  menu.style.top = `${Math.max(0, Math.min(y, innerHeight - r.height - 4))}px`;
  menu.querySelector('button').focus();
}

function closeMenu() {
  $('#menu').hidden = true;
}

// ---- header ----

function renderHeader() {
  const q = state();
  const sample = $('#sample');
  sample.value = q.get('si') || meta.sampleTypes[meta.defaultSampleIndex].type;
  $('#granularity').value = q.get('g') || meta.granularity;
  $('#normalize').checked = q.get('normalize') ? q.get('normalize') === '1' : meta.normalize;
  // The fields show what applies: the page's value, else the command line's.
  for (const input of $('#refine').elements) if (input.name) input.value = q.has(input.name) ? q.get(input.name) : meta.refine[input.name];
  if (document.activeElement !== $('#search')) $('#search').value = q.get('search') || '';
  $('#download').href = `${base}download/profile.pb.gz?${reportQuery()}`;
  const tab = currentTab();
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  for (const t of tabs) $(`#${t}`).hidden = t !== tab;
}

function currentTab() {
  const t = state().get('tab');
  if ((t === 'diff' || t === 'compare') && !meta.hasDiff) return 'flame';
  if (t === 'graph' && !meta.hasGraph) return 'flame';
  return tabs.includes(t) ? t : 'flame';
}

// ---- tabs ----

/** ownViews are the Flame tab's views proflens draws itself; the others are speedscope's. */
const ownViews = { proflens: 'heavy', 'proflens-time': 'time', 'proflens-sandwich': 'sandwich' };

/** ownFlame is the speedscope file our flame view draws, with the query it was fetched for, and its trees. */
let ownFlame = { query: null, file: null, trees: {} };

/** ownTree is the flame tree of a layout ('heavy' or 'time'), made once per file. */
function ownTree(kind) {
  ownFlame.trees[kind] ??= flameTree(ownFlame.file, kind === 'time');
  return ownFlame.trees[kind];
}

/** drawOwnFlame draws proflens's flame graph in its layout: a frame click opens the function menu, in this tab. */
function drawOwnFlame(keepZoom) {
  const kind = ownViews[state().get('view')];
  if (!ownFlame.file || !kind) return;
  const o = { needle: searchText(), keepZoom, onFrame: openMenu, onZoom: () => ($('#flame-reset').hidden = false) };
  if (kind !== 'sandwich') return drawFlameView($('#flame-own'), ownTree(kind), o);
  // Sandwich: the chosen function (fn, shared with Source and Peek), else the one with the most self.
  const heavy = ownTree('heavy');
  const fn = state().get('fn') || heaviestSelf(heavy) || '';
  // Kept per function, so that a search or a resize keeps each half's zoom.
  const { callers, callees } = (ownFlame.trees[`sandwich\u0000${fn}`] ??= sandwich(heavy, fn));
  $('#flame .sandwich-hint').textContent = $('#flame .sandwich-hint').title = callers.value[0] > 0 ? `${fn}: its callers above, its callees below.` : `${fn} is not in this flame graph.`;
  drawFlameView($('#sandwich-callers'), callers, { ...o, inverted: true });
  drawFlameView($('#sandwich-callees'), callees, o);
}

async function renderFlame() {
  const view = state().get('view') || 'left-heavy';
  for (const b of document.querySelectorAll('#flame [data-view]')) b.classList.toggle('active', b.dataset.view === view);
  const kind = ownViews[view];
  $('#flame-own').hidden = !kind || kind === 'sandwich';
  $('#flame-sandwich').hidden = kind !== 'sandwich';
  $('#speedscope-box').hidden = !!kind;
  $('#flame .speedscope-hint').hidden = !!kind;
  $('#flame .own-hint').hidden = !kind || kind === 'sandwich';
  $('#flame .sandwich-hint').hidden = kind !== 'sandwich';
  $('#flame-export').href = `${base}api/flame?${reportQuery()}`;
  if (kind) {
    const query = String(reportQuery());
    if (ownFlame.query !== query) {
      ownFlame = { query, file: await getJSON(`${base}api/flame`), trees: {} };
      $('#flame-reset').hidden = true;
    }
    return drawOwnFlame(true);
  }
  $('#flame-reset').hidden = true;
  const old = $('#speedscope');
  const src = speedscopeSrc(view);
  // speedscope reads its parameters once, at load: a new profile or view means a new document.
  if (old.dataset.src !== src) {
    const frame = el('iframe', { id: 'speedscope', title: 'Flame graph (speedscope)', src });
    frame.dataset.src = src;
    frame.addEventListener('load', () => followSpeedscopeKeys(frame));
    old.replaceWith(frame);
  }
}

/** speedscopeSrc is the address of speedscope showing the flame graph of the page's state in a view. */
function speedscopeSrc(view) {
  const profileURL = `${base}api/flame?${reportQuery()}`;
  return `${base}speedscope/index.html#profileURL=${encodeURIComponent(profileURL)}&title=${encodeURIComponent(meta.title)}&view=${view}`;
}

/** speedscopeKeys are speedscope's view keys and the toolbar's views they switch to (its Time Order, Left Heavy, Sandwich). */
const speedscopeKeys = { 1: 'time-ordered', 2: 'left-heavy', 3: 'sandwich' };

/**
 * followSpeedscopeKeys keeps the toolbar and the address in step with speedscope's keys 1, 2, 3:
 * speedscope switches its own view (on a keypress reaching its window, where it listens), and the
 * page marks that view's button and records it, keeping the frame as it is (no reload).
 */
function followSpeedscopeKeys(frame) {
  frame.contentWindow?.addEventListener('keypress', (e) => {
    const view = speedscopeKeys[e.key];
    if (!view || $('#speedscope') !== frame || (state().get('view') || 'left-heavy') === view) return;
    const q = state();
    q.set('view', view);
    history.replaceState(null, '', `${location.pathname}?${q}`);
    for (const b of document.querySelectorAll('#flame [data-view]')) b.classList.toggle('active', b.dataset.view === view);
    frame.dataset.src = speedscopeSrc(view);
  });
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
  const needle = searchText();
  const rows = topRows.filter((r) => !needle || matches(r.name, needle)).sort((a, b) => {
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
        el(
          'td',
          { class: 'name', title: r.name, onclick: (ev) => openMenu(ev.clientX, ev.clientY, r.name) },
          ...highlighted(r.name, needle),
          r.inlineLabel ? ` ${r.inlineLabel}` : '',
        ),
        el(
          'td',
          { class: 'actions' },
          el('button', { text: 'focus', title: 'keep only samples through this function', onclick: () => setState({ focus: regexQuote(r.name) }) }),
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
  // fn: one function by name; re: every function a regex matches (proflens weblist RE).
  const fn = state().get('fn') || undefined;
  const re = fn ? undefined : state().get('re') || undefined;
  const picker = $(`#${tab} input.fn`);
  if (document.activeElement !== picker) picker.value = fn || '';
  if (!fn && !re) suggestFunctions(tab);
  $(`#${tab} .empty`).hidden = !!(fn || re);
  const box = $(`#${tab} .body`);
  if (!fn && !re) return void box.replaceChildren();
  return { box, data: await getJSON(`${base}api/${tab}`, fn ? { fn } : { re }) };
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
/** graph is the drawn call graph: its SVG, the whole picture's box and the box shown (the viewBox). */
const graph = { svg: null, full: null, view: null, px: null, hottest: null, names: {}, dragged: false };

function setView(v) {
  graph.view = v;
  graph.px = boxSize();
  graph.svg.setAttribute('viewBox', `${v.x} ${v.y} ${v.w} ${v.h}`);
}

/** boxSize is the graph area in CSS pixels; the shown box always has its proportions, so nothing is letterboxed. */
function boxSize() {
  const r = $('#graph .body').getBoundingClientRect();
  return { w: Math.max(1, r.width), h: Math.max(1, r.height) };
}

/** keepGraphScale follows a resized window: same centre, same units per pixel, so nothing is stretched. */
function keepGraphScale() {
  if (!graph.svg || currentTab() !== 'graph') return;
  const { w, h } = boxSize();
  const v = graph.view;
  const k = v.w / graph.px.w;
  setView({ x: v.x + v.w / 2 - (w * k) / 2, y: v.y + v.h / 2 - (h * k) / 2, w: w * k, h: h * k });
}

/** fitGraph shows the whole graph. */
function fitGraph() {
  const { w, h } = boxSize();
  const f = graph.full;
  const k = Math.max(f.w / w, f.h / h);
  setView({ x: f.x + (f.w - w * k) / 2, y: f.y + (f.h - h * k) / 2, w: w * k, h: h * k });
}

/**
 * showHottest centres the biggest box at its natural size (one graph unit a pixel). A graph that
 * fits at 60% of that or more, still readable, is shown whole instead.
 */
function showHottest() {
  const node = graph.hottest && graph.svg.querySelector(`g.node[data-node=${graph.hottest}]`);
  const { w, h } = boxSize();
  if (!node || Math.max(graph.full.w / w, graph.full.h / h) <= 1 / 0.6) return fitGraph();
  // The node's centre in the SVG's own coordinates (Graphviz translates its drawing).
  const b = node.getBBox();
  const m = graph.svg.getScreenCTM().inverse().multiply(node.getScreenCTM());
  const p = new DOMPoint(b.x + b.width / 2, b.y + b.height / 2).matrixTransform(m);
  const ctm = graph.svg.getScreenCTM();
  // From screen pixels to view units: where the shown box is now.
  const c = new DOMPoint(p.x, p.y).matrixTransform(ctm);
  const r = $('#graph .body').getBoundingClientRect();
  const ux = graph.view.x + ((c.x - r.left) / r.width) * graph.view.w;
  const uy = graph.view.y + ((c.y - r.top) / r.height) * graph.view.h;
  setView({ x: ux - w / 2, y: uy - h / 2, w, h });
}

/** zoomGraph scales the shown box by k around a point of the graph area (its centre by default). */
function zoomGraph(k, px, py) {
  const r = $('#graph .body').getBoundingClientRect();
  const fx = px === undefined ? 0.5 : (px - r.left) / r.width;
  const fy = py === undefined ? 0.5 : (py - r.top) / r.height;
  const v = graph.view;
  // Not beyond 20 times the whole graph nor below a tenth of a unit per pixel.
  const w = Math.min(Math.max(v.w * k, r.width / 10), graph.full.w * 20 + r.width);
  const h = (w * r.height) / r.width;
  setView({ x: v.x + fx * v.w - fx * w, y: v.y + fy * v.h - fy * h, w, h });
}

/** markGraph highlights the boxes whose function matches the search and dims the others. */
function markGraph() {
  if (!graph.svg) return;
  const needle = searchText();
  graph.svg.classList.toggle('searching', needle !== '');
  for (const node of graph.svg.querySelectorAll('g.node[data-node]')) node.classList.toggle('match', matches(graph.names[node.getAttribute('data-node')], needle));
}

function wireGraph(svg) {
  let drag;
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoomGraph(Math.exp(e.deltaY * 0.0015), e.clientX, e.clientY);
  }, { passive: false });
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, view: graph.view, moved: false };
    graph.dragged = false;
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) svg.setPointerCapture(e.pointerId);
    drag.moved = graph.dragged = true;
    const r = $('#graph .body').getBoundingClientRect();
    const k = drag.view.w / r.width;
    setView({ ...drag.view, x: drag.view.x - dx * k, y: drag.view.y - dy * k });
  });
  const end = () => (drag = undefined);
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
}

async function renderGraph() {
  const status = $('#graph .status');
  status.textContent = 'Laying out the call graph…';
  const data = await getJSON(`${base}api/graph`);
  // Graphviz compiled to WebAssembly, loaded the first time the tab opens.
  viz ??= await (await import(`${base}vendor/viz.js`)).instance();
  const svg = viz.renderSVGElement(data.dot);
  for (const node of svg.querySelectorAll('g.node')) {
    // Graphviz numbers the legend box node1 too: a box is known by its title, the dot node N<id>.
    const key = /^N(\d+)$/.exec(node.querySelector('title')?.textContent ?? '')?.[1];
    const name = key === undefined ? undefined : data.nodes[`node${key}`];
    if (name === undefined) continue;
    node.setAttribute('data-node', `node${key}`);
    node.addEventListener('click', (e) => {
      if (graph.dragged) return;
      e.stopPropagation();
      openMenu(e.clientX, e.clientY, name);
    });
  }
  // Graphviz gives the picture's size in points and its box as the viewBox: the page shows a part of that box.
  const [x, y, w, h] = (svg.getAttribute('viewBox') || '0 0 100 100').split(/[\s,]+/).map(Number);
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', '100%');
  svg.setAttribute('preserveAspectRatio', 'none');
  Object.assign(graph, { svg, full: { x, y, w, h }, hottest: data.hottest, names: data.nodes, dragged: false });
  $('#graph .body').replaceChildren(svg);
  wireGraph(svg);
  fitGraph();
  showHottest();
  markGraph();
  status.textContent = 'Box size and colour show flat and cum values, as in pprof. Drag to pan, wheel or +/− to zoom; click a box for its source, peek, focus or ignore.';
}

/** suggestFunctions fills a tab's type-ahead with the functions containing what is typed, hottest first. */
let suggestSeq = 0;
async function suggestFunctions(tab) {
  const seq = ++suggestSeq;
  const typed = $(`#${tab} input.fn`).value.trim();
  const data = await getJSON(`${base}api/functions`, { q: typed });
  if (seq !== suggestSeq) return;
  $(`#${tab}-names`).replaceChildren(...data.names.map((n) => el('option', { value: n })));
}

async function renderCompare() {
  const data = await getJSON(`${base}api/compare`);
  $('#compare .labels').textContent = data.labels.join('\n');
  $('#compare tbody').replaceChildren(
    ...data.rows.map((r) =>
      el(
        'tr',
        { class: r.delta > 0 ? 'grew' : 'shrank' },
        el('td', { class: 'num', text: r.baseText }),
        el('td', { class: 'num', text: r.newText }),
        el('td', { class: 'num', text: r.deltaText }),
        el('td', { class: 'num', text: r.deltaPercentText }),
        el('td', { class: 'name', title: r.name, onclick: (ev) => openMenu(ev.clientX, ev.clientY, r.name) }, ...highlighted(r.name)),
      ),
    ),
  );
}

let diffData;
async function renderDiff() {
  diffData = await getJSON(`${base}api/diff`);
  drawDiffFlame($('#diff .canvas-box'), diffData);
}

const renderers = { flame: renderFlame, top: renderTop, source: renderSource, peek: renderPeek, graph: renderGraph, diff: renderDiff, compare: renderCompare };

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  renderHeader();
  showError(null);
  try {
    closeMenu();
    await renderers[currentTab()]();
    if (seq === renderSeq) applySearch();
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
  $('#tabs [data-tab=compare]').hidden = !meta.hasDiff;
  // Normalize compares with the base: without one it means nothing (pprof refuses it).
  $('#normalize-box').hidden = !meta.hasDiff;
  $('#tabs [data-tab=graph]').hidden = !meta.hasGraph;

  $('#sample').addEventListener('change', (e) => setState({ si: e.target.value }));
  $('#granularity').addEventListener('change', (e) => setState({ g: e.target.value }));
  $('#normalize').addEventListener('change', (e) => setState({ normalize: e.target.checked ? '1' : '0' }));
  $('#refine').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    // A field as the command line set it is left out of the address; any other value, empty too, is kept.
    setState(Object.fromEntries(refineKeys.map((k) => [k, f.get(k).trim() === meta.refine[k] ? undefined : f.get(k).trim()])));
  });
  // Reset: back to the command line's filters and label keys.
  $('#reset').addEventListener('click', () => setState(Object.fromEntries(refineKeys.map((k) => [k, undefined]))));
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => setState({ tab: b.dataset.tab }));
  for (const b of document.querySelectorAll('#flame [data-view]')) b.addEventListener('click', () => setState({ view: b.dataset.view }, false));
  for (const th of document.querySelectorAll('#top th[data-sort]')) {
    th.addEventListener('click', () => {
      const key = th.dataset.sort;
      topSort = { key, asc: topSort.key === key ? !topSort.asc : key === 'name' };
      drawTopRows();
    });
  }
  $('#flame-reset').addEventListener('click', () => (($('#flame-reset').hidden = true), drawOwnFlame(false)));
  // The theme changes the flame graph's colours: redraw it when the system's choice changes.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (currentTab() === 'flame') drawOwnFlame(true);
    else if (currentTab() === 'diff' && diffData) drawDiffFlame($('#diff .canvas-box'), diffData, true);
  });
  $('#diff-reset').addEventListener('click', () => diffData && drawDiffFlame($('#diff .canvas-box'), diffData));
  // The search narrows what is drawn: it goes into the address, not into another request.
  $('#search').addEventListener('input', (e) => {
    const q = state();
    if (e.target.value.trim()) q.set('search', e.target.value.trim());
    else q.delete('search');
    history.replaceState(null, '', `${location.pathname}?${q}`);
    applySearch();
  });
  for (const tab of ['source', 'peek']) {
    const input = $(`#${tab} input.fn`);
    let timer;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => suggestFunctions(tab).catch(showError), 120);
    });
    // A name taken from the list (or typed and confirmed with Enter) is the function shown.
    const pick = () => input.value.trim() && input.value.trim() !== state().get('fn') && setState({ fn: input.value.trim() });
    input.addEventListener('change', pick);
    input.addEventListener('keydown', (e) => e.key === 'Enter' && pick());
  }
  $('#zoom-in').addEventListener('click', () => zoomGraph(1 / 1.25));
  $('#zoom-out').addEventListener('click', () => zoomGraph(1.25));
  $('#zoom-fit').addEventListener('click', fitGraph);
  $('#zoom-hot').addEventListener('click', showHottest);
  addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeMenu();
    if (currentTab() !== 'graph' || !graph.svg || e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '+' || e.key === '=') zoomGraph(1 / 1.25);
    else if (e.key === '-' || e.key === '_') zoomGraph(1.25);
    else if (e.key === '0') fitGraph();
    else if (e.key === 'h') showHottest();
  });
  addEventListener('pointerdown', (e) => !e.target.closest('#menu') && closeMenu(), true);
  addEventListener('popstate', render);
  addEventListener('resize', () => currentTab() === 'diff' && diffData && drawDiffFlame($('#diff .canvas-box'), diffData, true));
  addEventListener('resize', keepGraphScale);
  addEventListener('resize', () => currentTab() === 'flame' && drawOwnFlame(true));
  await render();
}

start().catch(showError);
