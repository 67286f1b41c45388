import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { installFastMatMul, setFastMatMulEnabled, type GemmExports, type WasmBackendInternals } from './fast-matmul.js';
import { fastSumCount, leadingAxes } from './fast-sum.js';
import { WebAssemblyGlobal } from './webassembly.js';

/** TensorFlow.js's own Sum (fast kernels off) and the fast one on the same values; both as bits. */
function bothSums(values: Float32Array, shape: number[], axis: number | number[], keepDims: boolean) {
  const run = () => {
    const x = tf.tensor(values, shape, 'float32');
    const s = tf.sum(x, axis, keepDims);
    const result = { shape: s.shape, bits: new Uint32Array((s.dataSync() as Float32Array).slice().buffer) };
    tf.dispose([x, s]);
    return result;
  };
  setFastMatMulEnabled(false);
  const reference = run();
  setFastMatMulEnabled(true);
  const before = fastSumCount();
  const fast = run();
  return { reference, fast, ran: fastSumCount() - before };
}

/** Values whose float32 sum depends on the order of the additions: large terms that cancel, tiny ones, signed zeros. */
function adversarial(n: number, rng: Rng): Float32Array {
  const pool = [1e8, -1e8, 1, -1, 0.5, 3e-8, -0, 0, 16777216, 1.5, -16777215, 1e-30, 3.4e38, -3.4e38];
  return Float32Array.from({ length: n }, () => pool[Math.floor(rng.uniform() * pool.length)] * (rng.uniform() < 0.3 ? rng.normal() : 1));
}

const SHAPES: number[][] = [[2000, 200], [2000, 1], [1, 7], [1, 1], [7, 1], [9, 3], [5, 35], [13, 33], [37, 64], [3, 4, 5], [6, 2, 3, 2]];

describe('fast Sum (wasm)', () => {
  before(async () => {
    await initBackend('wasm');
    installFastMatMul();
  });
  after(() => setFastMatMulEnabled(true));

  test('names only sets of leading axes', () => {
    assert.equal(leadingAxes(0, [4, 5]), 1);
    assert.equal(leadingAxes([0, 1], [4, 5, 6]), 2);
    assert.equal(leadingAxes([1, 0], [4, 5, 6]), 0);
    assert.equal(leadingAxes(-2, [4, 5]), 1);
    assert.equal(leadingAxes(1, [4, 5]), 0);
    assert.equal(leadingAxes([0, 2], [4, 5, 6]), 0);
  });

  test('equals TensorFlow.js\'s Sum bit for bit over leading axes, random and adversarial values, keepDims either way', () => {
    const rng = new Rng(17);
    for (const shape of SHAPES) {
      const size = shape.reduce((a, b) => a * b, 1);
      for (const values of [Float32Array.from({ length: size }, () => rng.normal() * 1e3), adversarial(size, rng)]) {
        for (let lead = 1; lead < shape.length; lead++) {
          for (const keepDims of [false, true]) {
            const axis = lead === 1 ? 0 : Array.from({ length: lead }, (_, i) => i);
            const { reference, fast, ran } = bothSums(values, shape, axis, keepDims);
            const where = `shape ${shape} axis ${axis} keepDims ${keepDims}`;
            assert.equal(ran, 1, `fast kernel did not run for ${where}`);
            assert.deepEqual(fast.shape, reference.shape, where);
            assert.deepEqual(fast.bits, reference.bits, where);
          }
        }
      }
    }
  });

  test('sums of cancelling terms depend on row order exactly as in TensorFlow.js', () => {
    // Column 0: (1e8 + 1) − 1e8 = 0 in float32; column 1 reversed: (−1e8 + 1e8) + 1 = 1.
    const { reference, fast } = bothSums(Float32Array.from([1e8, -1e8, 1, 1e8, -1e8, 1]), [3, 2], 0, false);
    assert.deepEqual(new Float32Array(reference.bits.buffer), Float32Array.from([0, 1]));
    assert.deepEqual(fast.bits, reference.bits);
  });

  test('leaves other reductions to the original kernel', () => {
    const values = Float32Array.from({ length: 24 }, (_, i) => i);
    for (const [shape, axis] of [[[4, 6], 1], [[4, 6], [0, 1]], [[2, 3, 4], [0, 2]], [[2, 3, 4], [1, 0]], [[24], 0]] as [number[], number | number[]][]) {
      const { reference, fast, ran } = bothSums(values, shape, axis, false);
      assert.equal(ran, 0, `shape ${shape} axis ${axis}`);
      assert.deepEqual(fast.bits, reference.bits);
    }
    const before = fastSumCount();
    tf.tidy(() => tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0).dataSync());
    assert.equal(fastSumCount(), before);
  });

  test('both SIMD builds of the module give the same column sums as TensorFlow.js', () => {
    const backend = tf.backend() as unknown as WasmBackendInternals;
    const memory = backend.wasm.asm?.memory as { buffer: ArrayBuffer };
    const rng = new Rng(5);
    const [rows, cols] = [41, 45];
    const values = adversarial(rows * cols, rng);
    setFastMatMulEnabled(false);
    const expected = tf.tidy(() => tf.sum(tf.tensor(values, [rows, cols]), 0).dataSync().slice() as Float32Array);
    setFastMatMulEnabled(true);
    for (const name of ['gemm-simd.wasm', 'gemm-relaxed-simd.wasm']) {
      const bytes = readFileSync(new URL(`../../wasm/build/${name}`, import.meta.url));
      if (!WebAssemblyGlobal.validate(bytes)) continue;
      const module = new WebAssemblyGlobal.Module(bytes);
      const kernel = new WebAssemblyGlobal.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
      const x = backend.wasm._malloc(4 * rows * cols);
      const out = backend.wasm._malloc(4 * cols);
      try {
        new Float32Array(memory.buffer, x, rows * cols).set(values);
        kernel.columnSums(x, out, rows, cols);
        const got = new Float32Array(memory.buffer, out, cols).slice();
        assert.deepEqual(new Uint32Array(got.buffer), new Uint32Array(expected.buffer), name);
      } finally {
        backend.wasm._free(x);
        backend.wasm._free(out);
      }
    }
  });
});
