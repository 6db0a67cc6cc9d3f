// Who may read a service's profiles and variables. They tell a lot about a program (its code
// paths, its memory, its command line), so by default only the machine itself may ask: the
// client's address must be loopback. A token opens the endpoints to other machines, for clients
// that send it as a bearer token. A request relayed by a proxy on the same machine arrives from
// loopback but was made elsewhere; its forwarding headers make it count as remote.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';

/** Verdict is the answer to one request: allowed, or refused with a status and a one-line reason. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/**
 * proxyHeaders are the headers a proxy, load balancer or CDN adds when it relays a request: the
 * standard ones (RFC 7239 Forwarded, RFC 9110 Via, RFC 8586 CDN-Loop) and the de facto ones of
 * nginx, Apache, Akamai, Cloudflare, Fastly, Envoy, Rackspace and others. A client on loopback
 * sends none of them; one is enough to count the request as remote.
 */
const proxyHeaders: ReadonlySet<string> = new Set([
  'forwarded',
  'x-forwarded',
  'via',
  'cdn-loop',
  'x-real-ip',
  'x-client-ip',
  'client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'cf-connecting-ipv6',
  'fastly-client-ip',
  'x-cluster-client-ip',
  'x-original-forwarded-for',
  'x-envoy-external-address',
  'x-originating-ip',
  'x-remote-ip',
  'x-remote-addr',
  'x-proxyuser-ip',
]);

/**
 * isProxyHeader tells whether a (lower-case) header name is one a relaying proxy adds. Every
 * X-Forwarded-* header counts (-For, -Host, -Proto, -Port, -Server, -Prefix, and whatever a
 * proxy invents next), as does every Forwarded-* spelling.
 */
export function isProxyHeader(name: string): boolean {
  return proxyHeaders.has(name) || name.startsWith('x-forwarded-') || name.startsWith('forwarded-');
}

/** isLoopback tells whether an IP address is the machine itself (127/8, ::1, IPv4-mapped 127/8). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice('::ffff:'.length) : a;
  return isIPv4(v4) && v4.startsWith('127.');
}

/** checkAccess decides whether a request may be answered. */
export function checkAccess(req: IncomingMessage, token: string | undefined): Verdict {
  const address = req.socket?.remoteAddress;
  const forwarded = Object.keys(req.headers).some(isProxyHeader);
  if (isLoopback(address) && !forwarded) return { ok: true };
  const from = forwarded ? `a client forwarded through ${address ?? 'an unknown address'}` : `client ${address ?? '(unknown address)'}`;
  if (token === undefined || token === '') {
    return { ok: false, status: 403, reason: `proflens agent: ${from} is not on loopback; configure a token to allow remote clients` };
  }
  const given = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
  if (given === undefined) return { ok: false, status: 401, reason: `proflens agent: ${from} must send the token as "Authorization: Bearer <token>"` };
  if (!sameSecret(given, token)) return { ok: false, status: 401, reason: 'proflens agent: wrong token' };
  return { ok: true };
}

/** sameSecret compares in constant time; hashing first makes the lengths equal. */
export function sameSecret(a: string, b: string): boolean {
  const h = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}
