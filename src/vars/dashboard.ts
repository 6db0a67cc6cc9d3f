// The `proflens vars --watch` screen, like expvarmon: for each service (side by side when the
// terminal is wide enough, else one under the other) the chosen variables with their current
// value and a sparkline of their history. A service that stops answering keeps its history and
// shows the error until it answers again. Rendering is a pure function of the state and the
// terminal's size, so it can be tested without a terminal and redrawn on every resize.

import { formatValue } from './format.js';
import { type VarSpec, currentNumber, lookup } from './paths.js';

const sparkChars = '▁▂▃▄▅▆▇█';
/** Samples kept per variable: enough for a very wide terminal. */
const historyLength = 1000;
/** Columns narrower than this are stacked instead of placed side by side. */
const minColumnWidth = 34;

/** TargetState is what the dashboard knows about one service. */
interface TargetState {
  readonly display: string;
  readonly history: number[][];
  doc: Record<string, unknown> | undefined;
  error: string | undefined;
  errorSince: number | undefined;
  updatedAt: number | undefined;
}

/** Dashboard holds the history of every chosen variable of every service. */
export class Dashboard {
  readonly #targets: TargetState[];

  constructor(displays: readonly string[], readonly specs: readonly VarSpec[]) {
    this.#targets = displays.map((display) => ({ display, history: specs.map(() => []), doc: undefined, error: undefined, errorSince: undefined, updatedAt: undefined }));
  }

  /** update records one answer (a document) or one failure (its one-line message) of service i. */
  update(i: number, result: Record<string, unknown> | string, now: number): void {
    const t = this.#targets[i]!;
    if (typeof result === 'string') {
      if (t.error === undefined) t.errorSince = now;
      t.error = result;
      return;
    }
    t.doc = result;
    t.error = undefined;
    t.errorSince = undefined;
    t.updatedAt = now;
    this.specs.forEach((s, k) => {
      const v = currentNumber(result, s);
      if (v === undefined) return;
      const h = t.history[k]!;
      h.push(v);
      if (h.length > historyLength) h.splice(0, h.length - historyLength);
    });
  }

  /** render lays the screen out for a terminal of width × height; it returns at most height lines. */
  render(width: number, height: number, header: string): string[] {
    width = Math.max(width, 10);
    const lines = [fit(header, width), ''];
    const n = this.#targets.length;
    const sideBySide = n > 1 && Math.floor((width - 3 * (n - 1)) / n) >= minColumnWidth;
    if (sideBySide) {
      const colWidth = Math.floor((width - 3 * (n - 1)) / n);
      const blocks = this.#targets.map((t) => this.#block(t, colWidth));
      const rows = Math.max(...blocks.map((b) => b.length));
      for (let r = 0; r < rows; r++) lines.push(blocks.map((b) => (b[r] ?? '').padEnd(colWidth)).join(' │ ').trimEnd());
    } else {
      this.#targets.forEach((t, i) => {
        if (i > 0) lines.push('');
        lines.push(...this.#block(t, width));
      });
    }
    return lines.slice(0, Math.max(height, 1));
  }

  /** #block is one service's part of the screen, each line at most `width` wide. */
  #block(t: TargetState, width: number): string[] {
    const out = [fit(t.display, width)];
    if (t.error !== undefined) out.push(fit(`✗ ${t.error} (since ${clock(t.errorSince!)})`, width));
    else if (t.updatedAt !== undefined) out.push(fit(`✓ updated ${clock(t.updatedAt)}`, width));
    else out.push(fit('… waiting for the first answer', width));
    const names = shortNames(this.specs);
    const nameWidth = Math.min(Math.max(...names.map((s) => s.length)), Math.floor(width / 3));
    const valueWidth = 10;
    const sparkWidth = width - nameWidth - valueWidth - 4;
    this.specs.forEach((s, k) => {
      const raw = t.doc === undefined ? undefined : lookup(t.doc, s.path);
      const current = Array.isArray(raw) ? currentNumber(t.doc, s) : raw;
      const value = t.doc === undefined ? '' : formatValue(current, s.kind);
      let line = `${fit(names[k]!, nameWidth).padEnd(nameWidth)}  ${value.padStart(valueWidth)}`;
      if (sparkWidth >= 4) line += `  ${sparkline(t.history[k]!, sparkWidth)}`;
      out.push(fit(line, width));
    });
    return out;
  }
}

/** sparkline draws the last `width` values scaled between their minimum and maximum. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-width);
  if (shown.length === 0) return '';
  const min = Math.min(...shown);
  const max = Math.max(...shown);
  const top = sparkChars.length - 1;
  return shown.map((v) => sparkChars[max === min ? top >> 1 : Math.round(((v - min) / (max - min)) * top)]).join('');
}

/** shortNames names variables by their last path element, as expvarmon does, unless two clash. */
function shortNames(specs: readonly VarSpec[]): string[] {
  const short = specs.map((s) => s.path[s.path.length - 1]!);
  return specs.map((s, i) => (short.filter((x) => x === short[i]).length > 1 ? s.name : short[i]!));
}

function fit(s: string, width: number): string {
  return [...s].length <= width ? s : [...s].slice(0, Math.max(width - 1, 0)).join('') + '…';
}

function clock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}
