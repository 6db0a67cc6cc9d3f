// The page's state as URL parameters, and the report config they stand for. The page keeps the
// same parameters in its own address, so a view can be reloaded or shared, and sends them with
// every request; unknown parameters are ignored, bad values are usage errors.

import type { Config } from '../driver/config.js';
import { type Granularity, granularities } from '../graph/node-info.js';
import { UsageError } from '../profile/errors.js';

/** The parameters that shape a report; every endpoint takes them. */
export const reportParams = ['si', 'g', 'focus', 'ignore', 'hide', 'show', 'normalize', 'tagroot', 'tagleaf'] as const;

/** configFromQuery overrides the command line's config with what the page asks for. */
export function configFromQuery(base: Config, q: URLSearchParams): Config {
  const c = { ...base };
  const si = q.get('si');
  if (si !== null && si !== '') c.sampleIndex = si;
  const g = q.get('g');
  if (g !== null && g !== '') {
    if (!granularities.includes(g as Granularity)) throw new UsageError(`granularity ${JSON.stringify(g)} is not one of ${granularities.join(', ')}`);
    c.granularity = g as Granularity;
  }
  for (const k of ['focus', 'ignore', 'hide', 'show'] as const) {
    const v = q.get(k);
    if (v !== null) c[k] = v;
  }
  // Label keys whose values become frames (pprof's -tagroot, -tagleaf), comma-separated as on the command line.
  const tagRoot = q.get('tagroot');
  if (tagRoot !== null) c.tagRoot = tagRoot;
  const tagLeaf = q.get('tagleaf');
  if (tagLeaf !== null) c.tagLeaf = tagLeaf;
  return c;
}

/**
 * normalizeParam reads the page's normalize switch (pprof's -normalize): 1 or 0, or undefined when
 * the page leaves it to the command line.
 */
export function normalizeParam(q: URLSearchParams): boolean | undefined {
  const v = q.get('normalize');
  if (v === null || v === '') return undefined;
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new UsageError(`normalize ${JSON.stringify(v)} is not 1 or 0`);
}

/**
 * functionParam returns the function a source or peek request names, as an exact-match regex;
 * or the regex itself (`re`, pprof's -weblist=RE: every function it matches).
 */
export function functionParam(q: URLSearchParams): string {
  const fn = q.get('fn');
  const re = q.get('re');
  if ((fn === null || fn === '') && re !== null && re !== '') return re;
  if (fn === null || fn === '') throw new UsageError('no function given (fn=…)');
  return `^${fn.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;
}
