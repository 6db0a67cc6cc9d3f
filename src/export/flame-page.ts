// The renderer inside the offline flame graph page (flame-html.ts): plain browser JavaScript,
// written here as text because it runs in the page, not in Node. Frames are absolutely placed
// <div>s, root on top as in pprof's and speedscope's views; only frames at least a pixel wide are
// drawn, so a large profile stays quick. Names reach the document through textContent only.

/** flamePageStyle is the page's CSS; it follows the system's light or dark theme. */
export const flamePageStyle = `
:root { color-scheme: light dark; --bg: #fff; --fg: #222; --muted: #666; --line: #ddd; }
@media (prefers-color-scheme: dark) { :root { --bg: #1e1e1e; --fg: #ddd; --muted: #999; --line: #444; } }
body { margin: 0; font: 13px system-ui, sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; gap: 8px; align-items: center; padding: 8px 10px; border-bottom: 1px solid var(--line); }
h1 { font-size: 15px; margin: 0; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#info { padding: 4px 10px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#flame { position: relative; margin: 0 10px; }
.f { position: absolute; height: 17px; box-sizing: border-box; border: 1px solid var(--bg); border-radius: 2px;
     overflow: hidden; white-space: nowrap; font: 11px/15px ui-monospace, monospace; color: #000; padding: 0 3px; cursor: pointer; }
.f.m { background: #e040fb !important; }
.f.d { opacity: 0.45; }
footer { padding: 10px; color: var(--muted); font-size: 11px; }
`;

/** flamePageScript is the page's script. */
export const flamePageScript = `
'use strict';
(function () {
  const d = JSON.parse(document.getElementById('data').textContent);
  const n = d.parent.length;
  const kids = Array.from({ length: n }, () => []);
  const depth = new Int32Array(n);
  let maxDepth = 0;
  for (let i = 1; i < n; i++) {
    kids[d.parent[i]].push(i);
    depth[i] = depth[d.parent[i]] + 1;
    if (depth[i] > maxDepth) maxDepth = depth[i];
  }
  for (const k of kids) k.sort((a, b) => d.value[b] - d.value[a]);
  const total = d.value[0];
  const flame = document.getElementById('flame');
  const info = document.getElementById('info');
  const search = document.getElementById('search');
  document.getElementById('title').textContent = d.title + ' — ' + d.sampleType;
  document.title = d.title + ' — ' + d.sampleType + ' flame graph';

  const units = {
    bytes: [[1, 'B'], [1024, 'kB'], [1048576, 'MB'], [1073741824, 'GB'], [1099511627776, 'TB']],
    nanoseconds: [[1, 'ns'], [1e3, 'us'], [1e6, 'ms'], [1e9, 's']],
    microseconds: [[1, 'us'], [1e3, 'ms'], [1e6, 's']],
    milliseconds: [[1, 'ms'], [1e3, 's']],
    seconds: [[1, 's']],
  };
  function format(v) {
    const table = units[d.unit];
    if (!table) return String(Math.round(v * 100) / 100) + (d.unit && d.unit !== 'count' ? ' ' + d.unit : '');
    let best = table[0];
    for (const u of table) if (Math.abs(v) >= u[0]) best = u;
    return (Math.round((v / best[0]) * 100) / 100) + best[1];
  }
  function pct(v) { return total > 0 ? (Math.round((v / total) * 10000) / 100) + '%' : ''; }
  function colour(name) {
    let h = 0;
    for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
    const x = (h >>> 0) % 1000 / 1000;
    return 'hsl(' + Math.round(10 + 40 * x) + ', 85%, ' + Math.round(58 + 12 * x) + '%)';
  }
  function path(i) {
    const names = [];
    for (; i > 0; i = d.parent[i]) names.push(d.names[d.frame[i]]);
    return names.reverse().join(' ← ');
  }

  let zoom = 0;
  function draw() {
    const width = flame.clientWidth || 800;
    const zoomValue = d.value[zoom] || 1;
    const query = search.value.toLowerCase();
    const rows = [];
    flame.textContent = '';
    const frag = document.createDocumentFragment();
    // The zoomed node's ancestors span the full width above it.
    const line = [];
    for (let a = zoom; a > 0; a = d.parent[a]) line.push(a);
    line.reverse();
    const place = (i, x, w) => {
      const el = document.createElement('div');
      el.className = 'f';
      const name = i === 0 ? 'all' : d.names[d.frame[i]];
      el.textContent = name;
      el.title = name + '\\n' + format(d.value[i]) + ' (' + pct(d.value[i]) + ')';
      el.style.left = x + 'px';
      el.style.width = w + 'px';
      el.style.top = depth[i] * 17 + 'px';
      el.style.background = i === 0 ? '#c8c8c8' : colour(name);
      if (query && i !== 0 && name.toLowerCase().includes(query)) el.classList.add('m');
      if (line.includes(i) && i !== zoom) el.classList.add('d');
      el.dataset.node = String(i);
      frag.appendChild(el);
      rows.push(i);
    };
    place(0, 0, width);
    for (const a of line) place(a, 0, width);
    // Below the zoomed node: children left to right, widths by value, frames under a pixel skipped.
    const stack = [[zoom, 0]];
    while (stack.length > 0) {
      const [node, x] = stack.pop();
      let cx = x;
      for (const c of kids[node]) {
        const w = (d.value[c] / zoomValue) * width;
        if (w >= 1) {
          place(c, cx, w);
          stack.push([c, cx]);
        }
        cx += w;
      }
    }
    flame.style.height = (maxDepth + 1) * 17 + 'px';
    flame.appendChild(frag);
    flame.dataset.frames = String(rows.length);
    if (query) {
      let matched = 0;
      const seen = new Set();
      for (let i = 1; i < n; i++) {
        if (!d.names[d.frame[i]].toLowerCase().includes(query)) continue;
        let a = d.parent[i];
        let inside = false;
        for (; a > 0; a = d.parent[a]) if (seen.has(a)) { inside = true; break; }
        if (!inside) matched += d.value[i];
        seen.add(i);
      }
      info.textContent = 'Matched: ' + format(matched) + ' (' + pct(matched) + ')';
    }
  }
  flame.addEventListener('click', (e) => {
    const el = e.target.closest('.f');
    if (!el) return;
    const i = Number(el.dataset.node);
    zoom = i === zoom ? d.parent[i] < 0 ? 0 : d.parent[i] : i;
    draw();
  });
  flame.addEventListener('mouseover', (e) => {
    const el = e.target.closest('.f');
    if (!el) return;
    const i = Number(el.dataset.node);
    info.textContent = (i === 0 ? 'all' : path(i)) + ' — ' + format(d.value[i]) + ' (' + pct(d.value[i]) + ')';
  });
  document.getElementById('reset').addEventListener('click', () => { zoom = 0; draw(); });
  search.addEventListener('input', draw);
  window.addEventListener('resize', draw);
  info.textContent = 'Total: ' + format(total) + ' of ' + d.sampleType;
  draw();
})();
`;
