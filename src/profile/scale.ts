// Scaling every sample value by a ratio, as pprof does before writing a profile with -divide_by.

import type { Profile } from './model.js';

/** scaleSamples multiplies every sample value by ratio, truncating as Go's int64 conversion does. */
export function scaleSamples(p: Profile, ratio: number): Profile {
  if (!(ratio > 0) || ratio === 1) return p;
  const values = p.samples.values.map((v) => Math.trunc(v * ratio));
  const { exactValues: _, ...samples } = p.samples;
  return { ...p, samples: { ...samples, values } };
}
