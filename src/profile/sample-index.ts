import { UsageError } from './errors.js';
import type { Profile } from './model.js';

/**
 * sampleIndexByName picks the sample type to report, as pprof's -sample_index does: empty means
 * the profile's default_sample_type, else the last type; a number selects by position; a name
 * selects by type, with the legacy `inuse_` prefix optional (`inuse_space` finds `space`).
 */
export function sampleIndexByName(p: Profile, sampleIndex: string): number {
  const types = p.sampleTypes.map((t) => t.type);
  if (sampleIndex === '') {
    if (p.defaultSampleType !== '') {
      const i = types.indexOf(p.defaultSampleType);
      if (i >= 0) return i;
    }
    return types.length - 1;
  }
  if (/^[+-]?\d+$/.test(sampleIndex)) {
    const i = Number(sampleIndex);
    if (i < 0 || i >= types.length) {
      throw new UsageError(`sample_index ${sampleIndex} is outside the range [0..${types.length - 1}]`);
    }
    return i;
  }
  const noInuse = sampleIndex.startsWith('inuse_') ? sampleIndex.slice('inuse_'.length) : sampleIndex;
  const i = types.findIndex((t) => t === sampleIndex || t === noInuse);
  if (i >= 0) return i;
  throw new UsageError(`sample_index "${sampleIndex}" must be one of: [${types.join(' ')}]`);
}
