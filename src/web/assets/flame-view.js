// proflens's own flame graph in the Flame tab: an icicle (root on top) drawn from the same
// speedscope file /api/flame gives speedscope, so that the page can act on a frame (speedscope in
// its iframe offers no click or search hook): a click hands the frame's name to the page (its
// function menu), the search dims the frames that do not match, a double-click zooms to a frame.
// Three layouts, as speedscope has: Left Heavy (siblings largest first), Time Order (siblings in
// the order the profile met them) and Sandwich (one function's callers above it, its callees below).
// Colours follow the page's light or dark theme with speedscope's palette. Names are drawn with
// fillText and reach the DOM only as textContent.

import { clearCanvas, drawName, formatValue, layout, rowHeight } from './diff-flame.js';

/**
 * ordered lays a tree given as names, values and child lists out depth-first from node 0, parents
 * before children, siblings largest first (heavy) or as listed: the arrays layout() reads.
 */
function ordered(names, value, kids, heavy) {
  const order = [];
  const parent = [];
  const stack = [[0, -1]];
  while (stack.length > 0) {
    const [n, par] = stack.pop();
    const at = order.length;
    order.push(n);
    parent.push(par);
    // Pushed last is drawn first: the largest (heavy) or the first met.
    const next = heavy ? kids[n].slice().sort((a, b) => value[a] - value[b]) : kids[n].slice().reverse();
    for (const k of next) stack.push([k, at]);
  }
  return { names: order.map((n) => names[n]), value: order.map((n) => value[n]), parent };
}

/**
 * flameTree turns speedscope's evented profile (open and close events, the tree depth-first) into
 * parallel arrays: name, value, parent, parents before children; siblings largest first, or in
 * the profile's order when timeOrder is set. The root is 'all', the whole profile.
 */
export function flameTree(file, timeOrder = false) {
  const p = file.profiles[0];
  const frames = file.shared.frames;
  const names = ['all'];
  const value = [p.endValue - p.startValue];
  const kids = [[]];
  const open = [{ node: 0, at: p.startValue }];
  for (const e of p.events) {
    if (e.type === 'O') {
      const node = names.length;
      names.push(String(frames[e.frame]?.name ?? '?'));
      value.push(0);
      kids.push([]);
      kids[open[open.length - 1].node].push(node);
      open.push({ node, at: e.at });
    } else if (open.length > 1) {
      const o = open.pop();
      value[o.node] = e.at - o.at;
    }
  }
  return { unit: p.unit, all: true, ...ordered(names, value, kids, !timeOrder) };
}

/** Trie builds a tree by paths of names: child(n, name) finds or adds that child of node n. */
class Trie {
  constructor(rootName) {
    this.names = [rootName];
    this.value = [0];
    this.kids = [[]];
    this.index = [new Map()];
  }
  child(n, name) {
    let c = this.index[n].get(name);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(name);
      this.value.push(0);
      this.kids.push([]);
      this.index.push(new Map());
      this.kids[n].push(c);
      this.index[n].set(name, c);
    }
    return c;
  }
}

/**
 * sandwich is one function's two trees, from a flame tree t (as flameTree makes it): its callees
 * (its subtrees merged, itself the root) and its callers (the stacks above it, inverted: itself the
 * root, its callers its children). Only its outermost calls count, so that recursion is counted
 * once and both roots are its cum, as pprof's peek counts it.
 */
export function sandwich(t, name) {
  const callees = new Trie(name);
  const callers = new Trie(name);
  const n = t.names.length;
  // under[i]: node i is name or below a call of it; at[i]: node i's node in the callee trie.
  const under = new Uint8Array(n);
  const at = new Int32Array(n).fill(-1);
  for (let i = 1; i < n; i++) {
    const p = t.parent[i];
    const self = t.names[i] === name;
    under[i] = self || under[p] ? 1 : 0;
    if (!under[i]) continue;
    if (!under[p]) {
      // An outermost call: its value goes to both roots, its stack above it to the callers.
      at[i] = 0;
      callees.value[0] += t.value[i];
      callers.value[0] += t.value[i];
      let c = 0;
      for (let q = p; q > 0; q = t.parent[q]) {
        c = callers.child(c, t.names[q]);
        callers.value[c] += t.value[i];
      }
    } else {
      at[i] = callees.child(at[p], t.names[i]);
      callees.value[at[i]] += t.value[i];
    }
  }
  const tree = (trie) => ({ unit: t.unit, all: false, ...ordered(trie.names, trie.value, trie.kids, true) });
  return { callers: tree(callers), callees: tree(callees) };
}

/** heaviestSelf is the function with the largest self value (flat) in flame tree t, the sandwich's default. */
export function heaviestSelf(t) {
  const self = new Map();
  const own = t.value.slice();
  for (let i = 1; i < t.names.length; i++) own[t.parent[i]] -= t.value[i];
  for (let i = 1; i < t.names.length; i++) self.set(t.names[i], (self.get(t.names[i]) ?? 0) + own[i]);
  let best;
  for (const [name, v] of self) if (best === undefined || v > self.get(best)) best = name;
  return best;
}

/**
 * theme is the flame graph's colours for the page's light or dark scheme, as speedscope draws its
 * own: its backgrounds, text, search and selection colours, and its frame palette (a hue from the
 * name, light frames in the light theme and dark ones in the dark theme).
 */
export function flameTheme() {
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  return dark
    ? { dark, luma: [0.2, 0.1], chroma: [0.2, 0.1], root: '#1f1f1f', text: '#d0d0d0', match: '#a66f1c', matchText: '#0c0c0c', outline: '#00769b' }
    : { dark, luma: [0.8, 0.15], chroma: [0.25, 0.2], root: '#e8eaee', text: '#000000', match: '#ffac02', matchText: '#000000', outline: '#2f80ed' };
}

/** lumaChromaHue is the sRGB colour of a luma (0-1), chroma (0-1) and hue (degrees), clamped. */
function lumaChromaHue(l, c, h) {
  const k = h / 60;
  const x = c * (1 - Math.abs((k % 2) - 1));
  const [r, g, b] = k < 1 ? [c, x, 0] : k < 2 ? [x, c, 0] : k < 3 ? [0, c, x] : k < 4 ? [0, x, c] : k < 5 ? [x, 0, c] : [c, 0, x];
  // Shift all three so that the weighted sum (Rec. 601 luma) is l.
  const m = l - (0.3 * r + 0.59 * g + 0.11 * b);
  const byte = (v) => Math.round(Math.min(1, Math.max(0, v + m)) * 255);
  return `rgb(${byte(r)}, ${byte(g)}, ${byte(b)})`;
}

/** frameColour gives a function a stable colour from its name in the theme's palette. */
function frameColour(name, th) {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const t = (h % 1000) / 1000;
  // A triangle wave of the same number: neighbouring hues differ in lightness too.
  const x = 1 - Math.abs(((t * 30) % 2) - 1);
  return lumaChromaHue(th.luma[0] - th.luma[1] * x, th.chroma[0] + th.chroma[1] * x, 360 * 0.9 * t);
}

/**
 * drawFlameView draws tree t into box's canvas. o.needle: the search (lower-case; '' for none);
 * o.onFrame(clientX, clientY, name): a frame was clicked; o.keepZoom keeps the zoomed frame;
 * o.inverted draws the root at the bottom, children above (a sandwich's callers).
 */
export function drawFlameView(box, t, o) {
  const canvas = box.querySelector('canvas');
  const tip = box.querySelector('.tooltip');
  const state = (box.flameState = o.keepZoom && box.flameState && box.flameState.tree === t ? box.flameState : { root: 0, tree: t });
  const { x, w, depth } = layout(t.parent, t.value, state.root);
  const { ctx, width } = clearCanvas(box, canvas, w, depth);
  const height = parseFloat(canvas.style.height);
  const th = flameTheme();
  const needle = o.needle || '';
  const total = t.value[0] || 1;
  const label = (i) => (i === 0 && t.all ? `all: ${formatValue(t.value[0], t.unit)}` : t.names[i]);
  const drawn = [];
  for (let i = 0; i < depth.length; i++) {
    if (depth[i] < 0) continue;
    const px = x[i] * width;
    const pw = w[i] * width;
    if (pw < 0.5) continue;
    const py = o.inverted ? height - (depth[i] + 1) * rowHeight : depth[i] * rowHeight;
    const name = label(i);
    const isAll = i === 0 && t.all;
    const match = needle !== '' && !isAll && name.toLowerCase().includes(needle);
    // Searching: matches take speedscope's search colour with an outline, the rest fade.
    ctx.globalAlpha = needle !== '' && !match ? 0.25 : 1;
    ctx.fillStyle = isAll ? th.root : match ? th.match : frameColour(name, th);
    ctx.fillRect(px, py, Math.max(pw - 1, 0.5), rowHeight - 1);
    if (match) {
      ctx.strokeStyle = th.outline;
      ctx.lineWidth = 2;
      ctx.strokeRect(px + 1, py + 1, Math.max(pw - 3, 0.5), rowHeight - 3);
    }
    drawName(ctx, name, px, py, pw, match ? th.matchText : th.text);
    drawn.push({ i, px, py, pw, name, match });
  }
  ctx.globalAlpha = 1;
  if (o.inverted) box.scrollTop = box.scrollHeight;
  const frameAt = (e) => {
    const r = canvas.getBoundingClientRect();
    const mx = e.clientX - r.left;
    const my = e.clientY - r.top;
    return drawn.find((f) => mx >= f.px && mx < f.px + f.pw && my >= f.py && my < f.py + rowHeight);
  };
  canvas.onmousemove = (e) => {
    const f = frameAt(e);
    if (!f) return void (tip.hidden = true);
    const r = canvas.getBoundingClientRect();
    const share = `${formatValue(t.value[f.i], t.unit)} (${((t.value[f.i] / total) * 100).toFixed(2)}%${t.all ? '' : ` of ${t.names[0]}`})`;
    tip.textContent = `${f.i === 0 && t.all ? 'all' : f.name}\n${share}`;
    tip.hidden = false;
    tip.style.left = `${Math.min(e.clientX - r.left + 12, Math.max(0, box.clientWidth - tip.offsetWidth - 4))}px`;
    tip.style.top = `${e.clientY - r.top + 14 + (box.scrollTop || 0)}px`;
  };
  canvas.onmouseleave = () => (tip.hidden = true);
  // A click on a function asks the page for its menu; the whole profile's root has none.
  canvas.onclick = (e) => {
    const f = frameAt(e);
    tip.hidden = true; // the menu takes its place
    if (f && !(f.i === 0 && t.all)) o.onFrame(e.clientX, e.clientY, f.name);
  };
  canvas.ondblclick = (e) => {
    const f = frameAt(e);
    if (!f) return;
    state.root = f.i;
    o.onZoom?.();
    drawFlameView(box, t, { ...o, keepZoom: true });
  };
  canvas.dataset.frames = String(drawn.length);
  canvas.dataset.matches = String(drawn.filter((f) => f.match).length);
  // For tests and scripts: where a frame is drawn (a point inside it, its box), by name, and whether it matches the search.
  box.frameAt = (name) => {
    const f = drawn.find((g) => g.name === name);
    return f && { x: f.px + Math.min(f.pw / 2, 20), y: f.py + rowHeight / 2, match: f.match, width: f.pw, left: f.px, top: f.py, value: t.value[f.i] };
  };
  // For tests: the frames drawn one level from the root, left to right, with their values.
  box.level = (d) => drawn.filter((f) => depth[f.i] === d).sort((a, b) => a.px - b.px).map((f) => ({ name: f.name, value: t.value[f.i] }));
}
