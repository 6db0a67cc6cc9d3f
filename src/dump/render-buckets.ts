// The text of `proflens goroutines`: buckets largest first, each with its count, state, wait range,
// creators and stack; the user's own frames (not the runtime's or the standard library's) marked,
// in colour on a terminal. Untrusted strings are escaped by the caller's `escape` on a terminal.

import type { Bucket, Growth, SeriesGrowth } from './buckets.js';
import type { Goroutine } from './goroutine-text.js';

/** RenderOptions say how the text will be shown. */
export interface RenderOptions {
  /** ANSI colour (a terminal without NO_COLOR). */
  readonly color: boolean;
  /** Applied to every string from the dump (escapes control characters on a terminal). */
  readonly escape: (s: string) => string;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * isOwnFunction tells the user's code from Go's: a function of package main, or of an import path
 * whose first element has a dot (github.com/…, example.org/…), as the standard library's never do.
 */
export function isOwnFunction(func: string): boolean {
  const slash = func.lastIndexOf('/');
  const pkgEnd = func.indexOf('.', slash + 1);
  const path = pkgEnd < 0 ? func : func.slice(0, pkgEnd);
  if (path === 'main') return true;
  const firstElement = path.split('/', 1)[0]!;
  return path.includes('/') && firstElement.includes('.');
}

/** shortPath keeps a file's last two path elements: enough to find it, short enough to read. */
export function shortPath(file: string): string {
  const parts = file.split('/');
  // `/src/main.go` splits into three, the first empty: nothing would be left out.
  return parts.filter((p) => p !== '').length <= 2 ? file : `…/${parts.slice(-2).join('/')}`;
}

/** waitRange prints a bucket's wait: nothing under a minute, `12 min`, or `5–12 min`. */
function waitRange(b: Bucket): string {
  if (b.waitMax === 0) return '';
  return b.waitMin === b.waitMax ? `, ${b.waitMax} min` : `, ${b.waitMin}–${b.waitMax} min`;
}

function stateColor(state: string): string {
  if (state === 'running' || state === 'runnable') return '32';
  if (state.startsWith('chan') || state === 'select' || state.startsWith('sync') || state.startsWith('semacquire')) return '33';
  return '36';
}

function frameLines(frames: Bucket['frames'], elided: boolean, o: RenderOptions, deeper = 0): string[] {
  const lines = frames.map((f) => {
    const own = isOwnFunction(f.func);
    // Arguments are shown only when they were compared (--exact-args): otherwise they differ within the bucket.
    const call = f.args === undefined ? f.func : `${f.func}(${f.args})`;
    const text = `${o.escape(call)}  ${o.escape(shortPath(f.file))}:${f.line}`;
    return own ? `  ${o.color ? paint(true, '1', text) : `* ${text}`}` : `  ${o.color ? '' : '  '}${paint(o.color, '2', text)}`;
  });
  if (elided) lines.push(`  ${o.color ? '' : '  '}...additional frames elided...`);
  if (deeper > 0) lines.push(`  ${o.color ? '' : '  '}...deeper frames not compared (${deeper} of these goroutines have some)...`);
  return lines;
}

function bucketHead(b: Bucket, o: RenderOptions): string {
  const noun = b.count === 1 ? 'goroutine' : 'goroutines';
  const state = paint(o.color, stateColor(b.state), `[${o.escape(b.state)}${waitRange(b)}${b.locked > 0 ? `, ${b.locked} locked to thread` : ''}]`);
  const created = b.createdBy.length === 0 ? '' : ` created by ${b.createdBy.map(o.escape).join(', ')}`;
  return `${b.count} ${noun} ${state}${created}`;
}

/** renderBuckets prints a dump's buckets; a crash's message and panicking goroutine come first. */
export function renderBuckets(buckets: readonly Bucket[], o: RenderOptions, crash?: { message: string; goroutine?: Goroutine }): string {
  const out: string[] = [];
  if (crash) {
    out.push(paint(o.color, '1;31', o.escape(crash.message)));
    if (crash.goroutine) {
      const g = crash.goroutine;
      out.push(`goroutine ${g.id} [${o.escape(g.state)}] (panicking)`, ...frameLines(g.frames.map(({ func, file, line }) => ({ func, file, line })), g.elided, o), '');
    }
  }
  const total = buckets.reduce((n, b) => n + b.count, 0);
  out.push(`${total} ${total === 1 ? 'goroutine' : 'goroutines'} in ${buckets.length} ${buckets.length === 1 ? 'bucket' : 'buckets'}${o.color ? '' : ' (* marks your own code)'}`, '');
  for (const b of buckets) out.push(bucketHead(b, o), ...frameLines(b.frames, b.elided, o, b.deeper), '');
  return out.join('\n');
}

/** renderGrowth prints the buckets that grew since the base, and those that are new. */
export function renderGrowth(growth: readonly Growth[], o: RenderOptions): string {
  if (growth.length === 0) return 'no bucket grew\n';
  const out: string[] = [];
  for (const g of growth) {
    const delta = `+${g.bucket.count - g.before}`;
    const what = g.isNew ? `${paint(o.color, '1;31', delta)} (new)` : `${paint(o.color, '1;31', delta)} (${g.before} → ${g.bucket.count})`;
    out.push(`${what} ${bucketHead(g.bucket, o)}`, ...frameLines(g.bucket.frames, g.bucket.elided, o, g.bucket.deeper), '');
  }
  return out.join('\n');
}

/** renderSeries prints the buckets that grew at every step of a series: counts, growth, growth per hour. */
export function renderSeries(growth: readonly SeriesGrowth[], dumps: number, o: RenderOptions): string {
  if (growth.length === 0) return `no bucket grew at every step of the ${dumps} dumps\n`;
  const out = [`${growth.length} ${growth.length === 1 ? 'bucket grows' : 'buckets grow'} at every step of the ${dumps} dumps`, ''];
  for (const g of growth) {
    const perHour = g.perHour === null ? '' : `, +${Math.round(g.perHour)}/h`;
    out.push(`${paint(o.color, '1;31', `+${g.growth}`)} (${g.counts.join(' → ')}${perHour}) ${bucketHead(g.bucket, o)}`, ...frameLines(g.bucket.frames, g.bucket.elided, o, g.bucket.deeper), '');
  }
  return out.join('\n');
}
