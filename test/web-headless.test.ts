// `proflens web` on a machine with no display (ssh, a container): it says no browser could be
// opened and prints the URL to open, instead of handing it to xdg-open and leaving the user waiting.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { WebIO } from '../cli/web-command.js';
import { repoRoot, runCli } from './helpers.js';

const heap = join(repoRoot, 'fixtures', 'profiles', 'go-heap.pb.gz');

test('web with no DISPLAY says so and prints the URL to open, without trying a browser', { skip: process.platform === 'darwin' || process.platform === 'win32' }, async () => {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const io: Partial<WebIO> = { env, untilStopped: async () => {}, openBrowser: async () => assert.fail('no display: nothing to open') };
  const r = await runCli(['web', heap], undefined, io);
  assert.equal(r.code, 0, r.stderr);
  const url = /^Serving web UI on (http:\/\/127\.0\.0\.1:\d+\/)\n$/.exec(r.stdout)?.[1];
  assert.ok(url, r.stdout);
  assert.equal(r.stderr, `proflens: web: no browser could be opened (no display: neither DISPLAY nor WAYLAND_DISPLAY is set); open ${url} in a browser\n`);
});

test('web whose browser fails to open says so and prints the URL to open', async () => {
  const io: Partial<WebIO> = { env: { ...process.env, DISPLAY: ':0' }, untilStopped: async () => {}, openBrowser: async () => Promise.reject(new Error('xdg-open: not found')) };
  const r = await runCli(['web', heap], undefined, io);
  assert.equal(r.code, 0, r.stderr);
  const url = /^Serving web UI on (\S+)\n$/.exec(r.stdout)?.[1];
  assert.equal(r.stderr, `proflens: web: no browser could be opened (xdg-open: not found); open ${url} in a browser\n`);
});
