// Printing expvar values for people: bytes and durations scaled as pprof scales them (11.77MB,
// 1.23ms), timestamps as UTC times, fractions as percentages, the rest as JSON would.

import { label } from '../units/measurement.js';
import type { VarKind } from './paths.js';

/** formatValue prints one value of a kind; values of an unexpected type print as JSON. */
export function formatValue(v: unknown, kind: VarKind): string {
  if (typeof v === 'number' && Number.isFinite(v)) {
    switch (kind) {
      case 'bytes':
        return label(v, 'bytes');
      case 'duration':
        return label(v, 'nanoseconds');
      case 'timestamp':
        return v === 0 ? 'never' : new Date(v / 1e6).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
      case 'fraction':
        return `${formatNumber(v * 100)}%`;
      default:
        return formatNumber(v);
    }
  }
  if (typeof v === 'string') return v;
  if (v === undefined) return 'n/a';
  return JSON.stringify(v);
}

/** formatNumber prints integers whole and other numbers with at most 4 significant decimals. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return String(Number(x.toFixed(digits)));
}
