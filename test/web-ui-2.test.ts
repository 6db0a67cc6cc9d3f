// The web UI's navigation (issue 21): graph pan and zoom opening on the hottest box, one search box
// for every view, the function picker of Source and Peek, the function menu, the Compare tab and
// the light and dark themes. Each test keeps screenshots in test-artifacts/ (git-ignored).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runCli } from './helpers.js';
import { hostileName, hostileProfile, openPage, profiles, screenshot, serve, serveProfile, webTestFile } from './web-helpers.js';

const web = webTestFile();
const started = web.started;

const param = (page: Page, k: string): string | null => new URL(page.url()).searchParams.get(k);
const heap = join(profiles, 'go-heap.pb.gz');
const cpu = join(profiles, 'go-cpu.pb.gz');

type Box = { x: number; y: number; width: number; height: number };
const centre = (b: Box): { x: number; y: number } => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

test('graph: opens centred on the biggest box, zooms with wheel and keys, pans by drag, fits', { timeout: 60_000 }, async () => {
  const server = await started(serve([cpu], { title: 'go-cpu.pb.gz' }));
  const { page, log } = await openPage(web.browser(), server.url);
  // A window smaller than the graph: the picture cannot simply be fitted.
  await page.setViewportSize({ width: 480, height: 420 });
  await page.goto(`${server.url}?tab=graph&g=lines`);
  const data = (await (await fetch(`${server.url}api/graph?g=lines`)).json()) as { nodes: Record<string, string>; hottest: string };
  // The biggest box by hand: the line with the largest flat in `proflens top --lines`.
  const top = await runCli(['top', '--lines', '--nodecount', '1', '--trim-path', '/work/main', cpu]);
  const first = top.stdout.split('\n').find((l) => /^\s*[\d.]+\S*\s+[\d.]+%\s+[\d.]+%/.test(l))!;
  const hotName = first.trim().split(/\s+/).slice(5).join(' ');
  assert.equal(data.nodes[data.hottest], hotName.replace(/ \(inline\)$/, ''), first);

  const hot = page.locator(`#graph svg g.node[data-node=${data.hottest}]`);
  await hot.waitFor({ timeout: 20_000 });
  const body = (await page.locator('#graph .body').boundingBox())!;
  const whole = (await page.locator('#graph svg g.graph').boundingBox())!;
  assert.ok(whole.width > body.width / 0.6 || whole.height > body.height / 0.6, `the graph (${whole.width}×${whole.height}) is larger than its area (${body.width}×${body.height})`);
  const c = centre((await hot.boundingBox())!);
  const b = centre(body);
  assert.ok(Math.abs(c.x - b.x) < 2 && Math.abs(c.y - b.y) < 2, `hottest box centred: ${c.x},${c.y} vs ${b.x},${b.y}`);
  await screenshot(page, 'webui2-graph-hottest');

  // Wheel up over the box: it grows and stays under the pointer.
  const before = (await hot.boundingBox())!;
  await page.mouse.move(c.x, c.y);
  await page.mouse.wheel(0, -300);
  await page.evaluate('new Promise((r) => requestAnimationFrame(r))');
  const zoomed = (await hot.boundingBox())!;
  assert.ok(zoomed.width > before.width * 1.3, `wheel zooms in: ${before.width} → ${zoomed.width}`);
  assert.ok(Math.abs(centre(zoomed).x - c.x) < 2 && Math.abs(centre(zoomed).y - c.y) < 2, 'the point under the pointer stays put');
  // Keys: - zooms out.
  await page.keyboard.press('-');
  assert.ok((await hot.boundingBox())!.width < zoomed.width, '- zooms out');

  // Drag: the picture follows the pointer.
  const at = (await hot.boundingBox())!;
  await page.mouse.move(b.x + 60, b.y + 60);
  await page.mouse.down();
  await page.mouse.move(b.x + 20, b.y + 30, { steps: 4 });
  await page.mouse.up();
  const moved = (await hot.boundingBox())!;
  assert.ok(Math.abs(moved.x - at.x + 40) < 2 && Math.abs(moved.y - at.y + 30) < 2, `dragged by (-40,-30): ${at.x},${at.y} → ${moved.x},${moved.y}`);
  assert.equal(await page.locator('#menu').isHidden(), true, 'a drag is not a click');

  // Fit: the whole graph in its area.
  await page.click('#zoom-fit');
  const fitted = (await page.locator('#graph svg g.graph').boundingBox())!;
  assert.ok(fitted.x >= body.x - 1 && fitted.y >= body.y - 1 && fitted.x + fitted.width <= body.x + body.width + 1 && fitted.y + fitted.height <= body.y + body.height + 1, 'fit shows it all');
  assert.ok(fitted.width > body.width - 2 || fitted.height > body.height - 2, 'and fills one side');
  await screenshot(page, 'webui2-graph-fit');
  await page.click('#zoom-hot');
  const back = centre((await hot.boundingBox())!);
  assert.ok(Math.abs(back.x - b.x) < 2 && Math.abs(back.y - b.y) < 2, 'Hottest centres it again');
  // A wider window shows more of the graph at the same scale: the box is neither stretched nor moved off centre.
  const size = (await hot.boundingBox())!;
  await page.setViewportSize({ width: 900, height: 420 });
  await page.evaluate('new Promise((r) => requestAnimationFrame(r))');
  const wide = (await hot.boundingBox())!;
  const wb = centre((await page.locator('#graph .body').boundingBox())!);
  assert.ok(Math.abs(wide.width - size.width) < 1 && Math.abs(wide.height - size.height) < 1, `same size after resize: ${size.width}×${size.height} → ${wide.width}×${wide.height}`);
  assert.ok(Math.abs(centre(wide).x - wb.x) < 2, 'still centred');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('search: filters and highlights Top, highlights the graph, kept in the address', { timeout: 60_000 }, async () => {
  const server = await started(serve([heap], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=top`);
  await page.locator('#top td.name').first().waitFor();
  const all = await page.locator('#top td.name').allTextContents();
  await page.fill('#search', 'ALLOC');
  const shown = await page.locator('#top td.name').allTextContents();
  const expected = all.filter((n) => n.toLowerCase().includes('alloc'));
  assert.ok(expected.length > 0 && expected.length < all.length, all.join(', '));
  assert.deepEqual(shown, expected);
  assert.equal(param(page, 'search'), 'ALLOC');
  const marks = await page.locator('#top td.name mark').allTextContents();
  assert.equal(marks.length, expected.reduce((n, s) => n + s.toLowerCase().split('alloc').length - 1, 0));
  assert.ok(marks.every((m) => m.toLowerCase() === 'alloc'), marks.join(','));
  await screenshot(page, 'webui2-top-search');

  await page.click('#tabs [data-tab=graph]');
  await page.locator('#graph svg g.node').first().waitFor({ timeout: 20_000 });
  const graph = (await (await fetch(`${server.url}api/graph`)).json()) as { nodes: Record<string, string> };
  const want = Object.entries(graph.nodes).filter(([, n]) => n.toLowerCase().includes('alloc')).map(([id]) => id).sort();
  await page.locator('#graph svg.searching').waitFor();
  const got = (await page.locator('#graph svg g.node.match').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-node')))).sort();
  assert.deepEqual(got, want);
  assert.equal(await page.inputValue('#search'), 'ALLOC');
  await screenshot(page, 'webui2-graph-search');
  await page.fill('#search', '');
  assert.equal(await page.locator('#graph svg g.node.match').count(), 0);
  assert.equal(param(page, 'search'), null);
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('Source and Peek: a function picker, hottest first, before anything is picked in Top', { timeout: 60_000 }, async () => {
  const server = await started(serve([heap], { title: 'go-heap.pb.gz' }));
  // The endpoint: names containing the text, any case, by cum (proflens top --cum's order, checked by hand: runtime.main, main.main lead).
  const fns = (await (await fetch(`${server.url}api/functions?q=FILL`)).json()) as { names: string[]; more: boolean };
  assert.deepEqual(fns, { names: ['main.fillCache'], more: false });
  const byCum = (await runCli(['top', '--cum', heap])).stdout.split('\n').filter((l) => /%\s+\S+\s+\S+%\s+\S/.test(l)).map((l) => l.trim().split(/\s+/).slice(5).join(' '));
  const every = (await (await fetch(`${server.url}api/functions?limit=3`)).json()) as { names: string[]; more: boolean };
  assert.deepEqual(every.names, byCum.slice(0, 3));
  assert.equal(every.more, true);

  const { page, log } = await openPage(web.browser(), `${server.url}?tab=source`);
  await page.locator('#source-names option').first().waitFor({ state: 'attached' });
  assert.equal(await page.locator('#source-names option').first().getAttribute('value'), byCum[0]);
  await page.fill('#source input.fn', 'allocateBig');
  const options = page.locator('#source-names option');
  for (let i = 0; i < 100; i++) {
    const values = await options.evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''));
    if (values.length > 0 && values.every((v) => v.includes('allocateBig'))) break;
    assert.ok(i < 99, `type-ahead: ${values.join(', ')}`);
    await page.waitForTimeout(50);
  }
  await page.fill('#source input.fn', 'main.allocateBig');
  await page.press('#source input.fn', 'Enter');
  await page.locator('#source h3', { hasText: 'main.allocateBig' }).waitFor();
  assert.equal(param(page, 'fn'), 'main.allocateBig');
  await screenshot(page, 'webui2-source-picked');

  await page.goto(`${server.url}?tab=peek`);
  await page.fill('#peek input.fn', 'main.fillCache');
  await page.press('#peek input.fn', 'Enter');
  await page.locator('#peek tr.peek-node', { hasText: 'main.fillCache' }).waitFor();
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('the function menu: focus and ignore stay in the view, source and peek go to their tab', { timeout: 60_000 }, async () => {
  const server = await started(serve([heap], { title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=top`);
  await page.click('#top td.name[title="main.allocateBig"]');
  assert.deepEqual(await page.locator('#menu button').allTextContents(), ['Source', 'Peek', 'Sandwich', 'Focus', 'Ignore']);
  assert.equal(await page.locator('#menu .menu-title').textContent(), 'main.allocateBig');
  await screenshot(page, 'webui2-top-menu');
  await page.click('#menu button:text("Focus")');
  assert.equal(param(page, 'focus'), '^main\\.allocateBig$');
  assert.equal(param(page, 'tab'), 'top');
  await page.locator('#top .labels', { hasText: 'focus=^main\\.allocateBig$' }).waitFor();
  assert.equal(await page.locator('#menu').isHidden(), true);
  // The row's own focus button also stays in Top.
  await page.click('#reset');
  await page.click('#top tr:has(td.name[title="main.fillCache"]) button:text("ignore")');
  assert.equal(param(page, 'tab'), 'top');

  // From a graph box: Escape closes the menu, Peek goes to the peek tab.
  await page.click('#tabs [data-tab=graph]');
  const node = page.locator('#graph svg g.node', { hasText: 'allocateBigger' }).first();
  await node.waitFor({ timeout: 20_000 });
  await page.keyboard.press('0');
  await node.click();
  await page.locator('#menu .menu-title', { hasText: 'main.allocateBigger' }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#menu').isHidden(), true);
  await node.click();
  await page.click('#menu button:text("Peek")');
  assert.equal(param(page, 'tab'), 'peek');
  assert.equal(param(page, 'fn'), 'main.allocateBigger');
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('Compare tab: base, new, delta and delta% as proflens diff prints them', { timeout: 60_000 }, async () => {
  const baseFile = join(profiles, 'go-heap-early.pb.gz');
  const server = await started(serve([heap], { base: [baseFile], title: 'go-heap.pb.gz' }));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=compare`);
  await page.locator('#compare tbody tr').first().waitFor();
  const shown = await page.locator('#compare tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent ?? '')));
  const cli = await runCli(['diff', baseFile, heap]);
  assert.equal(cli.code, 0, cli.stderr);
  const lines = cli.stdout.split('\n');
  const head = lines.findIndex((l) => /^\s+base\s+new\s+delta\s+delta%$/.test(l));
  const printed = lines.slice(head + 1).filter((l) => l.trim() !== '').map((l) => {
    const [b, n, d, p, ...name] = l.trim().split(/\s+/);
    return [b, n, d, p, name.join(' ')];
  });
  assert.ok(printed.length >= 2, cli.stdout);
  assert.deepEqual(shown, printed);
  assert.equal(await page.locator('#compare .labels').textContent(), lines.slice(0, head).join('\n'));
  await screenshot(page, 'webui2-compare');
  // Without a base there is no Compare tab.
  const alone = await started(serve([heap]));
  const p2 = await openPage(web.browser(), `${alone.url}?tab=compare`);
  await p2.page.locator('#flame:not([hidden])').waitFor();
  assert.equal(await p2.page.locator('#tabs [data-tab=compare]').isHidden(), true);
  await p2.page.close();
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});

test('themes follow the system: every view in light and dark, as speedscope colours them', { timeout: 120_000 }, async () => {
  const baseFile = join(profiles, 'go-heap-early.pb.gz');
  const server = await started(serve([heap], { base: [baseFile], title: 'go-heap.pb.gz' }));
  for (const scheme of ['light', 'dark'] as const) {
    const { page, log } = await openPage(web.browser(), `${server.url}?tab=top&fn=main.allocateBig`);
    await page.emulateMedia({ colorScheme: scheme });
    await page.reload();
    await page.locator('#top td.name').first().waitFor();
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    const fg = await page.evaluate('getComputedStyle(document.body).color');
    // speedscope's own: light #FFFFFF on #000000, dark #060606 with #D0D0D0 text.
    assert.deepEqual([bg, fg], scheme === 'dark' ? ['rgb(6, 6, 6)', 'rgb(208, 208, 208)'] : ['rgb(255, 255, 255)', 'rgb(0, 0, 0)']);
    for (const tab of ['flame', 'top', 'source', 'peek', 'graph', 'diff', 'compare']) {
      await page.click(`#tabs [data-tab=${tab}]`);
      const ready = {
        flame: () => page.frameLocator('#speedscope').locator('canvas').nth(2).waitFor({ timeout: 15_000 }),
        top: () => page.locator('#top td.name').first().waitFor(),
        source: () => page.locator('#source h3').first().waitFor(),
        peek: () => page.locator('#peek tr.peek-node').first().waitFor(),
        graph: () => page.locator('#graph svg g.node').first().waitFor({ timeout: 20_000 }),
        diff: () => page.locator('#diff canvas[data-frames]').waitFor(),
        compare: () => page.locator('#compare tbody tr').first().waitFor(),
      }[tab]!;
      await ready();
      if (tab === 'flame') await page.waitForTimeout(300);
      await screenshot(page, `webui2-${scheme}-${tab}`);
    }
    assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
    await page.close();
  }
});

test('names with markup stay text in the menu, the search marks and the function picker', { timeout: 60_000 }, async () => {
  const server = await started(serveProfile(hostileProfile()));
  const { page, log } = await openPage(web.browser(), `${server.url}?tab=top&search=onerror`);
  const cell = page.locator('#top td.name', { hasText: hostileName });
  await cell.waitFor();
  assert.equal(await page.locator('#top td.name mark').first().textContent(), 'onerror');
  await cell.click();
  assert.equal(await page.locator('#menu .menu-title').textContent(), hostileName);
  await page.keyboard.press('Escape');
  await page.goto(`${server.url}?tab=peek`);
  await page.fill('#peek input.fn', 'onerror');
  const option = page.locator('#peek-names option');
  for (let i = 0; i < 100 && (await option.count()) !== 1; i++) await page.waitForTimeout(50);
  assert.equal(await option.first().getAttribute('value'), hostileName);
  assert.equal(await page.evaluate('window.__pwned'), undefined);
  assert.equal(await page.locator('img, b, svg image, svg script').count(), 0);
  assert.deepEqual(log, { errors: [], dialogs: [], foreignRequests: [] });
  await page.close();
});
