// The `raw` view (pprof's -raw): the profile itself as text, as Go's profile.String prints it —
// header, samples with their location ids and labels, locations with their lines, mappings.

import type { Profile } from '../profile/model.js';
import { formatGoTime } from './profile-time.js';

/** renderRaw prints a profile as pprof's Profile.String does. */
export function renderRaw(p: Profile, formatTime: (nanos: number | bigint) => string = formatGoTime): string {
  const s = p.strings;
  const out: string[] = p.comments.map((c) => `Comment: ${c}`);
  // pprof gives a profile without a period type an empty one on load, and prints it.
  out.push(`PeriodType: ${p.periodType?.type ?? ''} ${p.periodType?.unit ?? ''}`);
  out.push(`Period: ${p.period}`);
  if (p.timeNanos !== 0) out.push(`Time: ${formatTime(p.timeNanosExact ?? p.timeNanos)}`);
  // Go prints the duration with %.4v: its String, cut to four characters.
  if (p.durationNanos !== 0) out.push(`Duration: ${[...goDuration(p.durationNanos)].slice(0, 4).join('')}`);
  out.push('Samples:');
  out.push(p.sampleTypes.map((t) => `${t.type}/${t.unit}${t.type === p.defaultSampleType ? '[dflt]' : ''}`).join(' '));
  const { stackStart, locations, values, labels } = p.samples;
  const nTypes = p.sampleTypes.length;
  const locId = p.locations.id;
  for (let i = 0; i < p.samples.length; i++) {
    let line = '';
    for (let t = 0; t < nTypes; t++) line += ' ' + String(p.samples.exactValues?.[i * nTypes + t] ?? values[i * nTypes + t]!).padStart(10);
    line += ': ';
    for (let k = stackStart[i]!; k < stackStart[i + 1]!; k++) line += `${locId[locations[k]!]} `;
    out.push(line);
    if (!labels) continue;
    const str = new Map<string, string[]>();
    const num = new Map<string, { values: number[]; units: string[] }>();
    for (let k = labels.start[i]!; k < labels.start[i + 1]!; k++) {
      const key = s[labels.key[k]!]!;
      if (labels.str[k] !== 0) {
        (str.get(key) ?? str.set(key, []).get(key)!).push(s[labels.str[k]!]!);
      } else if (labels.num[k] !== 0 || labels.numUnit[k] !== 0) {
        const e = num.get(key) ?? num.set(key, { values: [], units: [] }).get(key)!;
        // Like Go's decoder: units are kept only for keys that have one, padded with "".
        if (labels.numUnit[k] !== 0) {
          while (e.units.length < e.values.length) e.units.push('');
          e.units.push(s[labels.numUnit[k]!]!);
        }
        e.values.push(labels.num[k]!);
      }
    }
    const pad = '                ';
    if (str.size > 0) out.push(pad + [...str].map(([k, v]) => `${k}:[${v.join(' ')}]`).sort().join(' '));
    if (num.size > 0) {
      const parts = [...num].map(([k, { values: v, units: u }]) => {
        while (u.length > 0 && u.length < v.length) u.push('');
        return u.length === v.length ? `${k}:[${v.map((x, j) => `${x} ${u[j]}`).join(' ')}]` : `${k}:[${v.join(' ')}]`;
      });
      out.push(pad + parts.sort().join(' '));
    }
  }
  out.push('Locations');
  const loc = p.locations;
  // pprof gives a profile without mappings a fake one (id 1) on load, for symbolization.
  const fake = p.mappings.length === 0;
  const fn = p.functions;
  for (let l = 0; l < loc.length; l++) {
    let head = `${String(loc.id[l]).padStart(6)}: 0x${loc.address[l]!.toString(16)} `;
    if (fake) head += 'M=1 ';
    else if (loc.mapping[l]! >= 0) head += `M=${p.mappings[loc.mapping[l]!]!.id} `;
    if (loc.isFolded[l]) head += '[F] ';
    const lines: string[] = [];
    if (loc.lineStart[l] === loc.lineStart[l + 1]) lines.push(head);
    for (let k = loc.lineStart[l]!; k < loc.lineStart[l + 1]!; k++) {
      const f = loc.lineFunction[k]!;
      let text = '??';
      if (f >= 0) {
        const name = s[fn.name[f]!]!;
        const system = s[fn.systemName[f]!]!;
        text = `${name} ${s[fn.filename[f]!]}:${loc.lineNumber[k]} s=${fn.startLine[f]}${name !== system ? `(${system})` : ''}`;
      }
      lines.push(head + text);
      head = '             ';
    }
    out.push(lines.join('\n'));
  }
  out.push('Mappings');
  if (fake) out.push('1: 0x0/0x0/0x0   ');
  for (const m of p.mappings) {
    const bits = `${m.hasFunctions ? '[FN]' : ''}${m.hasFilenames ? '[FL]' : ''}${m.hasLineNumbers ? '[LN]' : ''}${m.hasInlineFrames ? '[IN]' : ''}`;
    out.push(`${m.id}: ${hex(m.memoryStart)}/${hex(m.memoryLimit)}/${hex(m.fileOffset)} ${m.file} ${m.buildId} ${bits}`);
  }
  return out.join('\n') + '\n';
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** goDuration prints nanoseconds as Go's time.Duration String does (`1h2m3.5s`, `1.5ms`). */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  const frac = (v: number, digits: number): string => {
    const whole = Math.floor(v / 10 ** digits);
    const f = String(v % 10 ** digits).padStart(digits, '0').replace(/0+$/, '');
    return f === '' ? String(whole) : `${whole}.${f}`;
  };
  let text: string;
  if (u < 1e3) text = `${u}ns`;
  else if (u < 1e6) text = `${frac(u, 3)}µs`;
  else if (u < 1e9) text = `${frac(u, 6)}ms`;
  else {
    const h = Math.floor(u / 3.6e12);
    u -= h * 3.6e12;
    const m = Math.floor(u / 6e10);
    u -= m * 6e10;
    text = `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${frac(u, 9)}s`;
  }
  return neg ? '-' + text : text;
}
