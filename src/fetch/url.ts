// Recognising a profile source as a URL and shaping the request, as go tool pprof does
// (cmd/pprof's adjustURL): `host:port/path` gets `http://`, an empty path means the CPU profile
// handler, --seconds becomes `?seconds=N`, and the timeout follows from the duration.

/** The handler Go's net/http/pprof serves CPU profiles on; pprof's default path. */
export const cpuProfilePath = '/debug/pprof/profile';

/** The handler Go's net/http/pprof serves execution traces on; the trace commands' default path. */
export const tracePath = '/debug/pprof/trace';

/** ProfileRequest is a URL ready to fetch, with how long to wait for it. */
export interface ProfileRequest {
  /** The URL to request (scheme http or https). */
  readonly url: string;
  /** The URL as the user will recognise it (https+insecure:// kept). */
  readonly display: string;
  /** Seconds of profiling the server was asked for (0 when none). */
  readonly seconds: number;
  /** How long to wait for the whole response, in milliseconds. */
  readonly timeoutMs: number;
  /** Skip TLS certificate checks (the source said https+insecure://). */
  readonly insecure: boolean;
}

/**
 * profileRequest turns a source into a request, or returns undefined when the source does not
 * name a host (then it is a file). `seconds` > 0 overrides any `seconds` in the URL; `timeoutSeconds`
 * > 0 overrides the default wait; `defaultPath` is what an empty path means.
 */
export function profileRequest(source: string, seconds = 0, timeoutSeconds = 0, defaultPath = cpuProfilePath): ProfileRequest | undefined {
  // As in pprof: `scheme://…` is a URL; `host:port/path` (a colon before any slash) is one
  // without its `http://`; anything else (`heap.pb.gz`, `dir/x.pb`) is a file name.
  const colon = source.indexOf(':');
  const slash = source.indexOf('/');
  let u: URL | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) u = parse(source);
  else if (colon > 0 && (slash < 0 || colon < slash)) u = parse('http://' + source);
  if (!u || u.host === '' || !/^(https?|https\+insecure):$/.test(u.protocol)) return undefined;
  if (u.pathname === '' || u.pathname === '/') u.pathname = defaultPath;
  if (seconds > 0) {
    u.searchParams.set('seconds', String(Math.trunc(seconds)));
  } else {
    const s = u.searchParams.get('seconds');
    if (s !== null && /^[+-]?\d+$/.test(s)) seconds = Number(s);
  }
  // pprof waits 1.5 × seconds (60 s for untimed profiles) plus 5 s of grace; an explicit
  // --timeout is taken as given.
  const timeoutMs = timeoutSeconds > 0 ? timeoutSeconds * 1000 : (seconds > 0 ? seconds * 1500 : 60_000) + 5000;
  const display = u.toString();
  const insecure = u.protocol === 'https+insecure:';
  const url = insecure ? 'https:' + display.slice('https+insecure:'.length) : display;
  return { url, display, seconds: Math.max(seconds, 0), timeoutMs, insecure };
}

function parse(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}
