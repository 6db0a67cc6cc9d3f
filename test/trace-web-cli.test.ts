// `proflens trace TRACE` serves the trace web UI (as go tool trace TRACE does), with Go's
// spellings (-http=HOST:PORT) and --no-browser; the summary is `proflens trace summary TRACE`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, runCli } from './helpers.js';
import type { WebIO } from '../cli/web-command.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');

test('proflens trace -http=127.0.0.1:0 TRACE serves the timeline, opens the browser, and stops when told', { timeout: 60_000 }, async () => {
  let opened = '';
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let meta: { goVersion: string; lanes: { kind: string }[]; events: number } | undefined;
  const io: Partial<WebIO> = {
    // A display to open the browser on (CI has none: proflens would say so and open nothing).
    env: { ...process.env, DISPLAY: ':0' },
    openBrowser: async (url) => {
      opened = url;
      // The server answers before the command waits for its stop signal.
      meta = (await (await fetch(`${url}api/trace/meta`)).json()) as typeof meta;
      const page = await fetch(url);
      assert.match(await page.text(), /<canvas id="tl-canvas">/);
      stop();
    },
    untilStopped: () => stopped,
  };
  const r = await runCli(['trace', '-http=127.0.0.1:0', fixture], undefined, io);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Serving trace UI on http:\/\/127\.0\.0\.1:\d+\/\n$/);
  assert.equal(opened, r.stdout.slice('Serving trace UI on '.length).trim());
  assert.equal(meta?.goVersion, '1.19');
  assert.equal(meta?.events, 18_543);
  assert.ok(meta?.lanes.some((l) => l.kind === 'proc'));
});

test('--no-browser serves without opening one; trace summary prints the summary', { timeout: 60_000 }, async () => {
  let opened = false;
  const r = await runCli(['trace', '--no-browser', '--http', '127.0.0.1:0', fixture], undefined, {
    openBrowser: async () => void (opened = true),
    untilStopped: async () => {},
  } as Partial<WebIO>);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Serving trace UI on /);
  assert.equal(opened, false);
  const summary = await runCli(['trace', 'summary', fixture]);
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /Go 1\.19 execution trace, 18,?543 events/);
});
