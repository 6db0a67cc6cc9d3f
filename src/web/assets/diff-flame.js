// The diff flame graph: an icicle of the current profile (root on top, widths its values), each
// frame coloured by how it changed against the base: red where it grew, green where it shrank,
// grey where it stayed within 1% — the deeper the colour, the larger the change; in the page's
// light or dark theme. Names are drawn
// with fillText (never markup); the tooltip is filled with textContent.

export const rowHeight = 18;
const font = '12px ui-monospace, Menlo, monospace';

/** formatValue prints a value of the given unit, as pprof's units go (bytes in 1024s). */
export function formatValue(v, unit) {
  const sign = v < 0 ? '-' : '';
  let a = Math.abs(v);
  const scales =
    unit === 'bytes'
      ? [['B', 1], ['kB', 1024], ['MB', 1024 ** 2], ['GB', 1024 ** 3], ['TB', 1024 ** 4]]
      : unit === 'nanoseconds'
        ? [['ns', 1], ['us', 1e3], ['ms', 1e6], ['s', 1e9]]
        : [['', 1], ['k', 1e3], ['M', 1e6], ['G', 1e9]];
  let [suffix, div] = scales[0];
  for (const [s, d] of scales) if (a >= d) [suffix, div] = [s, d];
  a /= div;
  const text = a >= 100 || div === 1 ? a.toFixed(div === 1 ? 0 : 1) : a.toFixed(2);
  return `${sign}${text}${suffix}`;
}

/**
 * diffTheme is the diff flame graph's colours for the page's light or dark scheme. Each scale runs
 * from a faint tint of the background (a small change) to the full colour (a change of the whole
 * frame); in the dark theme the full colours are deep enough for the light names drawn on them.
 */
export function diffTheme() {
  return matchMedia('(prefers-color-scheme: dark)').matches
    ? { root: '#1f1f1f', same: '#2c2e32', text: '#d0d0d0', grow: [[60, 34, 33], [176, 52, 46]], shrink: [[30, 52, 38], [40, 118, 62]] }
    : { root: '#e8eaee', same: '#c4c7cc', text: '#1d2330', grow: [[247, 214, 210], [214, 64, 55]], shrink: [[212, 240, 218], [52, 160, 86]] };
}

/** colour of a frame that went from base to cur, in theme th. */
function colour(base, cur, th) {
  const delta = cur - base;
  const ref = Math.max(base, cur);
  const rel = ref === 0 ? 0 : delta / ref;
  if (Math.abs(rel) < 0.01) return th.same;
  const k = 0.35 + 0.65 * Math.min(1, Math.abs(rel));
  const [from, to] = delta > 0 ? th.grow : th.shrink;
  const mix = (j) => Math.round(from[j] + (to[j] - from[j]) * k);
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

/**
 * layout places every frame: x and width in [0, 1] of the zoom root's range, and depth below it.
 * Nodes arrive depth-first, parents first, siblings largest first; value[i] is frame i's width.
 * The proflens flame view (flame-view.js) lays out the same way.
 */
export function layout(parent, value, root) {
  const n = parent.length;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const depth = new Int32Array(n).fill(-1);
  const cursor = new Float64Array(n);
  const total = value[root] || 1;
  depth[root] = 0;
  w[root] = 1;
  for (let i = root + 1; i < n; i++) {
    const p = parent[i];
    if (p < 0 || depth[p] < 0) break; // past the zoom root's subtree (depth-first order)
    depth[i] = depth[p] + 1;
    x[i] = x[p] + cursor[p];
    w[i] = value[i] / total;
    cursor[p] += w[i];
  }
  return { x, w, depth };
}

/**
 * clearCanvas sizes the canvas to box's width and the deepest frame at least half a pixel wide
 * (the box scrolls), for the device's pixel ratio, and gives it cleared, set for frame names.
 */
export function clearCanvas(box, canvas, w, depth) {
  const dpr = window.devicePixelRatio || 1;
  const width = box.clientWidth;
  let maxDepth = 0;
  for (let i = 0; i < depth.length; i++) if (depth[i] > maxDepth && w[i] * width >= 0.5) maxDepth = depth[i];
  const height = Math.max(box.clientHeight, (maxDepth + 1) * rowHeight + 4);
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext('2d');
  ctx.scale(dpr, dpr);
  ctx.clearRect(0, 0, width, height);
  ctx.font = font;
  ctx.textBaseline = 'middle';
  return { ctx, width };
}

/** drawName writes a frame's name inside it, clipped to it, when the frame is wide enough to read. */
export function drawName(ctx, name, px, py, pw, colour = '#1d2330') {
  if (pw <= 30) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(px, py, pw - 2, rowHeight);
  ctx.clip();
  ctx.fillStyle = colour;
  ctx.fillText(name, px + 3, py + rowHeight / 2);
  ctx.restore();
}

/** drawDiffFlame draws the tree into box's canvas and wires hover and zoom; keepZoom redraws as it was. */
export function drawDiffFlame(box, d, keepZoom = false) {
  const canvas = box.querySelector('canvas');
  const tip = box.querySelector('.tooltip');
  const state = (box.diffState = keepZoom && box.diffState ? box.diffState : { root: 0 });
  const { x, w, depth } = layout(d.parent, d.current, state.root);
  const { ctx, width } = clearCanvas(box, canvas, w, depth);
  const th = diffTheme();
  const drawn = [];
  for (let i = 0; i < depth.length; i++) {
    if (depth[i] < 0) continue;
    const px = x[i] * width;
    const pw = w[i] * width;
    if (pw < 0.5) continue;
    const py = depth[i] * rowHeight;
    ctx.fillStyle = i === 0 ? th.root : colour(d.base[i], d.current[i], th);
    ctx.fillRect(px, py, Math.max(pw - 1, 0.5), rowHeight - 1);
    const all = `all: ${formatValue(d.current[0], d.unit)} (base ${formatValue(d.base[0], d.unit)}${d.normalized ? ', new scaled to the base total' : ''})`;
    const name = i === 0 ? all : d.names[d.frame[i]];
    drawName(ctx, name, px, py, pw, th.text);
    drawn.push({ i, px, py, pw, name });
  }
  const frameAt = (mx, my) => drawn.find((f) => mx >= f.px && mx < f.px + f.pw && my >= f.py && my < f.py + rowHeight);
  canvas.onmousemove = (e) => {
    const r = canvas.getBoundingClientRect();
    const f = frameAt(e.clientX - r.left, e.clientY - r.top);
    if (!f) return void (tip.hidden = true);
    const b = d.base[f.i];
    const c = d.current[f.i];
    const delta = c - b;
    const pct = b === 0 ? (c === 0 ? '' : ' (new)') : ` (${delta >= 0 ? '+' : ''}${((delta / b) * 100).toFixed(1)}%)`;
    tip.textContent = `${f.i === 0 ? 'all' : f.name}\nbase:  ${formatValue(b, d.unit)}\nnew:   ${formatValue(c, d.unit)}\ndelta: ${delta >= 0 ? '+' : ''}${formatValue(delta, d.unit)}${pct}`;
    tip.hidden = false;
    const left = Math.min(e.clientX - r.left + 12, Math.max(0, box.clientWidth - tip.offsetWidth - 4));
    tip.style.left = `${left}px`;
    tip.style.top = `${e.clientY - r.top + 14}px`;
  };
  canvas.onmouseleave = () => (tip.hidden = true);
  canvas.onclick = (e) => {
    const r = canvas.getBoundingClientRect();
    const f = frameAt(e.clientX - r.left, e.clientY - r.top);
    if (!f) return;
    state.root = f.i === 0 ? 0 : f.i;
    drawDiffFlame(box, d, true);
  };
  canvas.dataset.frames = String(drawn.length);
  // For tests and scripts: where a frame is drawn, by name (a point to click, and its top-left corner).
  box.frameRect = (name) => {
    const f = drawn.find((g) => g.name === name);
    return f && { x: f.px + Math.min(f.pw / 2, 20), y: f.py + rowHeight / 2, left: f.px, top: f.py };
  };
}
