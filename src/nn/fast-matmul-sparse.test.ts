/**
 * The fast matMul kernel's dispatch of mostly-zero left operands to wasm/gemm/sparse.ts (fast-matmul.ts): which path
 * each product takes, results against float64 and bit for bit against the GEMM (both SIMD builds, loaded directly),
 * the density cache against reused data ids and memory, and countNonzero.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import {
  fastMatMulCount, fastMatMulSparseCount, installFastMatMul, setFastMatMulEnabled, setSparseDispatch, sparseFits,
  type GemmExports, type WasmBackendInternals,
} from './fast-matmul.js';
import { assertClose, randomMatrix, reference, sparseMatrix } from './sparse-matrix.test-helper.js';
import { WebAssemblyGlobal } from './webassembly.js';

/** tf.matMul(a, b, transposeA) with a stored as given; returns the values and which path the fast kernel took. */
function multiply(a: Float32Array, aShape: [number, number], b: Float32Array, bShape: [number, number], transposeA: boolean) {
  const [products, sparse] = [fastMatMulCount(), fastMatMulSparseCount()];
  const values = tf.tidy(() => tf.matMul(tf.tensor2d(a, aShape), tf.tensor2d(b, bShape), transposeA, false).dataSync() as Float32Array);
  assert.equal(fastMatMulCount() - products, 1, 'the fast kernel computed the product');
  return { values, sparse: fastMatMulSparseCount() - sparse === 1 };
}

describe('fast matMul: mostly-zero left operands skip their zeros', () => {
  before(async () => {
    await initBackend('wasm');
    installFastMatMul();
  });
  after(() => {
    setFastMatMulEnabled(true);
    setSparseDispatch(true);
  });

  test('a one-hot batch goes to the sparse kernels (x·W and xᵀ·dZ), a dense one to the GEMM; both equal float64', () => {
    const rng = new Rng(5);
    const [rows, d, n] = [300, 104, 200];
    const w = randomMatrix(rng, d, n);
    const g = randomMatrix(rng, rows, n);
    for (const [density, sparse] of [[0.126, true], [0.5, false]] as const) {
      const x = sparseMatrix(rng, rows, d, density, [0], [3]);
      const forward = multiply(x, [rows, d], w, [d, n], false);
      assert.equal(forward.sparse, sparse, `x·W at density ${density}`);
      assertClose(forward.values, reference(x, w, rows, d, n, false), `x·W at density ${density}`);
      const backward = multiply(x, [rows, d], g, [rows, n], true);
      assert.equal(backward.sparse, sparse, `xᵀ·dZ at density ${density}`);
      assertClose(backward.values, reference(x, g, d, rows, n, true), `xᵀ·dZ at density ${density}`);
    }
  });

  test('equals the GEMM bit for bit wherever it is taken; products it does not fit stay on the GEMM', () => {
    const rng = new Rng(6);
    // k > 256 crosses the GEMM's depth slices; n = 1, 3, 13 reach its matrix-vector and leftover-column paths.
    for (const [m, k, n] of [[200, 103, 200], [300, 300, 13], [200, 100, 3], [200, 100, 1], [64, 600, 8]]) {
      for (const transposeA of [false, true]) {
        const a = sparseMatrix(rng, transposeA ? k : m, transposeA ? m : k, 0.1);
        const b = randomMatrix(rng, k, n);
        const aShape: [number, number] = transposeA ? [k, m] : [m, k];
        const dispatched = multiply(a, aShape, b, [k, n], transposeA);
        assert.equal(dispatched.sparse, sparseFits(1, transposeA, false, m, k, n), `${m}×${k}×${n} transposeA ${transposeA}`);
        setSparseDispatch(false);
        const gemm = multiply(a, aShape, b, [k, n], transposeA);
        setSparseDispatch(true);
        assert.equal(gemm.sparse, false);
        assert.deepEqual(dispatched.values, gemm.values, `${m}×${k}×${n} transposeA ${transposeA}`);
      }
    }
  });

  test('small, batched and B-transposed products are not checked for zeros', () => {
    const rng = new Rng(8);
    const sparse = [
      multiply(sparseMatrix(rng, 20, 30, 0.1), [20, 30], randomMatrix(rng, 30, 8), [30, 8], false).sparse,
      tf.tidy(() => {
        const before = fastMatMulSparseCount();
        tf.matMul(tf.tensor2d(sparseMatrix(rng, 300, 104, 0.1), [300, 104]), tf.tensor2d(randomMatrix(rng, 8, 104), [8, 104]), false, true).dataSync();
        tf.matMul(tf.tensor3d(sparseMatrix(rng, 600, 104, 0.1), [2, 300, 104]), tf.tensor3d(randomMatrix(rng, 208, 8), [2, 104, 8])).dataSync();
        return fastMatMulSparseCount() !== before;
      }),
    ];
    assert.deepEqual(sparse, [false, false]);
  });

  test('a density is never reused for other values: not after the data id is written again, nor at reused memory', () => {
    const rng = new Rng(9);
    const [rows, d, n] = [300, 104, 8];
    const backend = tf.backend() as unknown as WasmBackendInternals & { move(id: object, v: Float32Array, s: number[], t: string, r: number): void };
    const w = tf.tensor2d(randomMatrix(rng, d, n), [d, n]);
    const pathFor = (x: tf.Tensor) => {
      const before = fastMatMulSparseCount();
      tf.matMul(x, w).dispose();
      return fastMatMulSparseCount() !== before;
    };
    const x = tf.tensor2d(sparseMatrix(rng, rows, d, 0.1), [rows, d]);
    const { dataId } = x;
    const offset = backend.dataIdMap.get(dataId).memoryOffset;
    assert.equal(pathFor(x), true);
    x.dispose();
    // Memory freed and taken again by a tensor of the same size: the same address, dense values.
    const dense = tf.tensor2d(sparseMatrix(rng, rows, d, 0.9), [rows, d]);
    assert.equal(backend.dataIdMap.get(dense.dataId).memoryOffset, offset, 'the allocator reused the address (else this case tests nothing)');
    assert.equal(pathFor(dense), false);
    dense.dispose();
    // The disposed tensor's data id written again (as TensorFlow.js does when it moves data between backends).
    backend.move(dataId, sparseMatrix(rng, rows, d, 0.9), [rows, d], 'float32', 1);
    const again = tf.engine().makeTensorFromDataId(dataId, [rows, d], 'float32');
    assert.equal(pathFor(again), false);
    tf.dispose([again, w]);
  });
});

describe('sparse.ts against the GEMM, each SIMD build on a memory of its own', () => {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  for (const build of ['simd', 'relaxed-simd']) {
    const bytes = readFileSync(new URL(`../../wasm/build/gemm-${build}.wasm`, import.meta.url));
    test(`${build}: bit for bit where sparseFits says so; countNonzero counts NaN and not −0`, { skip: !WebAssemblyGlobal.validate(bytes) && 'V8 rejects relaxed SIMD' }, () => {
      const memory = new WebAssemblyGlobal.Memory({ initial: 64 });
      const kernel = new WebAssemblyGlobal.Instance(new WebAssemblyGlobal.Module(bytes), { env: { memory } }).exports as unknown as GemmExports;
      const heap = new Float32Array((memory as unknown as { buffer: ArrayBuffer }).buffer);
      const rng = new Rng(10);
      for (const [m, k, n] of [[203, 103, 200], [37, 513, 12], [130, 140, 2], [129, 150, 5], [64, 300, 36], [50, 77, 23], [90, 40, 16]]) {
        for (const transposeA of [false, true]) {
          if (!sparseFits(1, transposeA, false, m, k, n)) continue;
          heap.set(sparseMatrix(rng, transposeA ? k : m, transposeA ? m : k, 0.12), 0);
          heap.set(randomMatrix(rng, k, n), m * k);
          const [a, b, viaGemm, viaSparse] = [0, m * k, m * k + k * n, m * k + k * n + m * n].map((at) => at * 4);
          kernel.gemm(a, transposeA ? 1 : k, transposeA ? m : 1, b, viaGemm, m, k, n);
          if (transposeA) kernel.sparseTransposeTimes(a, b, viaSparse, k, m, n);
          else kernel.sparseRowsTimes(a, b, viaSparse, m, k, n);
          const label = `${build} ${m}×${k}×${n} transposeA ${transposeA}`;
          const gemmResult = heap.slice(viaGemm / 4, viaGemm / 4 + m * n);
          assert.deepEqual(heap.slice(viaSparse / 4, viaSparse / 4 + m * n), gemmResult, label);
          if (transposeA) continue;
          // The listed x·w, its scratch (8·k bytes) after the outputs, filled with garbage: it must not depend on it.
          const viaListed = viaSparse + m * n * 4;
          const scratch = viaListed + m * n * 4;
          heap.fill(NaN, scratch / 4, scratch / 4 + 2 * k);
          kernel.sparseRowsTimesListed(a, b, viaListed, m, k, n, scratch);
          assert.deepEqual(heap.slice(viaListed / 4, viaListed / 4 + m * n), gemmResult, `${label} (listed)`);
        }
      }
      const values = Float32Array.from({ length: 1003 }, (_, i) => [0, -0, NaN, 1, -2.5][(i * 7) % 5]);
      heap.set(values, 0);
      assert.equal(kernel.countNonzero(0, values.length), values.filter((v) => v !== 0).length);
      assert.equal(kernel.countNonzero(4, 6), values.slice(1, 7).filter((v) => v !== 0).length);
    });
  }
});
