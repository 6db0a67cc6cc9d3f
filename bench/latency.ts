// Latency figures shared by the agent benchmark's processes (the load generator, the probe, the
// service): a list of request times summarised as count, median, p99 and maximum.

/** Latency is a summary of request times, in milliseconds. */
export interface Latency {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** summarize sorts the times in place and summarises them; no times give zeros. */
export function summarize(ms: number[]): Latency {
  const xs = ms.sort((a, b) => a - b);
  const pct = (q: number): number => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
  return { n: xs.length, p50: pct(0.5), p99: pct(0.99), max: xs[xs.length - 1] ?? 0 };
}
