/**
 * Mostly-zero matrices and their float64 products with a float32 error bound, for the tests of the sparse products
 * (sparse-input-product.test.ts, fast-matmul-sparse.test.ts).
 */
import assert from 'node:assert/strict';
import type { Rng } from '../rng.js';

/** x [rows, d] with the given share of nonzeros, rows `zeroRows` and columns `zeroColumns` all zero. */
export function sparseMatrix(rng: Rng, rows: number, d: number, density: number, zeroRows: number[] = [], zeroColumns: number[] = []): Float32Array {
  const x = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++) {
    for (let p = 0; p < d; p++) {
      if (zeroRows.includes(i) || zeroColumns.includes(p) || rng.uniform() >= density) continue;
      x[i * d + p] = rng.uniform() < 0.5 ? 1 : 4 * rng.uniform() - 2;
    }
  }
  return x;
}

export const randomMatrix = (rng: Rng, rows: number, cols: number) => Float32Array.from({ length: rows * cols }, () => 2 * rng.uniform() - 1);

/**
 * a [m, k] (or its transpose, stored [k, m]) times b [k, n] in float64, with the error bound of a float32 sum of k
 * products per element: k·2⁻²⁴·Σ|a·b| (recursive summation, Higham's γ_k; exact zeros where every term is zero).
 */
export function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeA: boolean) {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const ai = transposeA ? a[p * m + i] : a[i * k + p];
      for (let j = 0; j < n; j++) {
        value[i * n + j] += ai * b[p * n + j];
        scale[i * n + j] += Math.abs(ai * b[p * n + j]);
      }
    }
  }
  return { value, bound: scale.map((s) => k * 2 ** -24 * s) };
}

export function assertClose(got: Float32Array, expected: { value: Float64Array; bound: Float64Array }, label: string): void {
  assert.equal(got.length, expected.value.length, label);
  for (let e = 0; e < got.length; e++) {
    assert.ok(Math.abs(got[e] - expected.value[e]) <= expected.bound[e], `${label}: element ${e} is ${got[e]}, expected ${expected.value[e]}`);
  }
}
