import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng.js';
import { relativeError } from './test-support.js';
import { nonzeroShare, SparseFirstLayer } from './mixup-sparse-products.js';

/** A rows × cols matrix with about `share` of its entries nonzero (uniform in [−1, 1]). */
function sparseMatrix(rng: Rng, rows: number, cols: number, share: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => (rng.uniform() < share ? 2 * rng.uniform() - 1 : 0));
}
const denseMatrix = (rng: Rng, size: number) => Float32Array.from({ length: size }, () => 2 * rng.uniform() - 1);

/** a (m × k) · b (k × n) in float64, optionally with a transposed (a stored k × m). */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeA: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    const value = transposeA ? a[p * m + i] : a[i * k + p];
    for (let j = 0; j < n; j++) out[i * n + j] += value * b[p * n + j];
  }
  return out;
}

// n = 37: two 16-wide blocks, one 4-wide, one scalar column; rows with no nonzero at all included (share 0.1, d = 9).
for (const [rows, d, n, share] of [[53, 9, 37, 0.1], [40, 103, 200, 0.13], [7, 5, 3, 0.5]] as const) {
  test(`X·W and Xᵀ·G over the nonzeros of X equal the float64 products (${rows} × ${d} × ${n}, ${share} nonzero)`, () => {
    const rng = new Rng(rows + d + n);
    const products = new SparseFirstLayer(rows, d, n);
    const x = sparseMatrix(rng, rows, d, share);
    products.x.set(x);
    const w = denseMatrix(rng, d * n);
    const g = denseMatrix(rng, rows * n);
    const z = products.rowsTimes(w);
    assert.ok(relativeError(z, reference(x, w, rows, d, n, false)) < 1e-6, 'X·W');
    products.g.set(g);
    assert.ok(relativeError(products.transposeTimes(), reference(x, g, d, rows, n, true)) < 1e-6, 'Xᵀ·G');
  });
}

test('a larger batch after a smaller one grows the memory and stays correct', () => {
  const rng = new Rng(5);
  new SparseFirstLayer(4, 3, 2).rowsTimes(new Float32Array(6));
  const products = new SparseFirstLayer(3000, 103, 200);
  const x = sparseMatrix(rng, 3000, 103, 0.13);
  products.x.set(x);
  const w = denseMatrix(rng, 103 * 200);
  assert.ok(relativeError(products.rowsTimes(w), reference(x, w, 3000, 103, 200, false)) < 1e-6);
});

test('nonzeroShare counts the nonzero entries', () => {
  assert.equal(nonzeroShare(Float32Array.from([0, 1, 0, -2])), 0.5);
  assert.equal(nonzeroShare(new Float32Array(0)), 0);
});
