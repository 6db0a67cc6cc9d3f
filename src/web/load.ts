// Loading what the web UI shows. pprof's -http with a base reports the difference in every view;
// the diff flame graph also needs the two sides apart, so they are loaded apart and subtracted here.

import { subtractBase } from '../driver/combine.js';
import { type LoadOptions, loadProfile } from '../driver/driver.js';
import type { Profile } from '../profile/model.js';

/** WebProfiles are the profile the views report and, with a base, the two sides of the diff. */
export interface WebProfiles {
  readonly profile: Profile;
  readonly diff?: { readonly current: Profile; readonly base: Profile };
}

/** loadWebProfiles loads the sources and, when given, the base (each merged, each fetched once). */
export async function loadWebProfiles(sources: readonly string[], o: LoadOptions): Promise<WebProfiles> {
  const bases = o.base ?? [];
  const alone: LoadOptions = { ...o, base: [], normalize: false };
  const [current, base] = await Promise.all([loadProfile(sources, alone), bases.length > 0 ? loadProfile(bases, alone) : undefined]);
  if (!base) return { profile: current };
  const profile = subtractBase(current, base, { diffBase: !!o.diffBase, normalize: !!o.normalize });
  return { profile, diff: { current, base } };
}
