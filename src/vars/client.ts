// The client side of /debug/vars: which URL a source names, and what its answer must look like.
// A source is a URL or `host:port`; an empty path means /debug/vars, as expvarmon assumes.

import { ProfileError } from '../profile/errors.js';

/** The path Go's expvar and the agent serve their document on. */
export const varsPath = '/debug/vars';

/** VarsTarget is one service to read: the URL to request and how to name it in messages. */
export interface VarsTarget {
  readonly url: string;
  readonly display: string;
}

/** varsTarget turns `host:port`, `http://host:port` or a full URL into the document's URL. */
export function varsTarget(source: string): VarsTarget {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? source : `http://${source}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new ProfileError(`${source}: not a URL or host:port`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ProfileError(`${source}: only http and https URLs are supported`);
  if (u.pathname === '' || u.pathname === '/') u.pathname = varsPath;
  const url = u.toString();
  return { url, display: url };
}

/** parseVarsDocument decodes an answer; errors say in one line what came back instead. */
export function parseVarsDocument(body: Uint8Array, display: string): Record<string, unknown> {
  const text = new TextDecoder().decode(body);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const start = text.trimStart().slice(0, 40).replace(/\s+/g, ' ');
    throw new ProfileError(`${display}: not JSON (the answer starts with ${JSON.stringify(start)})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ProfileError(`${display}: not an expvar document (a JSON ${Array.isArray(doc) ? 'array' : doc === null ? 'null' : typeof doc}, not an object)`);
  }
  return doc as Record<string, unknown>;
}
