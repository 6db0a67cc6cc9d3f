// Splitting text into lines as it arrives, chunk by chunk, without ever holding it whole (issue
// 19.4): a goroutine dump of 100,000 goroutines is 150 MB, and a file handed to proflens may be
// 1 GB of anything. Each line is decoded from its own bytes (so a character split across two
// chunks is whole again), and a line longer than maxLine keeps only its start: memory stays
// bounded by the chunk size and maxLine, whatever the input.

import { Buffer } from 'node:buffer';

/** maxLine is the longest line kept whole: far above any line a Go traceback prints. */
export const maxLine = 1 << 20;

/**
 * utf8 decodes bytes from..to. Buffer's own utf8Slice, where there is one, skips the argument
 * checks of toString, a third of the decoding time of a dump's two million short lines.
 */
const utf8: (b: Buffer, from: number, to: number) => string =
  typeof (Buffer.prototype as { utf8Slice?: unknown }).utf8Slice === 'function'
    ? (b, from, to) => (b as Buffer & { utf8Slice(from: number, to: number): string }).utf8Slice(from, to)
    : (b, from, to) => b.toString('utf8', from, to);

/** LineSink receives each line (without `\n`; a `\r` before it is kept) and whether it was cut; false stops the splitter. */
export type LineSink = (line: string, cut: boolean) => boolean;

/** LineSplitter turns chunks of bytes into lines, as String.split('\n') would, the last one included. */
export class LineSplitter {
  /** The bytes of a line begun in an earlier chunk, up to maxLine of them. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private cut = false;
  private stopped = false;

  constructor(private readonly sink: LineSink) {}

  /** push splits one chunk; it returns false once the sink has asked to stop. */
  push(chunk: Uint8Array): boolean {
    if (this.stopped) return false;
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    for (;;) {
      const nl = b.indexOf(10, start);
      if (nl < 0) break;
      if (!this.emit(b, start, nl)) return false;
      start = nl + 1;
    }
    this.keep(b, start, b.length);
    return true;
  }

  /** end emits the last line (empty when the text ended with a newline). */
  end(): void {
    if (this.stopped) return;
    this.emit(Buffer.alloc(0), 0, 0);
  }

  private keep(b: Buffer, from: number, to: number): void {
    const room = maxLine - this.partialBytes;
    if (to - from > room) this.cut = true;
    const take = Math.min(to - from, room);
    if (take <= 0) return;
    // A copy: the caller may reuse its chunk's memory for the next read.
    this.partial.push(Buffer.from(b.subarray(from, from + take)));
    this.partialBytes += take;
  }

  private emit(b: Buffer, from: number, to: number): boolean {
    let line: string;
    let cut = this.cut;
    if (this.partialBytes === 0 && !cut) {
      if (to - from > maxLine) {
        cut = true;
        to = from + maxLine;
      }
      line = utf8(b, from, to);
    } else {
      this.keep(b, from, to);
      cut = this.cut;
      const whole = Buffer.concat(this.partial, this.partialBytes);
      line = utf8(whole, 0, whole.length);
      this.partial = [];
      this.partialBytes = 0;
      this.cut = false;
    }
    if (this.sink(line, cut)) return true;
    this.stopped = true;
    return false;
  }
}
