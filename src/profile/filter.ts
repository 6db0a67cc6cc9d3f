// Sample filters, with pprof's semantics (profile/filter.go):
// - focus keeps samples with a frame matching; ignore drops samples with a frame matching;
// - hide removes matching frames from stacks; show keeps only matching frames;
// - show_from cuts each stack above (rootward of) its outermost matching frame;
// - tagfocus/tagignore keep or drop samples by label; tagshow/taghide drop labels by key;
// - prune_from cuts everything a matching frame calls.
// A frame matches when its function name or file name matches, or its location's mapping file does.
// Each filter returns a new Profile and whether the expression matched anything.

import { type Profile, hasEmptyStack } from './model.js';
import { pickLabels, rebuildLines, rebuildSamples } from './rebuild.js';
import { simplifyFuncName } from './prune.js';
import type { GoRegexp } from './go-regexp.js';

/** Matcher caches which functions and mappings an expression matches. */
class Matcher {
  private readonly fnCache: Int8Array;
  // Per string: 0 not tested, 1 match, 2 no match. Many functions share a file name.
  private readonly stringCache: Int8Array;
  private readonly mappingMatch: boolean[];

  constructor(
    private readonly p: Profile,
    private readonly re: GoRegexp,
  ) {
    this.fnCache = new Int8Array(p.functions.length);
    this.stringCache = new Int8Array(p.strings.length);
    this.mappingMatch = p.mappings.map((m) => re.test(m.file));
  }

  private string(i: number): boolean {
    if (this.stringCache[i] === 0) this.stringCache[i] = this.re.test(this.p.strings[i]!) ? 1 : 2;
    return this.stringCache[i] === 1;
  }

  /** line tells whether line k's function name or file name matches (false without a function). */
  line(k: number): boolean {
    const f = this.p.locations.lineFunction[k]!;
    if (f < 0) return false;
    if (this.fnCache[f] === 0) {
      const fn = this.p.functions;
      this.fnCache[f] = this.string(fn.name[f]!) || this.string(fn.filename[f]!) ? 1 : 2;
    }
    return this.fnCache[f] === 1;
  }

  mapping(l: number): boolean {
    const m = this.p.locations.mapping[l]!;
    return m >= 0 && this.mappingMatch[m]!;
  }

  /** location tells whether any line of location l, or its mapping, matches. */
  location(l: number): boolean {
    const loc = this.p.locations;
    for (let k = loc.lineStart[l]!; k < loc.lineStart[l + 1]!; k++) if (this.line(k)) return true;
    return this.mapping(l);
  }
}

/** NameFilters are the regexes of focus, ignore, hide and show. */
export interface NameFilters {
  readonly focus?: GoRegexp | undefined;
  readonly ignore?: GoRegexp | undefined;
  readonly hide?: GoRegexp | undefined;
  readonly show?: GoRegexp | undefined;
}

/** filterSamplesByName applies focus, ignore, hide and show (pprof's FilterSamplesByName). */
export function filterSamplesByName(p: Profile, f: NameFilters): { profile: Profile; focus: boolean; ignore: boolean; hide: boolean; show: boolean } {
  const loc = p.locations;
  if (!f.focus && !f.ignore && !f.hide && !f.show && !hasEmptyStack(p)) {
    return { profile: p, focus: false, ignore: false, hide: false, show: false };
  }
  const focus = f.focus && new Matcher(p, f.focus);
  const ignore = f.ignore && new Matcher(p, f.ignore);
  const hide = f.hide && new Matcher(p, f.hide);
  const show = f.show && new Matcher(p, f.show);
  const matched = { focus: false, ignore: false, hide: false, show: false };
  // Per location: 1 focused, 2 ignored, 0 neither; and whether it is hidden entirely.
  const focusOrIgnore = new Uint8Array(loc.length);
  const hidden = new Uint8Array(loc.length);
  let anyHidden = false;
  for (let l = 0; l < loc.length; l++) {
    if (ignore?.location(l)) {
      matched.ignore = true;
      focusOrIgnore[l] = 2;
    } else if (!focus || focus.location(l)) {
      matched.focus = true;
      focusOrIgnore[l] = 1;
    }
  }
  // Lines to keep: hide drops matching lines (all of them when the mapping matches); show keeps
  // matching lines and lines without a function (all of them when the mapping matches).
  const keepLine = (l: number, k: number): boolean => {
    if (hide && (hide.mapping(l) || hide.line(k))) return false;
    if (show && !show.mapping(l) && loc.lineFunction[k]! >= 0 && !show.line(k)) return false;
    return true;
  };
  let locations = loc;
  if (hide || show) {
    locations = rebuildLines(loc, keepLine);
    for (let l = 0; l < loc.length; l++) {
      const empty = locations.lineStart[l] === locations.lineStart[l + 1];
      if (hide?.location(l)) {
        matched.hide = true;
        if (empty) hidden[l] = 1;
      }
      if (show) {
        if (empty) hidden[l] = 1;
        else matched.show = true;
      }
      if (hidden[l]) anyHidden = true;
    }
  }
  const locs = p.samples.locations;
  const samples = rebuildSamples(p, (_, a, b) => {
    let focused = false;
    for (let i = a; i < b; i++) {
      const fi = focusOrIgnore[locs[i]!]!;
      if (fi === 2) return undefined;
      if (fi === 1) focused = true;
    }
    if (!focused) return undefined;
    return [a, b];
  });
  let profile: Profile = { ...p, locations, samples };
  if (anyHidden) profile = dropLocations(profile, hidden);
  return { profile, ...matched };
}

/** dropLocations removes the marked locations from every stack; samples left empty go. */
function dropLocations(p: Profile, drop: Uint8Array): Profile {
  const s = p.samples;
  // Compact each stack into a scratch copy, then keep the compacted range.
  const scratch = new Uint32Array(s.locations.length);
  let w = 0;
  const ranges: [number, number][] = [];
  for (let i = 0; i < s.length; i++) {
    const start = w;
    for (let k = s.stackStart[i]!; k < s.stackStart[i + 1]!; k++) {
      const l = s.locations[k]!;
      if (!drop[l]) scratch[w++] = l;
    }
    ranges.push([start, w]);
  }
  const view: Profile = { ...p, samples: { ...s, locations: scratch } };
  const samples = rebuildSamples(view, (i) => (ranges[i]![1] > ranges[i]![0] ? ranges[i] : undefined));
  return { ...p, samples };
}

/** showFrom keeps each stack from its outermost matching frame leafwards (pprof's ShowFrom). */
export function showFrom(p: Profile, re: GoRegexp): { profile: Profile; matched: boolean } {
  const m = new Matcher(p, re);
  const loc = p.locations;
  // For each location: -1 no match; else the last (outermost) matching line, or lineEnd for a mapping match.
  const cut = new Int32Array(loc.length).fill(-1);
  let matched = false;
  for (let l = 0; l < loc.length; l++) {
    if (m.mapping(l)) {
      cut[l] = loc.lineStart[l + 1]!;
      matched = true;
      continue;
    }
    for (let k = loc.lineStart[l + 1]! - 1; k >= loc.lineStart[l]!; k--) {
      if (m.line(k)) {
        cut[l] = k + 1;
        matched = true;
        break;
      }
    }
  }
  const locations = rebuildLines(loc, (l, k) => cut[l]! < 0 || k < cut[l]!);
  const locs = p.samples.locations;
  const samples = rebuildSamples(p, (_, a, b) => {
    for (let i = b - 1; i >= a; i--) if (cut[locs[i]!]! >= 0) return [a, i + 1];
    return undefined;
  });
  return { profile: { ...p, locations, samples }, matched };
}

/** pruneFrom drops everything a matching frame calls (pprof's PruneFrom). */
export function pruneFrom(p: Profile, re: GoRegexp): Profile {
  const loc = p.locations;
  const { functions: fn, strings } = p;
  // Per function: 0 not tested, 1 match, 2 no match (a function appears in many locations).
  const fnMatch = new Int8Array(fn.length);
  const matches = (f: number): boolean => {
    if (fnMatch[f] === 0) {
      const name = strings[fn.name[f]!]!;
      fnMatch[f] = name !== '' && re.test(simplifyFuncName(name)) ? 1 : 2;
    }
    return fnMatch[f] === 1;
  };
  // For each location: the first (innermost) matching line, or -1.
  const from = new Int32Array(loc.length).fill(-1);
  for (let l = 0; l < loc.length; l++) {
    for (let k = loc.lineStart[l]!; k < loc.lineStart[l + 1]!; k++) {
      const f = loc.lineFunction[k]!;
      if (f < 0) continue;
      if (matches(f)) {
        from[l] = k;
        break;
      }
    }
  }
  const locations = rebuildLines(loc, (l, k) => from[l]! < 0 || k >= from[l]!);
  const locs = p.samples.locations;
  const samples = rebuildSamples(p, (_, a, b) => {
    for (let i = a; i < b; i++) if (from[locs[i]!]! >= 0) return [i, b];
    return [a, b];
  });
  return { ...p, locations, samples };
}

/** SampleMatch tells whether sample i of a profile matches a tag filter. */
export type SampleMatch = (p: Profile, sample: number) => boolean;

/** filterSamplesByTag keeps samples that match focus (when given) and not ignore. */
export function filterSamplesByTag(p: Profile, focus?: SampleMatch, ignore?: SampleMatch): { profile: Profile; focus: boolean; ignore: boolean } {
  let fm = false;
  let im = false;
  const samples = rebuildSamples(p, (i, a, b) => {
    const focused = focus ? focus(p, i) : true;
    const ignored = ignore ? ignore(p, i) : false;
    fm ||= focused;
    im ||= ignored;
    return focused && !ignored ? [a, b] : undefined;
  });
  return { profile: { ...p, samples }, focus: fm, ignore: im };
}

/** filterTagsByName drops labels whose key does not match show or matches hide. */
export function filterTagsByName(p: Profile, show?: GoRegexp, hide?: GoRegexp): { profile: Profile; show: boolean; hide: boolean } {
  const t = p.samples.labels;
  let sm = false;
  let hm = false;
  if (!t) return { profile: p, show: false, hide: false };
  const labels = pickLabels(t, null, (k) => {
    const key = p.strings[t.key[k]!]!;
    const matchShow = !show || show.test(key);
    const matchHide = !!hide && hide.test(key);
    sm ||= matchShow;
    hm ||= matchHide;
    return matchShow && !matchHide;
  });
  return { profile: { ...p, samples: { ...p.samples, labels } }, show: sm, hide: hm };
}
