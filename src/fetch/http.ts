// Fetching a profile's bytes over HTTP(S), with the failures a user meets named plainly:
// connection refused, an unknown host, a timeout, the server's own reason for a status
// (Go's net/http/pprof sends it as text/plain with an X-Go-Pprof header), a body over the limit.

import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { ProfileError } from '../profile/errors.js';
import type { ProfileRequest } from './url.js';

/** TlsFiles are the PEM files for https: a CA to trust, a client certificate and its key. */
export interface TlsFiles {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** FetchOptions shape one HTTP fetch. */
export interface FetchOptions {
  readonly tls?: TlsFiles;
  /** Largest body accepted, in bytes (default 1 GiB). */
  readonly maxBytes?: number;
  /** Cancels the request (for example when the user presses Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** The default limit on a profile's size: far above any real profile, well below memory. */
export const defaultMaxBytes = 1 << 30;

/** fetchBytes requests the profile and returns its body; every error names the URL. */
export function fetchBytes(req: ProfileRequest, o: FetchOptions = {}): Promise<Uint8Array> {
  const maxBytes = o.maxBytes ?? defaultMaxBytes;
  const fail = (why: string, cause?: unknown): ProfileError => new ProfileError(`${req.display}: ${why}`, { cause });
  let agentOptions: https.RequestOptions;
  try {
    agentOptions = tlsOptions(req, o.tls);
  } catch (e) {
    return Promise.reject(fail((e as Error).message, e));
  }
  return new Promise((resolve, reject) => {
    const get = req.url.startsWith('https:') ? https.get : http.get;
    const timeout = setTimeout(() => abort(fail(`timed out after ${formatSeconds(req.timeoutMs)}`)), req.timeoutMs);
    const onAbort = (): void => abort(fail('cancelled'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const done = (err: ProfileError | undefined, body?: Uint8Array): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(body!);
    };
    const request = get(req.url, { ...agentOptions, headers: { 'user-agent': 'proflens', 'accept-encoding': 'identity' } }, (res) => {
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > maxBytes) return abort(fail(`response of ${declared} bytes is over the limit of ${maxBytes} bytes`));
      const body = new BodyBuffer(declared);
      res.on('data', (c: Buffer) => {
        if (body.size + c.length > maxBytes) return abort(fail(`response is over the limit of ${maxBytes} bytes`));
        body.add(c);
      });
      res.on('error', (e) => done(fail(networkReason(e), e)));
      res.on('end', () => {
        const bytes = body.bytes();
        if (res.statusCode === 200) return done(undefined, bytes);
        done(fail(statusReason(res, bytes)));
      });
    });
    request.on('error', (e) => done(fail(networkReason(e), e)));
    function abort(err: ProfileError): void {
      done(err);
      request.destroy();
    }
  });
}

/**
 * BodyBuffer gathers a response's bytes. When the server declared the length, they are copied into
 * one buffer of that size as they come, so a body near the limit takes its own size in memory, not
 * twice that (chunks, then their concatenation).
 */
class BodyBuffer {
  size = 0;
  private readonly whole: Buffer | undefined;
  private readonly chunks: Buffer[] = [];

  constructor(declared: number) {
    this.whole = Number.isSafeInteger(declared) && declared > 0 ? Buffer.allocUnsafe(declared) : undefined;
  }

  add(c: Buffer): void {
    if (this.whole && this.size + c.length <= this.whole.length) c.copy(this.whole, this.size);
    else this.chunks.push(c);
    this.size += c.length;
  }

  bytes(): Buffer {
    if (!this.whole) return Buffer.concat(this.chunks, this.size);
    // A server that sent other than it declared (Node's parser allows neither more nor fewer on a
    // kept-alive connection, but a closed one may end short) gets what it sent.
    if (this.chunks.length === 0) return this.whole.subarray(0, this.size);
    return Buffer.concat([this.whole, ...this.chunks], this.size);
  }
}

/** statusReason words a non-200 answer as pprof does, with the server's reason when it sent one. */
function statusReason(res: http.IncomingMessage, body: Buffer): string {
  const status = `${res.statusCode} ${res.statusMessage ?? http.STATUS_CODES[res.statusCode ?? 0] ?? ''}`.trim();
  const type = String(res.headers['content-type'] ?? '');
  if (res.headers['x-go-pprof'] !== undefined && type.includes('text/plain')) {
    // Go's handlers end their message with a newline; keep the error on one line.
    const reason = body.toString('utf8').trim().replace(/\s*\n\s*/g, ' ');
    return `server response: ${status} - ${reason}`;
  }
  return `server response: ${status}`;
}

/** networkReason turns a socket error into words. */
function networkReason(e: Error): string {
  const err = e as NodeJS.ErrnoException & { hostname?: string };
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host ${err.hostname ?? ''}`.trim();
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS: ${err.message} (use --tls-ca, or https+insecure:// to skip the check)`;
    default:
      return err.message;
  }
}

function tlsOptions(req: ProfileRequest, tls: TlsFiles | undefined): https.RequestOptions {
  if (!req.url.startsWith('https:')) return {};
  const read = (what: string, path: string | undefined): Buffer | undefined => {
    if (path === undefined || path === '') return undefined;
    try {
      return readFileSync(path);
    } catch (e) {
      throw new Error(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
    }
  };
  const ca = read('--tls-ca', tls?.ca);
  const cert = read('--tls-cert', tls?.cert);
  const key = read('--tls-key', tls?.key);
  return { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }), rejectUnauthorized: !req.insecure };
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}
