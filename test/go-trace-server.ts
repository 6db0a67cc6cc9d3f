// go tool trace -http as a test's ground truth: serve a trace file on a free loopback port, let the
// test GET its pages and JSON endpoints, and stop it afterwards.

import { spawn } from 'node:child_process';

/** withGoTraceServer runs `go tool trace -http=127.0.0.1:0 FILE`, calls use with a GET function, then stops it. */
export async function withGoTraceServer<T>(file: string, use: (get: (path: string) => Promise<string>) => Promise<T>): Promise<T> {
  // BROWSER=true: go tool trace "opens" its page with /bin/true.
  const child = spawn('go', ['tool', 'trace', '-http=127.0.0.1:0', file], { env: { ...process.env, BROWSER: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`go tool trace did not listen: ${err}`)), 60_000);
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/[\d.:]+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', () => reject(new Error(`go tool trace exited: ${err}`)));
    });
    return await use(async (path) => {
      const res = await fetch(base + path);
      if (!res.ok) throw new Error(`go tool trace ${path}: HTTP ${res.status}`);
      return res.text();
    });
  } finally {
    child.kill();
  }
}
