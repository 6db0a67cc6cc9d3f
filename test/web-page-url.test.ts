// Where `proflens weblist RE` opens the web UI: the page's query joins the server's address, which
// carries `?token=…` when bound beyond loopback. Concatenated, the token would have swallowed the
// page (`?token=x?tab=source…`) and the page would have refused the request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage } from '../cli/web-command.js';

test('withPage: the page query merged into the server address, with or without a token', () => {
  assert.equal(withPage('http://127.0.0.1:4000/'), 'http://127.0.0.1:4000/');
  assert.equal(withPage('http://127.0.0.1:4000/', '?tab=source&re=main%5C.f'), 'http://127.0.0.1:4000/?tab=source&re=main%5C.f');
  const u = new URL(withPage('http://[::]:4000/?token=abc', '?tab=source&re=a&b'));
  assert.equal(u.searchParams.get('token'), 'abc');
  assert.equal(u.searchParams.get('tab'), 'source');
  assert.equal(u.searchParams.get('re'), 'a');
});
