// The timeline's counter names stay in the label column (issue 18): "Goroutines (running,
// runnable, waiting)" ran 80 px into the plot, over the counter's largest value and its curve.
// The page's canvas text is recorded as it is drawn (fillText with its measured width).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from './helpers.js';
import { screenshot, webTestFile } from './web-helpers.js';
import { serveTrace, settled } from './trace-web-helpers.js';

const fixture = join(repoRoot, 'fixtures', 'traces', 'tracesvc.trace');
/** The label column's width in the page (trace-timeline.js labelW). */
const labelW = 180;

const { browser: chromium, started } = webTestFile();

interface Drawn {
  text: string;
  x: number;
  w: number;
}

test('counter names and their series are drawn inside the label column, apart from the values', { timeout: 60_000 }, async () => {
  const server = await started(serveTrace(fixture, 'tracesvc.trace'));
  const page = await chromium().newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    const drawn: Drawn[] = [];
    (globalThis as unknown as { __drawnText: Drawn[] }).__drawnText = drawn;
    // (No DOM types in this project: the canvas context as far as this uses it.)
    interface Context {
      measureText(text: string): { width: number };
      fillText(text: string, x: number, y: number, maxWidth?: number): void;
    }
    const proto = (globalThis as unknown as { CanvasRenderingContext2D: { prototype: Context } }).CanvasRenderingContext2D.prototype;
    const fill = proto.fillText;
    proto.fillText = function (this: Context, text: string, x: number, y: number, maxWidth?: number) {
      drawn.push({ text, x, w: this.measureText(text).width });
      return maxWidth === undefined ? fill.call(this, text, x, y) : fill.call(this, text, x, y, maxWidth);
    };
  });
  await page.goto(server.url);
  await settled(page);
  await screenshot(page, 'trace-timeline-counter-labels');
  const drawn = await page.evaluate(() => (globalThis as unknown as { __drawnText: Drawn[] }).__drawnText);
  const inColumn = drawn.filter((d) => d.x < labelW);
  // The counters' names are there (Heap, Goroutines, Threads), and their series.
  for (const name of ['Heap', 'Goroutines', 'Threads', 'runnable']) assert.ok(inColumn.some((d) => d.text.includes(name)), `${name} not drawn: ${inColumn.map((d) => d.text).join(' | ')}`);
  const over = inColumn.filter((d) => d.x + d.w > labelW - 2);
  assert.deepEqual(over, [], 'text drawn from the label column into the plot');
  await page.close();
});
