// A flame graph in one HTML file that works offline: to attach to a ticket or a chat, to open
// years later (google/pprof#401, #670). The data and a small renderer of our own are inline; the
// page loads nothing, from the network or from disk.
//
// Every name is untrusted: the data goes in as JSON inside a <script type="application/json">,
// with `<` written as \u003c so that no name can close the element, and the page puts names into
// the document with textContent only.

import type { CallTree } from '../web/call-tree.js';
import { flamePageScript, flamePageStyle } from './flame-page.js';

/** FlameMeta is what the page says about the profile besides its tree. */
export interface FlameMeta {
  readonly title: string;
  readonly sampleType: string;
  readonly unit: string;
  /** Value of the frames folded away as too small to draw (named this). */
  readonly foldedName: string;
}

/** flameGraphHtml writes the tree (column 0) as a self-contained HTML page. */
export function flameGraphHtml(t: CallTree, meta: FlameMeta): string {
  // Parallel arrays, parents before children: the page lays them out in one pass.
  const names = [...t.names];
  const parent: number[] = [];
  const frame: number[] = [];
  const value: number[] = [];
  let foldedFrame = -1;
  for (let i = 0; i < t.length; i++) {
    parent.push(t.parent[i]!);
    frame.push(t.frame[i]!);
    value.push(t.cum[0]![i]!);
  }
  // Frames too small to be a pixel wide were folded per parent: one frame each.
  for (let i = 0; i < t.length; i++) {
    const small = t.folded[0]![i]!;
    if (small <= 0) continue;
    if (foldedFrame === -1) foldedFrame = names.push(meta.foldedName) - 1;
    parent.push(i);
    frame.push(foldedFrame);
    value.push(small);
  }
  const data = { title: meta.title, sampleType: meta.sampleType, unit: meta.unit, names, parent, frame, value };
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${meta.title} — ${meta.sampleType} flame graph`)}</title>
<style>${flamePageStyle}</style>
</head>
<body>
<header><h1 id="title"></h1><input id="search" type="search" placeholder="Search (substring)" aria-label="search"><button id="reset" type="button">Reset zoom</button></header>
<div id="info">&nbsp;</div>
<div id="flame" role="img" aria-label="flame graph"></div>
<footer>Made by proflens. Click a frame to zoom into it; click the top row or Reset to zoom out.</footer>
<script type="application/json" id="data">${json}</script>
<script>${flamePageScript}</script>
</body>
</html>
`;
}

/** escapeHtml escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
