// The `Time:` header line: current pprof's layout (`2006-01-02 15:04:05 MST`) in the local zone.

import { readlinkSync } from 'node:fs';

const utcNames = new Set(['UTC', 'Etc/UTC', 'UCT', 'Etc/UCT', 'Universal', 'Etc/Universal', 'Zulu', 'Etc/Zulu', 'UTC0']);

let localZone: string | undefined;

/**
 * localZoneName names the local time zone (TZ, else /etc/localtime). Knowing a UTC machine by name
 * spares loading ICU's time zone data (about 20 ms) for every report.
 */
function localZoneName(): string {
  if (localZone === undefined) {
    localZone = process.env.TZ ?? '';
    if (localZone === '') {
      try {
        localZone = readlinkSync('/etc/localtime').replace(/^.*zoneinfo\//, '');
      } catch {
        localZone = '';
      }
    }
  }
  return localZone;
}

/**
 * formatProfileTime prints a time as current pprof does, in the local time zone. Zones without an
 * abbreviation print as an offset (`+0530`), as Go does.
 */
export function formatProfileTime(nanos: number): string {
  const d = new Date(Math.floor(nanos / 1e6));
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${date} ${time} ${zoneAbbreviation(d)}`;
}

function zoneAbbreviation(d: Date): string {
  const off = -d.getTimezoneOffset();
  if (off === 0 && utcNames.has(localZoneName())) return 'UTC';
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName');
  const name = part?.value ?? '';
  if (/^[A-Z]{2,5}$/.test(name)) return name;
  if (off === 0) return 'UTC';
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  const mm = a % 60 === 0 ? '' : String(a % 60).padStart(2, '0');
  return `${sign}${hh}${mm}`;
}

/**
 * formatGoTime prints a time as Go's time.Time String does (`2006-01-02 15:04:05.999999999 -0700 MST`,
 * fraction without trailing zeros), in the local zone. Nanoseconds beyond 2^53 are not exact.
 */
export function formatGoTime(nanos: number | bigint): string {
  const exact = BigInt(nanos);
  const seconds = exact / 1_000_000_000n - (exact % 1_000_000_000n < 0n ? 1n : 0n);
  const d = new Date(Number(seconds) * 1000);
  const pad = (n: number | bigint, w = 2): string => String(n).padStart(w, '0');
  const frac = pad(exact - seconds * 1_000_000_000n, 9).replace(/0+$/, '');
  const off = -d.getTimezoneOffset();
  const a = Math.abs(off);
  const offset = `${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac === '' ? '' : '.' + frac} ${offset} ${zoneAbbreviation(d)}`
  );
}
