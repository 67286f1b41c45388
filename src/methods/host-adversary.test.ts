/**
 * The host adversary's batch order: each label's rows sorted by z with ties in row order, as the stable
 * `Array.prototype.sort` by z gives it (the rows' pass sums over rows in that order, so a different tie order changes
 * its float64 sums' bits). Its gradients against TensorFlow.js's are checked in adversarial-step.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rowsSortedByLogit } from './host-adversary.js';

/** The order by a stable comparison sort: row indices of each label value, sorted by z. */
function stableSortOrder(z: Float32Array, labels: Uint8Array, classes: number): number[][] {
  return Array.from({ length: classes }, (_, y) => {
    const rows: number[] = [];
    for (let i = 0; i < z.length; i++) if (classes === 1 || labels[i] === y) rows.push(i);
    return rows.sort((i, j) => z[i] - z[j]);
  });
}

function randomBatch(n: number, seed: number): { z: Float32Array; labels: Uint8Array; groups: Int32Array } {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const z = new Float32Array(n);
  const labels = new Uint8Array(n);
  const groups = new Int32Array(n);
  // Ties (a few repeated values, −0 beside +0), both signs, tiny and huge magnitudes.
  const repeated = [0.5, -0.5, 0, -0, 1e-30, -1e-30, 3e38, -3e38, 7];
  for (let i = 0; i < n; i++) {
    const u = next();
    z[i] = u < 0.3 ? repeated[Math.floor(next() * repeated.length)] : (next() - 0.5) * 10 ** Math.floor(next() * 8 - 4);
    labels[i] = u < 0.6 ? 1 : 0;
    groups[i] = next() < 0.4 ? 1 : 0;
  }
  return { z, labels, groups };
}

describe('host adversary: rows sorted by logit', () => {
  for (const [n, seed] of [[2000, 1], [1, 2], [37, 3], [5000, 4]]) {
    for (const classes of [1, 2]) {
      test(`${n} rows, ${classes === 1 ? 'dp (one list)' : 'eo (per label)'}: the stable sort's order, z and groups beside it`, () => {
        const { z, labels, groups } = randomBatch(n, seed);
        const sorted = rowsSortedByLogit(z, labels, groups, classes);
        const expected = stableSortOrder(z, labels, classes);
        assert.equal(sorted.n, n);
        assert.equal(sorted.byLabel.length, classes);
        assert.equal(sorted.maxLabelRows, Math.max(...expected.map((rows) => rows.length)));
        sorted.byLabel.forEach(({ rows, z: zs, targets }, y) => {
          assert.deepEqual(Array.from(rows), expected[y]);
          assert.deepEqual(Array.from(zs), expected[y].map((i) => z[i]));
          assert.deepEqual(Array.from(targets), expected[y].map((i) => groups[i]));
        });
      });
    }
  }

  test('a view into a larger buffer is read at its own offset', () => {
    const { z, labels, groups } = randomBatch(300, 9);
    const buffer = new Float32Array(z.length + 8).fill(-1e30);
    buffer.set(z, 5);
    const view = buffer.subarray(5, 5 + z.length);
    assert.deepEqual(rowsSortedByLogit(view, labels, groups, 2).byLabel.map((l) => Array.from(l.rows)), stableSortOrder(z, labels, 2));
  });
});
