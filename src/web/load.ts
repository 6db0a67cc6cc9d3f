// Loading what the web UI shows. pprof's -http with a base reports the difference in every view;
// the diff flame graph also needs the two sides apart, so they are loaded apart and subtracted here.

import { subtractBase } from '../driver/combine.js';
import { type LoadOptions, loadProfile } from '../driver/driver.js';
import type { Profile } from '../profile/model.js';

/** WebDiff is what the web UI needs to compare the sources with the base its own way. */
export interface WebDiff {
  readonly current: Profile;
  readonly base: Profile;
  /** --diff_base rather than --base: how the base is folded in when the page changes normalize. */
  readonly diffBase?: boolean;
  /** --normalize: what the page shows until its normalize switch says otherwise. */
  readonly normalize?: boolean;
}

/** WebProfiles are the profile the views report and, with a base, the two sides of the diff. */
export interface WebProfiles {
  readonly profile: Profile;
  readonly diff?: WebDiff;
}

/** loadWebProfiles loads the sources and, when given, the base (each merged, each fetched once). */
export async function loadWebProfiles(sources: readonly string[], o: LoadOptions): Promise<WebProfiles> {
  const bases = o.base ?? [];
  const alone: LoadOptions = { ...o, base: [], normalize: false };
  const [current, base] = await Promise.all([loadProfile(sources, alone), bases.length > 0 ? loadProfile(bases, alone) : undefined]);
  if (!base) return { profile: current };
  const diffBase = !!o.diffBase;
  const normalize = !!o.normalize;
  const profile = subtractBase(current, base, { diffBase, normalize });
  return { profile, diff: { current, base, diffBase, normalize } };
}
