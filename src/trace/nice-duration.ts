// Durations as go tool trace's pages print them (Go 1.19 cmd/trace, niceDuration): whole numbers,
// truncated, in the unit where the value has at least two digits: ns below 10 µs, µs below 10 ms,
// ms below 10 s, else s (with a trailing space, as Go prints it).

/** niceDuration formats nanoseconds as Go 1.19's trace pages do ("2576ns", "214µs", "1001ms"). */
export function niceDuration(ns: number): string {
  if (ns < 10_000) return `${Math.trunc(ns)}ns`;
  if (ns < 10_000_000) return `${Math.trunc(ns / 1e3)}µs`;
  if (ns < 10_000_000_000) return `${Math.trunc(ns / 1e6)}ms`;
  return `${Math.trunc(ns / 1e9)}s `;
}
