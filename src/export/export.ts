// `proflens proto --format F`: the profile after filters, in another tool's format. The profile
// goes through the same steps as for every view (sample type, focus/ignore/hide/show, tag filters,
// --divide-by); frames are named as `top` names them, at the granularity asked for (functions by
// default), and stacks are the call tree the web UI's flame graph draws.

import type { Config } from '../driver/config.js';
import { type ViewContext, prepareReport } from '../driver/driver.js';
import type { Profile } from '../profile/model.js';
import { scaleSamples } from '../profile/scale.js';
import { buildCallTree } from '../web/call-tree.js';
import { foldedName, minFrameFraction, speedscopeJson } from '../web/flame.js';
import { cpuSampleColumns, v8CpuProfile } from './cpuprofile.js';
import { flameGraphHtml } from './flame-html.js';
import { foldedStacks } from './folded.js';
import type { ExportFormat } from './formats.js';

/** exportProfile writes the profile in the format; source names it in titles and errors. */
export async function exportProfile(p: Profile, format: ExportFormat, cfg: Config, source: string, ctx: ViewContext = {}): Promise<string> {
  const rpt = await prepareReport(p, { ...cfg, trim: false }, ctx);
  const o = rpt.options;
  // Values as proto writes them: divided by --divide-by.
  const profile = scaleSamples(rpt.profile, o.ratio);
  // Only positive values make frames (a profile minus its --base has negative ones).
  const keep = (v: number): boolean => v > 0;
  const title = source.slice(source.lastIndexOf('/') + 1) || 'profile';
  switch (format) {
    case 'folded':
      return foldedStacks(buildCallTree([{ profile, sampleIndex: o.sampleIndex, keep }], o.aggregation, 0));
    case 'speedscope':
      return speedscopeJson(buildCallTree([{ profile, sampleIndex: o.sampleIndex, keep }], o.aggregation, 0), { ...rpt, profile }, title) + '\n';
    case 'flamegraph.html': {
      // Frames under 0.01% of the total are folded in large profiles, as in the web UI: the file stays small.
      const t = buildCallTree([{ profile, sampleIndex: o.sampleIndex, keep }], o.aggregation, minFrameFraction);
      return flameGraphHtml(t, { title, sampleType: o.sampleType, unit: o.sampleUnit, foldedName });
    }
    case 'cpuprofile': {
      const cols = cpuSampleColumns({ ...rpt, profile }, source);
      const inputs = [{ profile, sampleIndex: cols.time, keep }];
      if (cols.count !== undefined) inputs.push({ profile, sampleIndex: cols.count, keep });
      return JSON.stringify(v8CpuProfile(buildCallTree(inputs, o.aggregation, 0), profile, cols.nanos)) + '\n';
    }
  }
}
