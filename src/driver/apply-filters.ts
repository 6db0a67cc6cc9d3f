// Applies the sample filters of a config to a profile, in pprof's order (driver_focus.go):
// focus/ignore/hide/show, show_from, tagfocus/tagignore, tagshow/taghide, prune_from.

import { UsageError } from '../profile/errors.js';
import { filterSamplesByName, filterSamplesByTag, filterTagsByName, pruneFrom, showFrom } from '../profile/filter.js';
import { type GoRegexp, compileGoRegExp } from '../profile/go-regexp.js';
import type { Profile } from '../profile/model.js';
import { numLabelUnits } from '../profile/label-units.js';
import { compileTagFilter } from '../profile/tag-filter.js';
import type { Config } from './config.js';

/** compileOption compiles a regex option; an invalid one is a usage error naming the option. */
export function compileOption(option: string, value: string): GoRegexp | undefined {
  if (value === '') return undefined;
  try {
    return compileGoRegExp(value);
  } catch (e) {
    throw new UsageError(`parsing ${option} regexp: ${(e as Error).message}`, { cause: e });
  }
}

/** applyFilters filters a profile; `warn` receives pprof's notes ("Focus expression matched no samples"). */
export function applyFilters(p: Profile, cfg: Config, warn: (msg: string) => void = () => {}): Profile {
  const focus = compileOption('focus', cfg.focus);
  const ignore = compileOption('ignore', cfg.ignore);
  const hide = compileOption('hide', cfg.hide);
  const show = compileOption('show', cfg.show);
  const showFromRe = compileOption('show_from', cfg.showFrom);
  // The units of numeric labels matter only to tag filters; finding them reads every label.
  const units = cfg.tagFocus !== '' || cfg.tagIgnore !== '' ? numLabelUnits(p).units : new Map<string, string>();
  const tagFocus = compileTagFilter('tagfocus', cfg.tagFocus, units, warn);
  const tagIgnore = compileTagFilter('tagignore', cfg.tagIgnore, units, warn);
  const pruneFromRe = compileOption('prune_from', cfg.pruneFrom);
  const tagShow = compileOption('tagshow', cfg.tagShow);
  const tagHide = compileOption('taghide', cfg.tagHide);
  const noMatch = (ok: boolean, option: string): void => {
    if (!ok) warn(`${option} expression matched no samples`);
  };

  // pprof runs this step even with no expression: it drops samples with empty stacks.
  const byName = filterSamplesByName(p, { focus, ignore, hide, show });
  noMatch(!focus || byName.focus, 'Focus');
  noMatch(!ignore || byName.ignore, 'Ignore');
  noMatch(!hide || byName.hide, 'Hide');
  noMatch(!show || byName.show, 'Show');
  p = byName.profile;

  if (showFromRe) {
    const r = showFrom(p, showFromRe);
    noMatch(r.matched, 'ShowFrom');
    p = r.profile;
  }
  if (tagFocus || tagIgnore) {
    const r = filterSamplesByTag(p, tagFocus, tagIgnore);
    noMatch(!tagFocus || r.focus, 'TagFocus');
    noMatch(!tagIgnore || r.ignore, 'TagIgnore');
    p = r.profile;
  }
  if (tagShow || tagHide) {
    const r = filterTagsByName(p, tagShow, tagHide);
    noMatch(!tagShow || r.show, 'TagShow');
    noMatch(!tagHide || r.hide, 'TagHide');
    p = r.profile;
  }
  if (pruneFromRe) p = pruneFrom(p, pruneFromRe);
  return p;
}
