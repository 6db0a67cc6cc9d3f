// The one way through: sources → profile → report options → view rows → text.
// The CLI, the shell and the web UI all call these; none of them prints or exits here.

import { type GrabOptions, grabProfile } from '../fetch/grab.js';
import { ExecutableError, ProfileError, UsageError } from '../profile/errors.js';
import { type Profile, hasEmptyStack } from '../profile/model.js';
import { sampleIndexByName } from '../profile/sample-index.js';
import { type LabelContext, type Report, type ReportOptions, computeTotal } from '../report/report.js';
import { type TopView, renderTop, topView } from '../report/top.js';
import type { TreeView } from '../report/tree.js';
import { trimSourcePath } from '../report/source-reader.js';
import type { TagsView } from '../report/tags.js';
import type { ListView } from '../report/list.js';
import type { TracesView } from '../report/traces.js';
import type { DotView } from '../report/dot.js';
import type { CallgrindView } from '../report/callgrind.js';
import { type Config, activeFilters, hasFilters } from './config.js';
import type { GoRegexp } from '../profile/go-regexp.js';

/** LoadOptions say how sources are read and combined. */
export interface LoadOptions extends GrabOptions {
  /** Base profiles to subtract (pprof's -base, or -diff_base with diffBase). */
  readonly base?: readonly string[];
  readonly diffBase?: boolean;
  /** Scale the profile to the base's totals before subtracting (pprof's -normalize). */
  readonly normalize?: boolean;
}

/**
 * loadProfile reads, fetches and decodes the sources, merges them, folds in the base, and applies
 * the profile's drop_frames. Sources are fetched concurrently; as in pprof, sources that fail are
 * reported and the rest are used, and it is an error only when none can be had.
 */
export async function loadProfile(sources: readonly string[], o: LoadOptions = {}): Promise<Profile> {
  if (sources.length === 0) throw new UsageError('no profile source given');
  const bases = o.base ?? [];
  if (o.normalize && bases.length === 0) throw new UsageError('must have base profile to normalize by');
  // Two or more profiles (say a profile and its base) decode in parallel on a machine with cores to spare.
  if (sources.length + bases.length > 1) o = await parallelParsing(o);
  const [main, base] = await Promise.all([grabAll(sources, 'source', o), bases.length > 0 ? grabAll(bases, 'base', o) : undefined]);
  // One profile as it is; the merge code is loaded only when there is something to combine.
  let profile = main[0]!;
  if (main.length > 1 || base) {
    const { combineProfiles, subtractBase } = await import('./combine.js');
    profile = combining(sources, () => combineProfiles(main));
    if (base) profile = combining([...sources, ...bases], () => subtractBase(profile, combineProfiles(base), { diffBase: !!o.diffBase, normalize: !!o.normalize }));
  }
  if (profile.dropFrames === '') return profile;
  return (await import('../profile/prune.js')).removeUninteresting(profile);
}

/**
 * parallelParsing returns load options under which large profiles are decoded in worker threads
 * while the main thread decodes another: for loading several profiles, at once or one by one.
 */
export async function parallelParsing(o: LoadOptions): Promise<LoadOptions> {
  if (o.parse) return o;
  const pool = new (await import('../profile/parse-parallel.js')).ParsePool();
  return { ...o, parse: (bytes, source, po) => pool.parse(bytes, source, po) };
}

/** grabAll gets every source of one group, reporting failures while some succeed. */
async function grabAll(sources: readonly string[], what: 'source' | 'base', o: LoadOptions): Promise<Profile[]> {
  const results = setAsideExecutables(await Promise.allSettled(sources.map((s) => grabProfile(s, o))), o);
  const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.profile] : []));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failed.length === 0) return ok;
  // One source: its own error is the whole story.
  if (results.length === 1) throw failed[0];
  for (const e of failed) o.warn?.(e instanceof Error ? e.message : String(e));
  if (ok.length === 0) throw new ProfileError(`failed to fetch any ${what} profiles`);
  o.warn?.(`Fetched ${ok.length} ${what} profiles out of ${results.length}`);
  return ok;
}

/**
 * setAsideExecutables drops executables named beside profiles, each with a note: `pprof BINARY
 * PROFILE` is pprof's habit, and proflens, which never symbolizes, needs no executable. Executables
 * alone stay errors that say so.
 */
function setAsideExecutables<T>(results: PromiseSettledResult<T>[], o: LoadOptions): PromiseSettledResult<T>[] {
  const isExecutable = (r: PromiseSettledResult<T>): boolean => r.status === 'rejected' && r.reason instanceof ExecutableError;
  const rest = results.filter((r) => !isExecutable(r));
  if (rest.length === 0) return results;
  for (const r of results) {
    if (r.status === 'rejected' && r.reason instanceof ExecutableError) {
      o.warn?.(`${r.reason.source}: an executable (${r.reason.format}), ignored: proflens reads names from the profile and needs no executable`);
    }
  }
  return rest;
}

/** combining runs a merge, naming the sources when they cannot be merged. */
function combining(sources: readonly string[], merge: () => Profile): Profile {
  try {
    return merge();
  } catch (e) {
    if (e instanceof ProfileError) throw new ProfileError(`cannot combine ${sources.join(', ')}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** View names a report view. */
export type View = 'top' | 'tree' | 'peek' | 'list' | 'traces' | 'tags' | 'comments' | 'dot' | 'callgrind' | 'raw' | 'proto' | 'topproto';

/** applyViewOverrides adjusts the config for a view as pprof's applyCommandOverrides does. */
export function applyViewOverrides(view: View, cfg: Config): Config {
  const c = { ...cfg };
  switch (view) {
    case 'top':
    case 'topproto':
      if (c.nodeCount === -1) c.nodeCount = 0;
      break;
    case 'peek':
      c.trim = false;
      break;
    case 'list':
      c.trim = false;
      c.granularity = 'lines';
      break;
    case 'traces':
    case 'tags':
    case 'comments':
      break;
    default:
      if (c.nodeCount === -1) c.nodeCount = 80;
  }
  // Reports of the whole profile see it at full detail, untrimmed.
  if (view === 'proto' || view === 'raw' || view === 'callgrind') {
    c.trim = false;
    c.granularity = 'addresses';
    c.noInlines = false;
  }
  if (!c.trim) {
    c.nodeCount = 0;
    c.nodeFraction = 0;
    c.edgeFraction = 0;
  }
  return c;
}

/** reportOptions turns a config into the options of a report on this profile. */
export function reportOptions(p: Profile, cfg: Config): ReportOptions {
  if (p.sampleTypes.length === 0) throw new ProfileError('profile has no samples');
  const sampleIndex = sampleIndexByName(p, cfg.sampleIndex);
  const st = p.sampleTypes[sampleIndex]!;
  if (cfg.divideBy === 0) throw new UsageError('zero divisor specified');
  return {
    sampleIndex,
    mean: cfg.mean,
    sampleType: cfg.mean ? `mean_${st.type}` : st.type,
    sampleUnit: st.unit,
    outputUnit: cfg.unit,
    ratio: 1 / cfg.divideBy,
    aggregation: { granularity: cfg.granularity, noInlines: cfg.noInlines, trimPath: (file: string) => trimSourcePath(file, cfg.trimPath, cfg.sourcePath) },
    cumSort: cfg.cum,
    nodeCount: cfg.nodeCount < 0 ? 0 : cfg.nodeCount,
    nodeFraction: cfg.nodeFraction,
    edgeFraction: cfg.edgeFraction,
    dropNegative: cfg.dropNegative,
    compactLabels: cfg.compactLabels,
    activeFilters: activeFilters(cfg),
  };
}

/** ViewResult is a view's rows and its text. */
export type ViewResult =
  | { readonly view: 'top'; readonly data: TopView; readonly text: string }
  | { readonly view: 'tree' | 'peek'; readonly data: TreeView; readonly text: string }
  | { readonly view: 'list'; readonly data: ListView; readonly text: string }
  | { readonly view: 'traces'; readonly data: TracesView; readonly text: string }
  | { readonly view: 'tags'; readonly data: TagsView; readonly text: string }
  | { readonly view: 'comments'; readonly data: readonly string[]; readonly text: string }
  | { readonly view: 'dot'; readonly data: DotView; readonly text: string }
  | { readonly view: 'callgrind'; readonly data: CallgrindView; readonly text: string }
  | { readonly view: 'raw'; readonly data: Profile; readonly text: string }
  | { readonly view: 'proto' | 'topproto'; readonly data: Profile; readonly bytes: Uint8Array };

/** ViewContext is what a view needs from outside: clock formatting and a place for warnings. */
export interface ViewContext extends LabelContext {
  /** Receives pprof's notes on filters ("Focus expression matched no samples"). */
  readonly warn?: (msg: string) => void;
  /** Where `list` looks for source files when no source path is given (default: the process's). */
  readonly cwd?: string;
}

/**
 * prepareReport filters the profile and computes its total. Percentages are of the whole profile
 * unless relativePercentages asks for the filtered one, so the total is taken before filtering.
 */
export async function prepareReport(p: Profile, c: Config, ctx: ViewContext = {}): Promise<Report> {
  // pprof filters even with no expression given, which drops samples with empty stacks; the
  // filter code is loaded only when there is something for it to do.
  const filter = hasFilters(c) || hasEmptyStack(p) ? (await import('./apply-filters.js')).applyFilters : undefined;
  if (filter && c.relativePercentages) p = filter(p, c, ctx.warn);
  const options = reportOptions(p, c);
  const total = computeTotal(p, options);
  if (filter && !c.relativePercentages) p = filter(p, c, ctx.warn);
  return { profile: p, options, total };
}


/**
 * generateView computes one view of a profile. Views other than top are imported when asked for,
 * so that `proflens top` loads only what it needs.
 */
export async function generateView(p: Profile, view: View, cfg: Config, ctx: ViewContext = {}, arg?: string): Promise<ViewResult> {
  const c = applyViewOverrides(view, cfg);
  const symbol = arg === undefined ? undefined : await compileArgument(arg);
  if (c.addComment !== '') p = { ...p, comments: [...p.comments, c.addComment] };
  // pprof adds the label frames before filtering, so that filters can match them.
  if (c.tagRoot !== '' || c.tagLeaf !== '') p = (await import('./label-frames.js')).withLabelFrames([p], c, ctx)[0]!;
  if (view === 'comments') return { view, data: p.comments, text: p.comments.map((x) => x + '\n').join('') };
  // Views that list samples see them as pprof does: merged on load (identical samples summed).
  if (view === 'traces' || view === 'raw' || view === 'proto' || view === 'topproto') p = (await import('../profile/merge.js')).mergeProfiles([p]);
  // Units of numeric labels are identified once, before any filter.
  const units = view === 'traces' || view === 'tags' ? (await import('../profile/label-units.js')).numLabelUnits(p) : undefined;
  for (const [key, others] of units?.conflicts ?? []) ctx.warn?.(`For tag ${key} used unit ${units!.units.get(key)}, also encountered unit(s) ${others.join(', ')}`);
  const rpt = await prepareReport(p, c, ctx);
  switch (view) {
    case 'list': {
      if (!symbol) throw new UsageError('list needs a regular expression naming the functions to list');
      const { listView, renderList } = await import('../report/list.js');
      const data = listView(rpt, symbol, c.sourcePath !== '' ? c.sourcePath : (ctx.cwd ?? process.cwd()), c.trimPath);
      // Said once per file; the listing still shows the numbers of each line with samples.
      for (const m of data.missingSources) ctx.warn?.(`list: ${m}; showing the values of each line without its source`);
      return { view, data, text: renderList(data) };
    }
    case 'traces': {
      const { tracesView, renderTraces } = await import('../report/traces.js');
      const data = tracesView(rpt, units!.units, ctx);
      return { view, data, text: renderTraces(data) };
    }
    case 'tags': {
      const { tagsView, renderTags } = await import('../report/tags.js');
      const data = tagsView(rpt, units!.units);
      return { view, data, text: renderTags(data) };
    }
    case 'top': {
      const data = topView(rpt, ctx);
      return { view, data, text: renderTop(data) };
    }
    case 'dot': {
      const { dotView, renderDot } = await import('../report/dot.js');
      const data = dotView(rpt, c.callTree, ctx);
      return { view, data, text: renderDot(data) };
    }
    case 'callgrind': {
      const { callgrindView, renderCallgrind } = await import('../report/callgrind.js');
      const data = callgrindView(rpt, c.callTree);
      return { view, data, text: renderCallgrind(data) };
    }
    case 'raw': {
      const { renderRaw } = await import('../report/raw.js');
      return { view, data: rpt.profile, text: renderRaw(rpt.profile) };
    }
    case 'proto': {
      const { scaleSamples } = await import('../profile/scale.js');
      const { encodeProfile } = await import('../profile/encode.js');
      const data = scaleSamples(rpt.profile, rpt.options.ratio);
      return { view, data, bytes: encodeProfile(data) };
    }
    case 'topproto': {
      const { topProto } = await import('../report/top-proto.js');
      const { encodeProfile } = await import('../profile/encode.js');
      const data = topProto(rpt);
      return { view, data, bytes: encodeProfile(data) };
    }
    case 'tree':
    case 'peek': {
      const { treeView, renderTree } = await import('../report/tree.js');
      const data = treeView(rpt, view === 'peek' ? symbol : undefined, ctx);
      return { view, data, text: renderTree(data) };
    }
  }
}

/** compileArgument compiles the regex argument of a view (list, peek, disasm), with pprof's error. */
export async function compileArgument(arg: string): Promise<GoRegexp> {
  const { compileGoRegExp } = await import('../profile/go-regexp.js');
  try {
    return compileGoRegExp(arg);
  } catch (e) {
    throw new UsageError(`parsing argument regexp ${arg}: ${(e as Error).message}`, { cause: e });
  }
}
