// What the web UI serves: the loaded profiles and the config the command line gave, and one
// method per endpoint turning the page's parameters into a view's data through the driver.
// Nothing here knows about HTTP; server.ts maps routes to these methods.

import { subtractBase } from '../driver/combine.js';
import type { Config } from '../driver/config.js';
import { type ViewContext, generateView, prepareReport } from '../driver/driver.js';
import { UsageError } from '../profile/errors.js';
import type { Profile } from '../profile/model.js';
import { sampleIndexByName } from '../profile/sample-index.js';
import { normalizeTo } from '../profile/transform.js';
import type { Report } from '../report/report.js';
import type { ListView } from '../report/list.js';
import type { TopView } from '../report/top.js';
import type { TreeView } from '../report/tree.js';
import type { DotView } from '../report/dot.js';
import type { DiffView } from '../report/diff.js';
import { type NodeValues, nodeValues } from '../report/node-values.js';
import type { WebDiff } from './load.js';
import { configFromQuery, functionParam, normalizeParam, reportParams } from './query.js';

/** WebSessionOptions are what `proflens web` loaded and was told. */
export interface WebSessionOptions {
  /** The profile the views report: the sources merged, with the base subtracted when one was given. */
  readonly profile: Profile;
  /** For the diff flame graph and the normalize switch: the sources and the base, each as loaded. */
  readonly diff?: WebDiff;
  /** The config from the command line; the page's parameters override it. */
  readonly config: Config;
  /** Names the profile in the page (the sources as given). */
  readonly title: string;
  /** Where source files are looked for when no source path is given. */
  readonly cwd?: string;
  readonly formatTime?: (nanos: number) => string;
}

/** SourceEntry is one function's listing as the page shows it: values already printed. */
export interface SourceEntry {
  readonly name: string;
  readonly file?: string;
  readonly flatText?: string;
  readonly cumText?: string;
  readonly error?: string;
  readonly lines: readonly { lineno: number; text: string; flat: number; cum: number; flatText: string; cumText: string }[];
}

/** CompareView is the diff view's rows with delta% printed as `proflens diff` prints it. */
export interface CompareView extends Omit<DiffView, 'rows'> {
  readonly rows: readonly (DiffView['rows'][number] & { readonly deltaPercentText: string })[];
}

/** Meta describes the profile for the page's menus. */
export interface Meta {
  readonly title: string;
  readonly sampleTypes: readonly { type: string; unit: string }[];
  /** Index of the sample type shown when the page names none. */
  readonly defaultSampleIndex: number;
  readonly granularity: string;
  readonly hasDiff: boolean;
  /** Whether the current profile is scaled to the base's totals until the page says otherwise (--normalize). */
  readonly normalize: boolean;
  readonly hasGraph: boolean;
  readonly comments: readonly string[];
  /**
   * The refine form's fields as the command line set them: the form starts with them, and the
   * page sends a field only when it differs (an empty one meaning none).
   */
  readonly refine: Readonly<Record<'focus' | 'ignore' | 'hide' | 'show' | 'tagroot' | 'tagleaf', string>>;
}

/** A small cache of the last few results, by key. */
class Recent<T> {
  private readonly items = new Map<string, T>();
  constructor(private readonly size: number) {}
  async get(key: string, make: () => Promise<T>): Promise<T> {
    const hit = this.items.get(key);
    if (hit !== undefined) {
      this.items.delete(key);
      this.items.set(key, hit);
      return hit;
    }
    const v = await make();
    this.items.set(key, v);
    if (this.items.size > this.size) this.items.delete(this.items.keys().next().value!);
    return v;
  }
}

/** WebSession answers the page's requests. */
export class WebSession {
  private readonly reports = new Recent<Report>(2);
  private readonly flames = new Recent<string>(4);
  private readonly diffs = new Recent<unknown>(2);
  private readonly names = new Recent<[string, NodeValues][]>(2);
  private readonly compares = new Recent<CompareView>(2);
  /** The sources less the base with normalize the other way than the command line's, made when first asked for. */
  private otherProfile: Profile | undefined;
  /** The sources scaled to the base's totals, made when first asked for. */
  private normalizedCurrent: Profile | undefined;

  constructor(private readonly o: WebSessionOptions) {}

  /** normalized tells whether the page asks for the sources scaled to the base's totals (pprof's -normalize). */
  private normalized(q: URLSearchParams): boolean {
    const n = normalizeParam(q) ?? !!this.o.diff?.normalize;
    if (n && !this.o.diff) throw new UsageError('must have base profile to normalize by');
    return n;
  }

  /**
   * profile is what the views report for the page's normalize switch: the loaded one, or the base
   * subtracted from the sources the other way, by the same rules as the command line's.
   */
  private profile(q: URLSearchParams): Profile {
    const d = this.o.diff;
    const n = this.normalized(q);
    if (!d || n === !!d.normalize) return this.o.profile;
    this.otherProfile ??= subtractBase(d.current, d.base, { diffBase: !!d.diffBase, normalize: n });
    return this.otherProfile;
  }

  private ctx(warnings: string[]): ViewContext {
    return { warn: (m) => warnings.push(m), ...(this.o.cwd && { cwd: this.o.cwd }), ...(this.o.formatTime && { formatTime: this.o.formatTime }) };
  }

  /** key names the report a query asks for. */
  private key(q: URLSearchParams): string {
    // An absent parameter (the command line's value, null) and an empty one (none) are different
    // reports; JSON keeps a value holding '&' or '=' from reading as another parameter.
    return JSON.stringify(reportParams.map((k) => (k === 'normalize' ? this.normalized(q) : q.get(k))));
  }

  /**
   * report is the filtered profile the flame graph, the function picker and the download show.
   * The views made by generateView (top, peek, source, graph) add the label frames themselves.
   */
  private report(q: URLSearchParams): Promise<Report> {
    return this.reports.get(this.key(q), async () => {
      const c = configFromQuery(this.o.config, q);
      let p = this.profile(q);
      // As generateView does: label frames first, so that the filters can match them.
      if (c.tagRoot !== '' || c.tagLeaf !== '') p = (await import('../driver/label-frames.js')).withLabelFrames([p], c, {})[0]!;
      return prepareReport(p, c, this.ctx([]));
    });
  }

  meta(): Meta {
    const p = this.o.profile;
    const c = this.o.config;
    return {
      title: this.o.title,
      sampleTypes: p.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
      defaultSampleIndex: sampleIndexByName(p, this.o.config.sampleIndex),
      granularity: this.o.config.granularity,
      hasDiff: this.o.diff !== undefined,
      normalize: !!this.o.diff?.normalize,
      hasGraph: true,
      comments: p.comments,
      refine: { focus: c.focus, ignore: c.ignore, hide: c.hide, show: c.show, tagroot: c.tagRoot, tagleaf: c.tagLeaf },
    };
  }

  /** top is the top view's rows and header. */
  async top(q: URLSearchParams): Promise<TopView & { warnings: string[] }> {
    const warnings: string[] = [];
    const r = await generateView(this.profile(q), 'top', configFromQuery(this.o.config, q), this.ctx(warnings));
    return { ...(r.data as TopView), warnings };
  }

  /** peek is the callers and callees of the function `fn`. */
  async peek(q: URLSearchParams): Promise<TreeView> {
    const r = await generateView(this.profile(q), 'peek', configFromQuery(this.o.config, q), this.ctx([]), functionParam(q));
    return r.data as TreeView;
  }

  /** source is the annotated source of the function `fn`, from files the profile names. */
  async source(q: URLSearchParams): Promise<{ total: string; entries: SourceEntry[] }> {
    const r = await generateView(this.profile(q), 'list', configFromQuery(this.o.config, q), this.ctx([]), functionParam(q));
    const v = r.data as ListView;
    const f = v.format;
    const entries = v.entries.map((e): SourceEntry => {
      if ('noSource' in e) return { name: e.name, error: 'no source information', lines: [] };
      return {
        name: e.name,
        file: e.file,
        flatText: f(e.flat),
        cumText: f(e.cum),
        ...(e.error && { error: e.error }),
        lines: e.lines.map((l) => ({ ...l, flatText: l.flat === 0 ? '.' : f(l.flat), cumText: l.cum === 0 ? '.' : f(l.cum) })),
      };
    });
    return { total: f(v.total), entries };
  }

  /** graph is the call graph as Graphviz text, with the name behind each SVG node id (`node<id>`). */
  async graph(q: URLSearchParams): Promise<{ dot: string; nodes: Record<string, string>; hottest?: string }> {
    const r = await generateView(this.profile(q), 'dot', configFromQuery(this.o.config, q), this.ctx([]));
    if (r.view !== 'dot') throw new Error('dot view expected');
    const v: DotView = r.data;
    // The page opens centred on the biggest box (largest flat, then cum): where the time went.
    let hot: DotView['nodes'][number] | undefined;
    for (const n of v.nodes) if (!hot || Math.abs(n.flat) > Math.abs(hot.flat) || (n.flat === hot.flat && Math.abs(n.cum) > Math.abs(hot.cum))) hot = n;
    return { dot: r.text, nodes: Object.fromEntries(v.nodes.map((n) => [`node${n.id}`, n.name])), ...(hot && { hottest: `node${hot.id}` }) };
  }

  /** flame is the speedscope file of the chosen sample type and filters. */
  flame(q: URLSearchParams): Promise<string> {
    return this.flames.get(this.key(q), async () => {
      const rpt = await this.report(q);
      const { flameTree, speedscopeJson } = await import('./flame.js');
      return speedscopeJson(flameTree(rpt), rpt, this.o.title);
    });
  }

  /**
   * diff is the call tree of the sources with the base's value of every frame beside it. With
   * normalize, the sources are scaled to the base's totals first, as Top's profile is (pprof's
   * -normalize scales the whole profile, before any filter).
   */
  async diff(q: URLSearchParams): Promise<unknown> {
    const d = this.o.diff;
    if (!d) return undefined;
    // Kept like the flame graphs: going back to the diff tab must not build two reports again.
    return this.diffs.get(this.key(q), async () => {
      const cfg = configFromQuery(this.o.config, q);
      const normalized = this.normalized(q);
      const current = normalized ? (this.normalizedCurrent ??= normalizeTo(d.current, d.base)) : d.current;
      // The label frames on both sides, as `proflens diff` and the Compare tab add them.
      const { withLabelFrames } = await import('../driver/label-frames.js');
      const [withCur, withBase] = withLabelFrames([current, d.base], cfg, {});
      const [cur, base] = await Promise.all([prepareReport(withCur!, cfg), prepareReport(withBase!, cfg)]);
      const { diffTreeJson } = await import('./diff-flame.js');
      return { ...diffTreeJson(cur, base), normalized };
    });
  }

  /**
   * functions is the function picker's type-ahead: the names of the report's nodes (what Top
   * shows, what source and peek accept) containing `q`, case-insensitive, hottest (cum) first, at
   * most `limit` (50; up to 500).
   */
  async functions(q: URLSearchParams): Promise<{ names: string[]; more: boolean }> {
    const all = await this.names.get(this.key(q), async () =>
      [...nodeValues(await this.report(q))].sort((a, b) => Math.abs(b[1].cum) - Math.abs(a[1].cum) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    );
    const needle = (q.get('q') ?? '').toLowerCase();
    const limit = Math.min(500, Math.max(1, Number(q.get('limit')) || 50));
    const names: string[] = [];
    for (const [name] of all) {
      if (needle !== '' && !name.toLowerCase().includes(needle)) continue;
      if (names.length === limit) return { names, more: true };
      names.push(name);
    }
    return { names, more: false };
  }

  /**
   * compare is `proflens diff BASE NEW`'s view of the base and the sources as loaded, with the
   * page's filters and sample type: the same rows and numbers the command prints.
   */
  async compare(q: URLSearchParams): Promise<CompareView | undefined> {
    const d = this.o.diff;
    if (!d) return undefined;
    return this.compares.get(this.key(q), async () => {
      const [{ diffProfiles }, { signedPercent }] = await Promise.all([import('../driver/compare.js'), import('../report/diff.js')]);
      const v = (await diffProfiles(d.base, d.current, configFromQuery(this.o.config, q), this.ctx([]))).data;
      return { ...v, rows: v.rows.map((r) => ({ ...r, deltaPercentText: r.deltaPercent === null ? 'new' : signedPercent(r.delta, r.base) })) };
    });
  }

  /** download is the filtered profile, gzipped profile.proto. */
  async download(q: URLSearchParams): Promise<Uint8Array> {
    const rpt = await this.report(q);
    const { encodeProfile } = await import('../profile/encode.js');
    return encodeProfile(rpt.profile);
  }
}
