// The `dot` view (pprof's -dot): the call graph as Graphviz text. dotView computes the picture as
// data — nodes with labels, font sizes and colours, tag boxes (nodelets), edges with weights and
// styles — so the web UI can lay it out itself or render the text with its own Graphviz;
// renderDot writes exactly what pprof writes.

import type { GraphEdge, GraphNode, Tag } from '../graph/linked-graph.js';
import { maxNodelets, sortEdges } from '../graph/linked-graph-ops.js';
import { basename, nameComponents } from '../graph/node-info.js';
import { label as autoLabel, percentage, scale } from '../units/measurement.js';
import { meanValue } from '../graph/build.js';
import { linkedTrimmedGraph } from './linked-trimmed-graph.js';
import { type LabelContext, type Report, type ValueFormatter, reportLabels, selectOutputUnit, valueFormatter } from './report.js';

/** DotNodelet is a box hanging off a node for one label set or numeric label range. */
export interface DotNodelet {
  /** Graphviz id: `N1_0` for labels, `NN1_0` (or `NN1_0_0` under a label box) for numeric tags. */
  readonly id: string;
  /** Graphviz id of the box it hangs from. */
  readonly parent: string;
  readonly label: string;
  readonly value: number;
  readonly valueText: string;
  /** The box counts weight from callees that were left out (a leaf's cumulative tag). */
  readonly dotted: boolean;
}

/** DotNode is one box of the picture. */
export interface DotNode {
  /** 1-based; the Graphviz node is `N<id>` and its SVG element id is `node<id>`. */
  readonly id: number;
  /** Printable name (function, file:line, …), unescaped. */
  readonly name: string;
  readonly flat: number;
  readonly cum: number;
  readonly flatText: string;
  readonly cumText: string;
  /** The Graphviz label, already escaped: name parts and values, `\n`-separated. */
  readonly label: string;
  readonly fontSize: number;
  readonly color: string;
  readonly fillColor: string;
  readonly nodelets: readonly DotNodelet[];
}

/** DotEdge is one call edge. */
export interface DotEdge {
  readonly from: number;
  readonly to: number;
  readonly weight: number;
  readonly weightText: string;
  readonly inline: boolean;
  /** The call goes through nodes left out of the picture. */
  readonly residual: boolean;
  /** Graphviz layout weight (1 + percent of total, at most 101) and pen width (1..6). */
  readonly layoutWeight: number;
  readonly penWidth: number;
  readonly color: string | undefined;
  /** The caller has nodelets, so the edge is drawn longer. */
  readonly longer: boolean;
  readonly tooltip: string;
}

/** DotView is the picture pprof's -dot draws. */
export interface DotView {
  /** Graph name: the main binary's base name, or empty. */
  readonly title: string;
  /** Legend lines (File, Type, …, Showing nodes accounting for …, the help line). */
  readonly labels: readonly string[];
  readonly total: number;
  readonly unit: string;
  readonly nodes: readonly DotNode[];
  readonly edges: readonly DotEdge[];
}

/** dotView computes the picture of a report; `callTree` keeps one node per call path. */
export function dotView(rpt: Report, callTree: boolean, ctx: LabelContext = {}): DotView {
  const { graph: g, trim } = linkedTrimmedGraph(rpt, { visualMode: true, callTree, objNames: false, tags: true });
  const shown = g.nodes.map((n) => ({ flat: meanValue(n.flat, n.flatDiv), cum: meanValue(n.cum, n.cumDiv) }));
  const unit = selectOutputUnit(rpt, shown);
  const format = valueFormatter(rpt.options, unit);
  const flatSum = shown.reduce((s, v) => s + v.flat, 0);
  const labels = reportLabels(rpt, format, { ...trim, flatSum }, true, ctx);
  labels.push('\nSee https://git.io/JfYMW for how to read the graph');
  const m = rpt.profile.mappings[0];
  const title = m && m.file !== '' ? basename(m.file) : '';
  const total = rpt.total;

  const ids = new Map<GraphNode, number>();
  g.nodes.forEach((n, i) => ids.set(n, i + 1));
  let maxFlat = shown.length > 0 ? Math.abs(shown[0]!.flat) : 0;
  for (const v of shown) maxFlat = Math.max(maxFlat, Math.abs(v.flat));

  const nodes: DotNode[] = g.nodes.map((n, i) => {
    const { flat, cum } = shown[i]!;
    const flatText = format(flat);
    const cumText = cum !== flat ? format(cum) : flatText;
    let label = multilinePrintableName(n);
    label += flat !== 0 ? `${flatText} (${percentage(flat, total).trim()})` : '0';
    if (cum !== flat) label += `${flat !== 0 ? '\\n' : ' '}of ${cumText} (${percentage(cum, total).trim()})`;
    // Font sizes grow from 8 to 24 with the square root of the flat share.
    let fontSize = 8;
    if (maxFlat !== 0 && flat !== 0 && Math.abs(flat) <= maxFlat) fontSize += Math.ceil(16 * Math.sqrt(Math.abs(flat) / maxFlat));
    const score = cum / Math.abs(total);
    return {
      id: i + 1,
      name: n.name,
      flat,
      cum,
      flatText,
      cumText,
      label,
      fontSize,
      color: dotColor(score, false),
      fillColor: dotColor(score, true),
      nodelets: nodelets(n, i + 1, format),
    };
  });

  const allEdges: GraphEdge[] = [];
  for (const n of g.nodes) for (const e of n.out.values()) allEdges.push(e);
  const edges: DotEdge[] = sortEdges(allEdges).map((e) => {
    const w = meanValue(e.weight, e.weightDiv);
    const weightText = format(w);
    const from = ids.get(e.src)!;
    return {
      from,
      to: ids.get(e.dest)!,
      weight: w,
      weightText,
      inline: e.inline,
      residual: e.residual,
      // Go's integer division truncates; the weight may exceed the total in a diff.
      layoutWeight: total !== 0 ? 1 + Math.min(Math.abs(Math.trunc((w * 100) / total)), 100) : 1,
      penWidth: total !== 0 ? 1 + Math.min(Math.abs(Math.trunc((w * 5) / total)), 5) : 1,
      color: total !== 0 ? dotColor(w / Math.abs(total), false) : undefined,
      longer: nodes[from - 1]!.nodelets.length > 0,
      tooltip: `${escapeForDot(e.src.name)} ${e.residual ? '...' : '->'} ${escapeForDot(e.dest.name)} (${weightText})`,
    };
  });
  return { title, labels, total, unit, nodes, edges };
}

/** nodelets are the tag boxes of a node: the heaviest label sets, numeric tags in ranges. */
function nodelets(n: GraphNode, id: number, format: ValueFormatter): DotNodelet[] {
  const out: DotNodelet[] = [];
  // A leaf shows cumulative tags (they include callees left out); other nodes their flat ones.
  const flatTags = n.out.size > 0;
  const labelTags = sortTags([...n.labelTags.values()], flatTags).slice(0, maxNodelets);
  labelTags.forEach((t, i) => {
    const w = flatTags ? meanValue(t.flat, t.flatDiv) : meanValue(t.cum, t.cumDiv);
    if (w === 0) return;
    const box = `N${id}_${i}`;
    out.push({ id: box, parent: `N${id}`, label: t.name, value: w, valueText: format(w), dotted: false });
    const numeric = n.numericTags.get(t.name);
    if (numeric) out.push(...numericNodelets([...numeric.values()], flatTags, box, format));
  });
  const unlabelled = n.numericTags.get('');
  if (unlabelled) out.push(...numericNodelets([...unlabelled.values()], flatTags, `N${id}`, format));
  return out;
}

function numericNodelets(tags: Tag[], flatTags: boolean, source: string, format: ValueFormatter): DotNodelet[] {
  const out: DotNodelet[] = [];
  collapsedTags(tags, maxNodelets, flatTags).forEach((t, j) => {
    let w = meanValue(t.cum, t.cumDiv);
    let dotted = true;
    if (flatTags || meanValue(t.flat, t.flatDiv) === w) {
      w = meanValue(t.flat, t.flatDiv);
      dotted = false;
    }
    if (w === 0) return;
    out.push({ id: `N${source}_${j}`, parent: source, label: t.name, value: w, valueText: format(w), dotted });
  });
  return out;
}

/** sortTags orders tags by cum (unless flat), then flat, then name (pprof's SortTags). */
function sortTags(ts: Tag[], flat: boolean): Tag[] {
  return ts.sort((a, b) => {
    if (!flat && a.cum !== b.cum) return Math.abs(b.cum) - Math.abs(a.cum);
    if (a.flat !== b.flat) return Math.abs(b.flat) - Math.abs(a.flat);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** collapsedTags groups numeric tags into at most `count` ranges around the heaviest ones. */
function collapsedTags(ts: Tag[], count: number, flatTags: boolean): Tag[] {
  ts = sortTags(ts, flatTags);
  if (ts.length <= count) return ts;
  const groups: Tag[][] = ts.slice(0, count).map((t) => [t]);
  for (const t of ts.slice(count)) {
    let g = 0;
    let d = tagDistance(t, groups[0]![0]!);
    for (let i = 1; i < count; i++) {
      const nd = tagDistance(t, groups[i]![0]!);
      if (nd < d) {
        g = i;
        d = nd;
      }
    }
    groups[g]!.push(t);
  }
  return sortTags(groups.map(tagGroup), flatTags);
}

function tagDistance(t: Tag, u: Tag): number {
  const [v] = scale(u.value, u.unit, t.unit);
  return Math.abs(v - t.value);
}

/** tagGroup is one range tag standing for a group: `min..max`, weights added up. */
function tagGroup(g: Tag[]): Tag {
  const first = g[0]!;
  if (g.length === 1) {
    return { name: autoLabel(first.value, first.unit), unit: '', value: 0, flat: meanValue(first.flat, first.flatDiv), flatDiv: 0, cum: meanValue(first.cum, first.cumDiv), cumDiv: 0 };
  }
  let min = first;
  let max = first;
  let [f, df, c, dc] = [first.flat, first.flatDiv, first.cum, first.cumDiv];
  for (const t of g.slice(1)) {
    if (Math.trunc(scale(t.value, t.unit, min.unit)[0]) < min.value) min = t;
    if (Math.trunc(scale(t.value, t.unit, max.unit)[0]) > max.value) max = t;
    f += t.flat;
    df += t.flatDiv;
    c += t.cum;
    dc += t.cumDiv;
  }
  f = meanValue(f, df);
  c = meanValue(c, dc);
  // Ranges are labelled in their own units, not the report's: tags are often much smaller.
  return { name: `${autoLabel(min.value, min.unit)}..${autoLabel(max.value, max.unit)}`, unit: '', value: 0, flat: f, flatDiv: 0, cum: c, cumDiv: 0 };
}

/**
 * dotColor maps a score in [-1, 1] to a colour: green for negative, grey near 0, red for positive;
 * light for backgrounds, dark for lines.
 */
export function dotColor(score: number, background: boolean): string {
  const shift = 0.7;
  let saturation = background ? 0.1 : 1.0;
  const value = background ? 0.93 : 0.7;
  score = Math.max(-1, Math.min(1, score));
  if (Math.abs(score) < 0.2) saturation *= Math.abs(score) / 0.2;
  if (score > 0) score = Math.pow(score, 1 - shift);
  if (score < 0) score = -Math.pow(-score, 1 - shift);
  let r: number;
  let g: number;
  if (score < 0) {
    g = value;
    r = value * (1 + saturation * score);
  } else {
    r = value;
    g = value * (1 - saturation * score);
  }
  const b = value * (1 - saturation);
  const hex = (x: number): string => (Math.trunc(x * 255) & 0xff).toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

// Names in pictures drop package paths and argument lists (pprof's ShortenFunctionName).
const javaRe = /^(?:[a-z]\w*\.)*([A-Z][\w$]*\.(?:<init>|[a-z][\w$]*(?:\$\d+)?))(?:(?:\()|$)/;
const goRe = /^(?:[\w\-.]+\/)+(.+)/;
const goVersionRe = /^(.*?)\/v(?:[2-9]|[1-9][0-9]+)([./].*)$/;
const cppRe = /^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)/;
const cppAnonymousPrefixRe = /^\(anonymous namespace\)::/;

/** shortenFunctionName drops package paths, namespaces and argument lists from a name. */
export function shortenFunctionName(f: string): string {
  f = f.replace(cppAnonymousPrefixRe, '').replace(goVersionRe, '$1$2');
  for (const re of [goRe, javaRe, cppRe]) {
    const m = re.exec(f);
    if (m && m.length >= 2) return m.slice(1).join('');
  }
  return f;
}

function multilinePrintableName(n: GraphNode): string {
  let name = escapeForDot(shortenFunctionName(n.info.name));
  name = name.replaceAll('::', '\\n').replaceAll('[...]', '[…]').replaceAll('.', '\\n');
  const file = n.info.file !== '' ? basename(n.info.file) : '';
  return nameComponents({ ...n.info, name, file }).join('\\n') + '\\n';
}

/** escapeForDot escapes quotes and backslashes and left-justifies line breaks. */
export function escapeForDot(s: string): string {
  return s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\l');
}

/**
 * escapeTagForDot escapes a tag box's label: label strings from the profile, which pprof writes
 * unescaped, between the `\n` line breaks the graph joined them with.
 */
function escapeTagForDot(s: string): string {
  return s.split('\\n').map(escapeForDot).join('\\n');
}

/** renderDot writes the picture as pprof's Graphviz text. */
export function renderDot(v: DotView): string {
  const out: string[] = [];
  // The title is a file name from the profile: escaped, unlike pprof's, so that a quote in it cannot
  // end the string and add attributes (a URL on the legend becomes a link in the web UI's SVG).
  const title = escapeForDot(v.title);
  out.push(`digraph "${title !== '' ? title : 'unnamed'}" {`);
  out.push('node [style=filled fillcolor="#f8f8f8"]');
  if (v.labels.length > 0) {
    let legend = `subgraph cluster_L { "${escapeForDot(v.labels[0]!)}" [shape=box fontsize=16 label="${v.labels.map(escapeForDot).join('\\l')}\\l"`;
    if (title !== '') legend += ` tooltip="${title}"`;
    out.push(legend + '] }');
  }
  for (const n of v.nodes) {
    out.push(
      `N${n.id} [label="${n.label}" id="node${n.id}" fontsize=${n.fontSize} shape=box tooltip="${escapeForDot(n.name)} (${n.cumText})" color="${n.color}" fillcolor="${n.fillColor}"]`,
    );
    for (const t of n.nodelets) {
      out.push(`${t.id} [label = "${escapeTagForDot(t.label)}" id="${t.id}" fontsize=8 shape=box3d tooltip="${t.valueText}"]`);
      const w = t.valueText;
      out.push(`${t.parent} -> ${t.id} [label=" ${w}" weight=100 tooltip="${w}" labeltooltip="${w}"${t.dotted ? ' style="dotted"' : ''}]`);
    }
  }
  for (const e of v.edges) {
    let attr = `label=" ${e.weightText}${e.inline ? '\\n (inline)' : ''}"`;
    if (e.color !== undefined) {
      if (e.layoutWeight > 1) attr += ` weight=${e.layoutWeight}`;
      if (e.penWidth > 1) attr += ` penwidth=${e.penWidth}`;
      attr += ` color="${e.color}"`;
    }
    attr += ` tooltip="${e.tooltip}" labeltooltip="${e.tooltip}"`;
    if (e.residual) attr += ' style="dotted"';
    if (e.longer) attr += ' minlen=2';
    out.push(`N${e.from} -> N${e.to} [${attr}]`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
