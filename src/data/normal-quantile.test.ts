import assert from 'node:assert/strict';
import { test } from 'node:test';
import reference from './fixtures/normal-quantile.json' with { type: 'json' };
import { normalCdf, normalDensity, normalQuantile } from './normal-quantile.js';

test('normalQuantile agrees with scipy.stats.norm.ppf to 1e-8 relative, tails included', () => {
  for (const { p, x } of reference.quantile) {
    const got = normalQuantile(p);
    assert.ok(Math.abs(got - x) <= 1e-8 * Math.max(1, Math.abs(x)), `p=${p}: got ${got}, scipy ${x}`);
  }
});

test('normalQuantile: 0 and 1 give ∓Infinity, outside [0, 1] gives NaN', () => {
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
  assert.ok(Number.isNaN(normalQuantile(-0.1)));
});

test('normalDensity agrees with scipy.stats.norm.pdf', () => {
  for (const { x, y } of reference.density) assert.ok(Math.abs(normalDensity(x) - y) < 1e-15, `x=${x}`);
  assert.equal(normalDensity(-Infinity), 0);
});

test('normalCdf agrees with scipy.stats.norm.cdf to 1.2e-7 relative, far tails included', () => {
  for (const { x, y } of reference.cdf) {
    const got = normalCdf(x);
    assert.ok(Math.abs(got - y) <= 1.2e-7 * y, `x=${x}: got ${got}, scipy ${y}`);
  }
});
