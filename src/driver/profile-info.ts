// What a front end that keeps a profile open (the shell, the web UI) asks of it besides views:
// the names of its sample types and functions, the sample type an option selects, and the lines
// that introduce it. Kept apart from driver.ts so that `proflens top` does not load it.

import type { Profile } from '../profile/model.js';
import { sampleIndexByName } from '../profile/sample-index.js';
import { type LabelContext, computeTotal, profileLabels, valueFormatter } from '../report/report.js';
import type { Config } from './config.js';
import { reportOptions } from './driver.js';

export type { Profile } from '../profile/model.js';

/** sampleTypeNames lists the profile's sample types in order (`alloc_objects`, …, `inuse_space`). */
export function sampleTypeNames(p: Profile): string[] {
  return p.sampleTypes.map((t) => t.type);
}

/**
 * resolveSampleType returns the name of the sample type that a sample_index value (a name, a
 * legacy `inuse_` name, or a number) selects; an empty value selects the profile's default.
 * Throws a UsageError naming the valid types when none matches.
 */
export function resolveSampleType(p: Profile, sampleIndex: string): string {
  return p.sampleTypes[sampleIndexByName(p, sampleIndex)]!.type;
}

/** functionNames lists the names of the profile's functions, each once, in table order. */
export function functionNames(p: Profile): string[] {
  const seen = new Set<string>();
  const f = p.functions;
  for (let i = 0; i < f.length; i++) {
    const name = p.strings[f.name[i]!]!;
    if (name !== '') seen.add(name);
  }
  return [...seen];
}

/** Greeting is what a front end says about a profile when it opens it. */
export interface Greeting {
  /** File, Build ID, comments, Type, Time, Duration: the lines pprof prints above its prompt. */
  readonly labels: readonly string[];
  /** The selected sample type adds up to zero while the profile has other types to look at. */
  readonly emptyDefault: boolean;
}

/**
 * greeting describes the whole profile (before any filter) under a config, as pprof's interactive
 * greetings do. An unusable config (a bad sample_index) gives undefined rather than an error, as
 * in pprof: the shell opens anyway and says what is wrong at the first view.
 */
export function greeting(p: Profile, cfg: Config, ctx: LabelContext = {}): Greeting | undefined {
  let options;
  try {
    options = reportOptions(p, cfg);
  } catch {
    return undefined;
  }
  const total = computeTotal(p, options);
  const labels = profileLabels({ profile: p, options, total }, valueFormatter(options), ctx);
  return { labels, emptyDefault: total === 0 && p.sampleTypes.length > 1 };
}
