// Reading a `top` report back: for tests that compare proflens's rows with go tool pprof's.

/** cumByName maps each function a top report names to its cum value (an `(inline)` mark dropped). */
export function cumByName(top: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const m of top.matchAll(/^ +\S+ +\S+ +\S+ +(\d+) +\S+ +(.+?)(?: \(inline\))?$/gm)) rows.set(m[2]!, Number(m[1]));
  return rows;
}
