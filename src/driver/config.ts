// The options of a proflens run, with pprof's defaults. The CLI, the shell and the web UI all fill
// one of these and hand it to the driver.

import type { Granularity } from '../graph/node-info.js';

/** Config holds every option that shapes a report, named as pprof names them. */
export interface Config {
  /** Sample type by name or number; empty for the profile's default. */
  sampleIndex: string;
  mean: boolean;
  granularity: Granularity;
  noInlines: boolean;
  /** Sort by cum instead of flat. */
  cum: boolean;
  /** Nodes to show; -1 means the view's default (all for top, 80 for graphs). */
  nodeCount: number;
  nodeFraction: number;
  edgeFraction: number;
  /** One node per call path in graph pictures (dot, callgrind); pprof's -call_tree. */
  callTree: boolean;
  /** Honour nodecount/nodefraction/edgefraction (pprof's -trim). */
  trim: boolean;
  unit: string;
  divideBy: number;
  compactLabels: boolean;
  dropNegative: boolean;
  /** Strip these prefixes from source paths; see pprof's -trim_path. */
  trimPath: string;
  /** Search these roots (list separated by ':') for source files. */
  sourcePath: string;
  /** Sample filters: regexes over function, file and mapping names (pprof's -focus etc.). */
  focus: string;
  ignore: string;
  hide: string;
  show: string;
  showFrom: string;
  pruneFrom: string;
  /** Label filters: `key=regex`, regexes over `key:value`, or numeric ranges (`1mb:2gb`). */
  tagFocus: string;
  tagIgnore: string;
  /** Label key filters. */
  tagShow: string;
  tagHide: string;
  /** Label keys whose values become pseudo frames at the root / the leaf of every stack (pprof's -tagroot, -tagleaf). */
  tagRoot: string;
  tagLeaf: string;
  /** Percentages relative to the samples left after filtering, not to the whole profile. */
  relativePercentages: boolean;
  /** A comment to add to the profile (pprof's -add_comment). */
  addComment: string;
}

/** defaultConfig returns pprof's defaults for a command-line run. */
export function defaultConfig(): Config {
  return {
    sampleIndex: '',
    mean: false,
    granularity: 'functions',
    noInlines: false,
    cum: false,
    nodeCount: -1,
    nodeFraction: 0.005,
    edgeFraction: 0.001,
    callTree: false,
    trim: true,
    unit: 'minimum',
    divideBy: 1,
    compactLabels: false,
    dropNegative: false,
    trimPath: '',
    sourcePath: '',
    focus: '',
    ignore: '',
    hide: '',
    show: '',
    showFrom: '',
    pruneFrom: '',
    tagFocus: '',
    tagIgnore: '',
    tagShow: '',
    tagHide: '',
    tagRoot: '',
    tagLeaf: '',
    relativePercentages: false,
    addComment: '',
  };
}

/** activeFilters lists the filters in effect as pprof prints them under "Active filters:". */
export function activeFilters(cfg: Config): string[] {
  const pairs: [string, string][] = [
    ['focus', cfg.focus],
    ['ignore', cfg.ignore],
    ['hide', cfg.hide],
    ['show', cfg.show],
    ['show_from', cfg.showFrom],
    ['tagfocus', cfg.tagFocus],
    ['tagignore', cfg.tagIgnore],
    ['tagshow', cfg.tagShow],
    ['taghide', cfg.tagHide],
  ];
  return pairs.filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`);
}

/** hasFilters tells whether any sample or label filter is set. */
export function hasFilters(cfg: Config): boolean {
  return activeFilters(cfg).length > 0 || cfg.pruneFrom !== '';
}
