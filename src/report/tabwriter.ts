// Go's text/tabwriter, as pprof's tags view uses it (minwidth 0, padding 1, AlignRight): cells end
// with a tab; a column is as wide as its widest cell plus padding, over each run of consecutive
// lines that have that column; the text after a line's last tab is not a cell and is not aligned.

import { runeCount } from '../units/go-format.js';

/** alignRight lays out tab-separated lines as Go's tabwriter with AlignRight and padding. */
export function alignRight(text: string, padding = 1): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = new Array<string>(lines.length);
  format(lines, 0, lines.length, widths, padding, out);
  return out.join('\n');
}

function format(lines: string[][], line0: number, line1: number, widths: number[], padding: number, out: string[]): void {
  const column = widths.length;
  let pos = line0;
  for (let i = line0; i < line1; i++) {
    if (column >= lines[i]!.length - 1) continue;
    // Line i starts a block of lines that all have a cell in this column.
    for (let k = pos; k < i; k++) out[k] = render(lines[k]!, widths);
    let width = 0;
    let end = i;
    for (; end < line1 && column < lines[end]!.length - 1; end++) {
      width = Math.max(width, runeCount(lines[end]![column]!) + padding);
    }
    format(lines, i, end, [...widths, width], padding, out);
    pos = end;
    i = end - 1;
  }
  for (let k = pos; k < line1; k++) out[k] = render(lines[k]!, widths);
}

function render(cells: string[], widths: number[]): string {
  let s = '';
  for (let c = 0; c < cells.length; c++) {
    const cell = cells[c]!;
    if (c < cells.length - 1 && c < widths.length) s += ' '.repeat(Math.max(0, widths[c]! - runeCount(cell))) + cell;
    else s += cell;
  }
  return s;
}
