// Who may talk to the web UI. It serves a profile and every source file the profile names, so a
// request is answered only when
//   - its Host header names this server: the address it is bound to, the name it was given, or,
//     when bound to loopback, localhost and 127.0.0.1 (all with the port). A page elsewhere that
//     points its own DNS name at this address (DNS rebinding) sends its own name and is refused;
//   - and, when the server is reachable from other machines (bound beyond loopback), it carries
//     the server's random token: in the URL the server printed (`?token=…`), in the cookie the
//     server sets on that first visit (so the page's own requests carry it), or as a bearer token.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces, hostname } from 'node:os';
import { isLoopback, sameSecret } from '../agent/access.js';

/** AccessVerdict is the answer to one request: refused with a status and a reason, or allowed (maybe setting the cookie). */
export type AccessVerdict =
  | { readonly ok: true; readonly setCookie?: string }
  | { readonly ok: false; readonly status: 403 | 421; readonly reason: string };

/** WebAccess holds the rules of one bound server. */
export interface WebAccess {
  /** The token requests must carry; undefined on loopback, where none is needed. */
  readonly token: string | undefined;
  check(req: IncomingMessage, url: URL): AccessVerdict;
}

const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];

/** isWildcard tells whether an address means "every interface" (0.0.0.0, ::). */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '0:0:0:0:0:0:0:0';
}

/** hostForm writes an address or name as it appears in a Host header (IPv6 in brackets), lower case. */
function hostForm(h: string): string {
  const l = h.toLowerCase();
  return l.includes(':') && !l.startsWith('[') ? `[${l}]` : l;
}

/**
 * hostNames lists the names (without port) a client may use for a server bound to `bound` when
 * it was asked for `given`. A wildcard bind is reached through any interface, so every interface
 * address and the machine's name count as bound.
 */
function hostNames(bound: string, given: string): Set<string> {
  const names = new Set([hostForm(bound), hostForm(given)]);
  if (isWildcard(bound)) {
    const ipv4Only = bound === '0.0.0.0';
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (!ipv4Only || a.family === 'IPv4') names.add(hostForm(a.address));
    }
    names.add(hostForm(hostname()));
  }
  if (isLoopback(bound) || isWildcard(bound)) for (const n of loopbackNames) names.add(n);
  return names;
}

/** cookieName is per port: cookies ignore ports, and two servers on one host must not overwrite each other's. */
const cookieName = (port: number): string => `proflens_token_${port}`;

/** cookieValues returns every value the Cookie header gives `name`. */
function cookieValues(req: IncomingMessage, name: string): string[] {
  const out: string[] = [];
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

/**
 * webAccess makes the rules for a server bound to `bound` (the address it listens on) and `port`,
 * asked for as `given` (the host of --http). `token` replaces the random one (for tests).
 */
export function webAccess(bound: string, port: number, given: string, token?: string): WebAccess {
  const names = hostNames(bound, given);
  const hosts = new Set([...names].map((n) => `${n}:${port}`));
  // A browser leaves the default port out of the Host header.
  if (port === 80) for (const n of names) hosts.add(n);
  // Bound beyond loopback, other machines can connect: they must show the token.
  const secret = !isLoopback(bound) ? (token ?? randomBytes(24).toString('base64url')) : undefined;
  const cookie = cookieName(port);
  return {
    token: secret,
    check(req, url) {
      if (!hosts.has(String(req.headers.host ?? '').toLowerCase())) return { ok: false, status: 421, reason: 'unknown host' };
      if (secret === undefined) return { ok: true };
      if (cookieValues(req, cookie).some((c) => sameSecret(c, secret))) return { ok: true };
      const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
      if (bearer !== undefined && sameSecret(bearer, secret)) return { ok: true };
      const given = url.searchParams.get('token');
      if (given !== null && sameSecret(given, secret)) {
        // The first visit: the page's own requests (its scripts, speedscope's, the API) carry the cookie from now on.
        return { ok: true, setCookie: `${cookie}=${secret}; Path=/; HttpOnly; SameSite=Strict` };
      }
      return { ok: false, status: 403, reason: 'this server needs its token: open the URL it printed (…/?token=…)' };
    },
  };
}
