// Value formatting must match Go's fmt and pprof's measurement package to the character.
// The expected strings below were printed by Go 1.19 (`go run test/go-fmt/main.go`).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, formatG, padLeft } from '../src/units/go-format.js';
import { percentage, scale, scaledLabel } from '../src/units/measurement.js';

const fixed2: [number, string][] = [
  [0, '0.00'], [1.125, '1.12'], [1.135, '1.14'], [0.125, '0.12'], [0.375, '0.38'], [2.5, '2.50'],
  [98.125, '98.12'], [0.005, '0.01'], [0.015, '0.01'], [0.145, '0.14'], [1.005, '1.00'],
  [99.995, '100.00'], [1234.565, '1234.57'], [0.625, '0.62'], [-1.125, '-1.12'], [-0.375, '-0.38'],
  [0.0049, '0.00'], [12.345, '12.35'], [1e-7, '0.00'], [123456789.125, '123456789.12'],
];

const g52: [number, string][] = [
  [0.0091, '0.0091'], [0.009, '0.009'], [0.89, ' 0.89'], [0.9009009, '  0.9'], [0.95, ' 0.95'],
  [0.995, ' 0.99'], [0.00001, '1e-05'], [0.000123, '0.00012'], [0.05, ' 0.05'], [0.125, ' 0.12'],
  [0.0625, '0.062'], [0.00625, '0.0063'], [0.015, '0.015'], [0.25, ' 0.25'], [0.35, ' 0.35'],
  [1e-10, '1e-10'], [0.99, ' 0.99'],
];

test('formatFixed is Go %.2f, ties to even', () => {
  for (const [x, want] of fixed2) assert.equal(formatFixed(x, 2), want, `%.2f of ${x}`);
});

test('formatG is Go %5.2g', () => {
  for (const [x, want] of g52) assert.equal(padLeft(formatG(x, 2), 5), want, `%5.2g of ${x}`);
});

test('percentage prints like pprof', () => {
  assert.equal(percentage(1, 1), '  100%');
  assert.equal(percentage(9995, 10000), '  100%');
  assert.equal(percentage(110, 112), '98.21%');
  assert.equal(percentage(1, 112), ' 0.89%');
  assert.equal(percentage(9, 100000), '0.009%');
  assert.equal(percentage(0, 100), '    0%');
  assert.equal(percentage(5, 0), '    0%');
  assert.equal(percentage(-50, 100), '50.00%');
});

test('scaledLabel scales memory, time and counts as pprof does', () => {
  assert.equal(scaledLabel(102_896_640, 'bytes', 'minimum'), '98.13MB');
  assert.equal(scaledLabel(1_500_000_000, 'nanoseconds', 'minimum'), '1.50s');
  assert.equal(scaledLabel(1_120_000_000, 'nanoseconds', 's'), '1.12s');
  assert.equal(scaledLabel(0, 'bytes', 'minimum'), '0');
  assert.equal(scaledLabel(512, 'bytes', 'auto'), '512B');
  assert.equal(scaledLabel(1536, 'bytes', 'kB'), '1.50kB');
  assert.equal(scaledLabel(150, 'count', 'count'), '150');
  assert.equal(scaledLabel(7_200_000_000_000, 'nanoseconds', 'auto'), '2hrs');
  assert.equal(scaledLabel(3, 'microseconds', 'ns'), '3000ns');
  assert.equal(scaledLabel(-2048, 'bytes', 'auto'), '-2kB');
});

test('scale sniffs unit spellings and keeps unknown units', () => {
  assert.deepEqual(scale(2048, 'Bytes', 'kilobytes'), [2, 'kB']);
  assert.deepEqual(scale(5, 'widgets', 'minimum'), [5, '']);
  assert.deepEqual(scale(5, 'widgets', 'gadgets'), [5, 'gadgets']);
  assert.deepEqual(scale(1e9, 'nanoseconds', 'bogus'), [1, 's']);
});
