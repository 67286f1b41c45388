import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { erm } from '../methods/erm.js';
import { gcm } from '../methods/gcm.js';
import { batchFor, modelFor, type PenaltyCase } from '../methods/gradient-penalty.test-helper.js';
import type { Method } from '../train/method.js';
import { oneUpdate } from '../train/update.test-helper.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { fastMatMulVariant, installFastMatMul, setFastMatMulEnabled } from './fast-matmul.js';
import { relativeError } from './relative-error.test-helper.js';

/** Runs `f` with TensorFlow.js's own matMul and with the fast kernel; returns both results. */
function withAndWithout<T>(f: () => T): { reference: T; fast: T } {
  setFastMatMulEnabled(false);
  const reference = f();
  setFastMatMulEnabled(true);
  return { reference, fast: f() };
}

/** A random MLP case (inputs, labels, two groups, weights) with layers wide enough to reach the tiled code paths. */
function randomCase(seed: number): PenaltyCase {
  const rng = new Rng(seed);
  const [inputDim, hidden, nRows] = [13, [24, 9], 37];
  const widths = [inputDim, ...hidden, 1];
  const normal = (n: number, scale: number) => Array.from({ length: n }, () => scale * rng.normal());
  const weights = widths.slice(1).flatMap((width, i) => [
    { shape: [widths[i], width], values: normal(widths[i] * width, 1 / Math.sqrt(widths[i])) },
    { shape: [width], values: normal(width, 0.1) },
  ]);
  return {
    name: `random ${seed}`, activation: 'relu', hidden, nGroups: 2, nRows, inputDim, method: 'gcm',
    params: {}, lambda: 0, weights, x: normal(nRows * inputDim, 1),
    labels: Array.from({ length: nRows }, (_, i) => i % 2), groups: Array.from({ length: nRows }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    taskLoss: 0, penalty: 0, penaltyGrads: [], totalGrads: [],
  };
}

/** The change one plain SGD step (learning rate 1) makes to every weight, i.e. the gradient, and the loss. */
function stepGradient(method: Method<any>, params: Record<string, unknown>, c: PenaltyCase): { update: Float32Array[]; loss: number } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const model = modelFor(c);
  const batch = batchFor(c);
  const train = { y: batch.labels, groups: { keys: ['0', '1'], ids: batch.groups, attributes: [], values: [] } } as never;
  try {
    const before = model.variables.map((v) => v.dataSync().slice() as Float32Array);
    const { total } = oneUpdate(method, { params, model, train, batch });
    return { update: model.variables.map((v, i) => before[i].map((value, j) => value - v.dataSync()[j])), loss: total };
  } finally {
    tf.dispose([batch.x, batch.y]);
    model.dispose();
  }
}

describe('fast matMul (wasm)', () => {
  before(async () => {
    await initBackend('wasm');
    installFastMatMul();
  });
  after(() => setFastMatMulEnabled(true));

  test('chooses relaxed SIMD when V8 accepts it, else plain SIMD', () => {
    assert.ok(['relaxed-simd', 'simd'].includes(fastMatMulVariant() ?? ''), `variant ${fastMatMulVariant()}`);
  });

  test('equals TensorFlow.js\'s kernel to 1e-6 on random shapes, transposes and batch dimensions', () => {
    const dim = fc.integer({ min: 1, max: 40 });
    const shapes = fc.record({ m: dim, k: dim, n: dim, batchA: fc.constantFrom(0, 1, 3), batchB: fc.constantFrom(0, 1, 3), transposeA: fc.boolean(), transposeB: fc.boolean(), seed: fc.nat() });
    fc.assert(
      fc.property(shapes, ({ m, k, n, batchA, batchB, transposeA, transposeB, seed }) => {
        // batch 0 means a plain matrix; 1 and 3 broadcast against each other as TensorFlow.js allows.
        const aShape = [...(batchA ? [batchA] : []), ...(transposeA ? [k, m] : [m, k])];
        const bShape = [...(batchB ? [batchB] : []), ...(transposeB ? [n, k] : [k, n])];
        const { reference, fast } = withAndWithout(() => tf.tidy(() => {
          const a = tf.randomNormal(aShape, 0, 1, 'float32', seed);
          const b = tf.randomNormal(bShape, 0, 1, 'float32', seed + 1);
          const c = tf.matMul(a, b, transposeA, transposeB);
          return { shape: c.shape, values: c.dataSync() };
        }));
        assert.deepEqual(fast.shape, reference.shape);
        const error = relativeError(fast.values, reference.values);
        assert.ok(error < 1e-6, `relative error ${error} for ${JSON.stringify({ aShape, bShape, transposeA, transposeB })}`);
      }),
      { numRuns: 150, seed: 17 },
    );
  });

  test('a product of Adult widths (600 × 100 · 100 × 200) equals TensorFlow.js\'s to 1e-6', () => {
    const { reference, fast } = withAndWithout(() => tf.tidy(() => tf.matMul(tf.randomNormal([600, 100], 0, 1, 'float32', 1), tf.randomNormal([100, 200], 0, 1, 'float32', 2)).dataSync()));
    assert.ok(relativeError(fast, reference) < 1e-6);
  });

  test('the plain-SIMD fallback build computes a product (odd sizes, transposed A) as float64 arithmetic does, to 1e-6', () => {
    const api = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer }; Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, (...args: number[]) => void> } } }).WebAssembly;
    const memory = new api.Memory({ initial: 1 });
    const { gemm } = new api.Instance(new api.Module(readFileSync(new URL('../../wasm/build/gemm-simd.wasm', import.meta.url))), { env: { memory } }).exports;
    // k > 256 crosses a depth slice; n = 8 + 4 + 1 reaches every column path; m = 16 + 4 + 3 every row path (the
    // scalar column 16 rows at a time, as for a transposed A, then 4-row tiles, then single rows).
    const [m, k, n] = [23, 300, 13];
    const heap = new Float32Array(memory.buffer);
    const rng = new Rng(3);
    const [aAt, bAt, cAt] = [0, m * k, m * k + k * n];
    for (let i = 0; i < m * k + k * n; i++) heap[i] = rng.normal();
    gemm(aAt * 4, 1, m, bAt * 4, cAt * 4, m, k, n); // A stored transposed: k × m
    const expected = Array.from({ length: m * n }, (_, at) => {
      const [i, j] = [Math.floor(at / n), at % n];
      let sum = 0;
      for (let p = 0; p < k; p++) sum += heap[aAt + p * m + i] * heap[bAt + p * n + j];
      return sum;
    });
    assert.ok(relativeError(heap.subarray(cAt, cAt + m * n), expected) < 1e-6);
  });

  test('errors stay TensorFlow.js\'s own: mismatched inner sizes', () => {
    setFastMatMulEnabled(true);
    assert.throws(() => tf.tidy(() => tf.matMul(tf.zeros([3, 9]), tf.zeros([8, 10]))), /inner shapes \(9\) and \(8\)/);
  });

  const steps = [
    { method: erm, params: {} },
    // The smooth mismatch: with 'abs', a weighted gradient difference within round-off of 0 may flip its sign.
    { method: gcm, params: { lambda: 0.05, T: 2, mismatch: 'square' } },
  ];
  for (const { method, params } of steps) {
    test(`one ${method.name} training step has the same gradients (1e-6) with and without the kernel, and leaks no tensor`, () => {
      for (const seed of [1, 2]) {
        const c = randomCase(seed);
        const before = tf.memory().numTensors;
        const { reference, fast } = withAndWithout(() => stepGradient(method, params, c));
        assert.equal(tf.memory().numTensors, before);
        assert.ok(Math.abs(fast.loss - reference.loss) <= 1e-6 * Math.abs(reference.loss), `loss ${fast.loss} vs ${reference.loss}`);
        // Over the whole parameter vector to 1e-6; per weight tensor to 1e-5, since the one-element output bias
        // averages no round-off (its difference measured 1.0e-6 for gcm, about eight float32 ulps).
        const all = (updates: Float32Array[]) => Float32Array.from(updates.flatMap((u) => [...u]));
        const overall = relativeError(all(fast.update), all(reference.update));
        assert.ok(overall < 1e-6, `${method.name} seed ${seed}: relative error ${overall} over all weights`);
        fast.update.forEach((update, i) => {
          const error = relativeError(update, reference.update[i]);
          assert.ok(error < 1e-5, `${method.name} seed ${seed}, weight ${i}: relative error ${error}`);
        });
      }
    });
  }
});
