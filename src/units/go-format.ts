// Go's fmt verbs for floats, as pprof prints them.
//
// JavaScript's toFixed/toExponential round exact decimal ties upwards; Go's strconv rounds them
// to even ("%.2f" of 1.125 is "1.12" in Go, "1.13" in JavaScript). Both are otherwise exact, so we
// use the fast JavaScript path and redo only the values that can be exact ties.

/** Digits and decimal exponent of |x|, exactly, from V8's exact 100-digit toPrecision. */
function exactDigits(x: number): { digits: string; exp10: number } {
  const s = Math.abs(x).toPrecision(100);
  const m = /^(\d+)(?:\.(\d*))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) throw new Error(`unexpected number form ${s}`);
  const intPart = m[1]!;
  const frac = m[2] ?? '';
  const e = m[3] ? Number(m[3]) : 0;
  // Normalise to digits d1 d2 ... with value 0.d1d2... × 10^exp10.
  let digits = intPart + frac;
  let exp10 = intPart.length + e;
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return { digits: '0', exp10: 1 };
  digits = digits.slice(lead);
  exp10 -= lead;
  return { digits: digits.replace(/0+$/, '') || '0', exp10 };
}

/** Rounds a digit string to n digits, half to even; returns the digits and whether it carried. */
function roundDigits(digits: string, n: number): { digits: string; carry: boolean } {
  if (n < 0) return { digits: '', carry: false };
  if (digits.length <= n) return { digits: digits.padEnd(n, '0'), carry: false };
  const head = digits.slice(0, n);
  const next = digits.charCodeAt(n) - 48;
  const rest = digits.slice(n + 1);
  let up = next > 5 || (next === 5 && /[1-9]/.test(rest));
  if (next === 5 && !/[1-9]/.test(rest)) {
    const last = n > 0 ? head.charCodeAt(n - 1) - 48 : 0;
    up = last % 2 === 1;
  }
  if (!up) return { digits: head, carry: false };
  const arr = head.split('').map(Number);
  let i = arr.length - 1;
  while (i >= 0) {
    if (arr[i]! < 9) {
      arr[i]! += 1;
      break;
    }
    arr[i] = 0;
    i--;
  }
  if (i < 0) return { digits: '1' + arr.join(''), carry: true };
  return { digits: arr.join(''), carry: false };
}

/** True when x can be an exact decimal tie at `decimals` places (x·2^(decimals+1) is whole). */
function mayTie(x: number, decimals: number): boolean {
  if (decimals < 0) return Number.isInteger(x);
  return Number.isInteger(x * 2 ** (decimals + 1));
}

/** formatFixed is Go's `%.<decimals>f`. */
export function formatFixed(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  if (!mayTie(x, decimals) || Math.abs(x) >= 1e21) return fixedSign(x, x.toFixed(decimals));
  const { digits, exp10 } = exactDigits(x);
  if (digits === '0') return fixedSign(x, (0).toFixed(decimals));
  // Keep exp10 integer digits plus `decimals` fraction digits.
  const keep = exp10 + decimals;
  let intDigits: string;
  let fracDigits: string;
  if (keep <= 0) {
    // |x| < 10^-decimals: it rounds to 0 or to one unit in the last place; a tie goes to 0 (even).
    const up = keep === 0 && (digits.charCodeAt(0) > 53 || (digits[0] === '5' && digits.length > 1));
    return fixedSign(x, placeDecimal(up ? '1' : '0', decimals));
  }
  const rounded = roundDigits(digits, keep);
  let all = rounded.digits;
  const intLen = exp10 + (rounded.carry ? 1 : 0);
  if (intLen <= 0) {
    intDigits = '0';
    fracDigits = '0'.repeat(-intLen) + all;
  } else {
    intDigits = all.slice(0, intLen);
    fracDigits = all.slice(intLen);
  }
  fracDigits = fracDigits.padEnd(decimals, '0').slice(0, decimals);
  all = decimals > 0 ? `${intDigits}.${fracDigits}` : intDigits;
  return fixedSign(x, all);
}

function placeDecimal(units: string, decimals: number): string {
  // `units` counts multiples of 10^-decimals.
  const padded = units.padStart(decimals + 1, '0');
  if (decimals === 0) return padded;
  return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}

function fixedSign(x: number, s: string): string {
  const body = s.startsWith('-') ? s.slice(1) : s;
  return x < 0 || Object.is(x, -0) ? `-${body}` : body;
}

/** formatG is Go's `%.<precision>g`: shortest of %e/%f by exponent, trailing zeros removed. */
export function formatG(x: number, precision: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  if (precision === 0) precision = 1;
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  if (ax === 0) return neg ? '-0' : '0';
  let digits: string;
  let exp: number; // decimal exponent of the first digit (d.ddd × 10^exp)
  const first = Math.floor(Math.log10(ax));
  if (mayTie(ax, precision - 1 - first) || mayTie(ax, precision - first)) {
    const ex = exactDigits(ax);
    const r = roundDigits(ex.digits, precision);
    digits = r.digits;
    exp = ex.exp10 - 1 + (r.carry ? 1 : 0);
    if (r.carry) digits = digits.slice(0, precision);
  } else {
    const s = ax.toExponential(precision - 1);
    const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
    digits = m[1]! + (m[2] ?? '');
    exp = Number(m[3]);
  }
  digits = digits.replace(/0+$/, '') || '0';
  let out: string;
  if (exp < -4 || exp >= precision) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    out = `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
  } else if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    out = frac ? `${intPart}.${frac}` : intPart;
  } else {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${out}` : out;
}

/** padLeft is Go's `%<width>s`: pads with spaces to `width` characters (runes). */
export function padLeft(s: string, width: number): string {
  const n = runeCount(s);
  return n >= width ? s : ' '.repeat(width - n) + s;
}

/** runeCount counts Unicode code points, as Go's width verbs do. */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
