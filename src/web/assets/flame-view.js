// proflens's own flame graph in the Flame tab: an icicle (root on top, siblings largest first)
// drawn from the same speedscope file /api/flame gives speedscope, so that the page can act on a
// frame (speedscope in its iframe offers no click or search hook): a click hands the frame's name
// to the page (its function menu), the search dims the frames that do not match, a double-click
// zooms to a frame. Names are drawn with fillText and reach the DOM only as textContent.

import { clearCanvas, drawName, formatValue, layout, rowHeight } from './diff-flame.js';

/**
 * flameTree turns speedscope's evented profile (open and close events, the tree depth-first) into
 * parallel arrays: name, value, parent, parents before children, siblings largest first.
 */
export function flameTree(file) {
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
  // Depth-first again, siblings by value, so layout is one pass (as speedscope's Left Heavy).
  const order = [];
  const parent = [];
  const stack = [[0, -1]];
  while (stack.length > 0) {
    const [n, par] = stack.pop();
    const at = order.length;
    order.push(n);
    parent.push(par);
    const sorted = kids[n].slice().sort((a, b) => value[a] - value[b]);
    for (const k of sorted) stack.push([k, at]);
  }
  return { unit: p.unit, names: order.map((n) => names[n]), value: order.map((n) => value[n]), parent };
}

/** hue gives a function a stable warm colour from its name, as flame graphs traditionally do. */
function hue(name) {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return `hsl(${10 + (h % 40)}, ${70 + (h % 20)}%, ${62 + ((h >> 5) % 12)}%)`;
}

/**
 * drawFlameView draws tree t into box's canvas. o.needle: the search (lower-case; '' for none);
 * o.onFrame(clientX, clientY, name): a frame was clicked; o.keepZoom keeps the zoomed frame.
 */
export function drawFlameView(box, t, o) {
  const canvas = box.querySelector('canvas');
  const tip = box.querySelector('.tooltip');
  const state = (box.flameState = o.keepZoom && box.flameState && box.flameState.tree === t ? box.flameState : { root: 0, tree: t });
  const { x, w, depth } = layout(t.parent, t.value, state.root);
  const { ctx, width } = clearCanvas(box, canvas, w, depth);
  const needle = o.needle || '';
  const total = t.value[0] || 1;
  const drawn = [];
  for (let i = 0; i < depth.length; i++) {
    if (depth[i] < 0) continue;
    const px = x[i] * width;
    const pw = w[i] * width;
    if (pw < 0.5) continue;
    const py = depth[i] * rowHeight;
    const name = i === 0 ? `all: ${formatValue(t.value[0], t.unit)}` : t.names[i];
    const match = needle !== '' && i !== 0 && name.toLowerCase().includes(needle);
    // Searching: matches turn yellow with an outline, the rest fade.
    ctx.globalAlpha = needle !== '' && !match ? 0.25 : 1;
    ctx.fillStyle = i === 0 ? '#e8eaee' : match ? '#f2c94c' : hue(name);
    ctx.fillRect(px, py, Math.max(pw - 1, 0.5), rowHeight - 1);
    if (match) {
      ctx.strokeStyle = '#2f80ed';
      ctx.lineWidth = 2;
      ctx.strokeRect(px + 1, py + 1, Math.max(pw - 3, 0.5), rowHeight - 3);
    }
    drawName(ctx, name, px, py, pw);
    drawn.push({ i, px, py, pw, name, match });
  }
  ctx.globalAlpha = 1;
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
    tip.textContent = `${f.i === 0 ? 'all' : f.name}\n${formatValue(t.value[f.i], t.unit)} (${((t.value[f.i] / total) * 100).toFixed(2)}%)`;
    tip.hidden = false;
    tip.style.left = `${Math.min(e.clientX - r.left + 12, Math.max(0, box.clientWidth - tip.offsetWidth - 4))}px`;
    tip.style.top = `${e.clientY - r.top + 14}px`;
  };
  canvas.onmouseleave = () => (tip.hidden = true);
  // A click on a function asks the page for its menu; the root has none.
  canvas.onclick = (e) => {
    const f = frameAt(e);
    tip.hidden = true; // the menu takes its place
    if (f && f.i !== 0) o.onFrame(e.clientX, e.clientY, f.name);
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
  // For tests and scripts: where a frame is drawn, by name, and whether it matches the search.
  box.frameAt = (name) => {
    const f = drawn.find((g) => g.name === name);
    return f && { x: f.px + Math.min(f.pw / 2, 20), y: f.py + rowHeight / 2, match: f.match, width: f.pw };
  };
}
