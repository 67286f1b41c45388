/**
 * The sparse input products (sparse-input-product.ts on wasm/gemm/sparse.ts) against a float64 reference: random
 * shapes (column counts that are and are not multiples of 4) and densities, all-zero rows and columns and an all-zero
 * x included; when they decline (dense x, fast kernel off); bad operands; no data segment in the gemm module.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { fastMatMulVariant, installFastMatMul, setFastMatMulEnabled } from './fast-matmul.js';
import { sparseInputProductCount, sparseInputProducts } from './sparse-input-product.js';
import { assertClose, randomMatrix, reference, sparseMatrix } from './sparse-matrix.test-helper.js';

describe('sparse input products (x·w and xᵀ·g skipping the zeros of x)', () => {
  before(async () => {
    await initBackend();
    installFastMatMul();
  });
  after(() => setFastMatMulEnabled(true));

  test('equal a float64 reference over random shapes and densities, all-zero rows and columns included', () => {
    const rng = new Rng(7);
    // n = 37: two blocks of 16 columns, one of 4 and one column alone.
    const shapes = [[1, 1, 1], [5, 3, 4], [37, 13, 7], [53, 9, 37], [64, 104, 200], [200, 9, 33], [3, 50, 1]];
    for (const [rows, d, n] of shapes) {
      for (const density of [0, 0.02, 0.126, 0.19]) {
        const zeroRows = rows > 2 ? [0, rows - 1] : [];
        const zeroColumns = d > 2 ? [1] : [];
        const xData = sparseMatrix(rng, rows, d, density, zeroRows, zeroColumns);
        const wData = randomMatrix(rng, d, n);
        const gData = randomMatrix(rng, rows, n);
        const label = `[${rows}, ${d}] × ${n}, density ${density}`;
        const counted = sparseInputProductCount();
        tf.tidy(() => {
          const x = tf.tensor2d(xData, [rows, d]);
          const products = sparseInputProducts(x, 0.2);
          assert.ok(products !== null, `${label}: a mostly-zero x takes the sparse products`);
          assertClose(products.times(tf.tensor2d(wData, [d, n])).dataSync() as Float32Array, reference(xData, wData, rows, d, n, false), `${label}, x·w`);
          const transposed = products.transposeTimes(tf.tensor2d(gData, [rows, n]));
          assert.deepEqual(transposed.shape, [d, n]);
          assertClose(transposed.dataSync() as Float32Array, reference(xData, gData, d, rows, n, true), `${label}, xᵀ·g`);
        });
        assert.equal(sparseInputProductCount() - counted, 2, `${label}: both products ran on the sparse kernels`);
      }
    }
  });

  test('decline a dense x, and any x while the fast kernel is off', () => {
    const rng = new Rng(8);
    tf.tidy(() => {
      const x = tf.tensor2d(sparseMatrix(rng, 40, 20, 0.1), [40, 20]);
      const dense = tf.tensor2d(randomMatrix(rng, 40, 20), [40, 20]);
      assert.equal(sparseInputProducts(dense), null);
      assert.ok(sparseInputProducts(x) !== null);
      // The threshold is a share of nonzero entries: below 0.05 declines this x (about 0.1 nonzero).
      assert.equal(sparseInputProducts(x, 0.05), null);
      assert.equal(sparseInputProducts(tf.tensor1d([0, 0, 1])), null);
      setFastMatMulEnabled(false);
      assert.equal(fastMatMulVariant(), null);
      assert.equal(sparseInputProducts(x), null);
      setFastMatMulEnabled(true);
    });
  });

  test('the gemm module that runs them on the backend\'s memory has no data segment (it would overwrite the backend\'s data)', () => {
    const dir = new URL('../../wasm/build/', import.meta.url);
    const files = readdirSync(dir).filter((name) => name.startsWith('gemm-'));
    assert.equal(files.length, 4);
    for (const name of files) {
      const bytes = readFileSync(new URL(name, dir));
      const sections: number[] = [];
      // Sections after the 8-byte header: an id byte, then the size as unsigned LEB128.
      for (let at = 8; at < bytes.length; ) {
        const id = bytes[at++];
        let size = 0;
        for (let shift = 0; ; shift += 7) {
          const byte = bytes[at++];
          size += (byte & 0x7f) * 2 ** shift;
          if ((byte & 0x80) === 0) break;
        }
        sections.push(id);
        at += size;
      }
      assert.ok(sections.includes(10), `${name}: a code section`);
      assert.ok(!sections.includes(11), `${name}: a data section`);
    }
  });

  test('name the operand whose shape does not fit x', () => {
    tf.tidy(() => {
      const products = sparseInputProducts(tf.zeros([6, 4]));
      assert.ok(products !== null);
      assert.throws(() => products.times(tf.zeros([5, 3])), (e: unknown) => e instanceof FairkitError && /x·w: expected a float32 matrix with 4 rows/.test(e.message));
      assert.throws(() => products.transposeTimes(tf.zeros([4, 3])), (e: unknown) => e instanceof FairkitError && /xᵀ·g: expected a float32 matrix with 6 rows/.test(e.message));
      assert.deepEqual([...products.times(tf.ones([4, 3])).dataSync()], new Array(18).fill(0));
    });
  });
});
