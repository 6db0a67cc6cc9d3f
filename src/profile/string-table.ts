// Interning strings for a profile being built: each distinct string gets one index in the table,
// "" is index 0 as profile.proto requires.

/** StringTable interns strings for a profile being built. */
export class StringTable {
  readonly list: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);

  /** add returns the index of s, adding it to the table on first sight. */
  add(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
