// The graph pictures of pprof's -svg, -web and -ps: the `dot` view's Graphviz text laid out by
// Graphviz itself, compiled to WebAssembly (@viz-js/viz), in this process. pprof pipes the same
// text through a system `dot -Tsvg`; proflens needs no Graphviz installed.

import { ProfileError } from '../profile/errors.js';

/** GraphvizFormat names the outputs Graphviz's WebAssembly build draws that pprof has commands for. */
export type GraphvizFormat = 'svg' | 'ps';

type VizInstance = { renderString(src: string, o: { format: string; engine: string }): string };
let viz: Promise<VizInstance> | undefined;

/**
 * renderGraphviz lays out Graphviz text and draws it in format, as `dot -T<format>` does. The
 * WebAssembly module is loaded on first use (about 2 MB), so no other view pays for it.
 */
export async function renderGraphviz(dot: string, format: GraphvizFormat): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => m.instance() as Promise<VizInstance>);
  try {
    return (await viz).renderString(dot, { format, engine: 'dot' });
  } catch (e) {
    // Graphviz's message (a syntax error, a layout failure) is the useful part.
    throw new ProfileError(`Graphviz could not draw the graph: ${(e as Error).message.trim().replace(/\s*\n\s*/g, '; ')}`, { cause: e });
  }
}

/**
 * panZoomSvg turns Graphviz's fixed-size SVG into one that fills the browser window and pans and
 * zooms, as pprof's -svg does (its massageSVG): the size and viewBox give way to 100%, and the
 * graph goes into a `viewport` group shown at half scale, moved by a script. The script is
 * proflens's own (pprof embeds svgpan): the wheel zooms around the pointer, a drag pans.
 */
export function panZoomSvg(svg: string): string {
  // Graphviz has been seen to leave an ampersand unquoted as `&;`, which no SVG reader accepts.
  let s = svg.replaceAll('&;', '&amp;;');
  s = s.replace(/<svg\s*width="[^"]+"\s*height="[^"]+"\s*viewBox="[^"]+"/, '<svg width="100%" height="100%"');
  s = s.replace(/<g id="graph\d"/, (g) => `<script type="text/ecmascript"><![CDATA[${panZoomScript}]]></script><g id="viewport" transform="scale(0.5,0.5) translate(0,0)">${g}`);
  const end = s.lastIndexOf('</svg>');
  return end < 0 ? s : `${s.slice(0, end)}</g>${s.slice(end)}`;
}

/** panZoomScript moves the viewport group: wheel to zoom around the pointer, drag to pan. */
const panZoomScript = `
(function () {
  var root = document.documentElement, view = document.getElementById('viewport');
  if (!view) return;
  var k = 0.5, x = 0, y = 0, drag = null;
  function draw() { view.setAttribute('transform', 'translate(' + x + ',' + y + ') scale(' + k + ',' + k + ')'); }
  root.addEventListener('wheel', function (e) {
    e.preventDefault();
    var f = Math.exp(-e.deltaY * 0.002), r = root.getBoundingClientRect();
    var px = e.clientX - r.left, py = e.clientY - r.top;
    x = px - (px - x) * f; y = py - (py - y) * f; k *= f;
    draw();
  }, { passive: false });
  root.addEventListener('mousedown', function (e) { drag = { x: e.clientX - x, y: e.clientY - y }; });
  window.addEventListener('mousemove', function (e) { if (drag) { x = e.clientX - drag.x; y = e.clientY - drag.y; draw(); } });
  window.addEventListener('mouseup', function () { drag = null; });
})();
`;
