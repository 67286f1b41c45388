import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import { registerGradientFixes, restoreStockGradients } from './gradient-fixes.js';

// Rows with ties for the maximum (row 0: two, row 2: all three) and negative values.
const X = [
  [1, 3, 3],
  [-2, -1, -5],
  [0.5, 0.5, 0.5],
  [4, -4, 2],
];
const DY = [0.7, -1.3, 2.1, 0.25];

/** In float32, d Σ_i dy_i · max_j x_ij / dx: dy_i at every position equal to its row's maximum (ties all get it), else 0. */
function maxGradientByDefinition(): number[][] {
  return X.map((row, i) => row.map((value) => (value === Math.max(...row) ? Math.fround(DY[i]) : 0)));
}

const maxGradient = (keepDims: boolean) =>
  tf.tidy(() => {
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.max(x, 1, keepDims), keepDims ? tf.tensor2d(DY, [4, 1]) : tf.tensor1d(DY))))(tf.tensor2d(X));
    // + 0 turns −0 (dy < 0 times a 0 mask) into 0.
    return (gradient.arraySync() as number[][]).map((row) => row.map((value) => value + 0));
  });

before(async () => {
  await initBackend('wasm');
});

test("Max's replacement gradient is dy wherever x equals its row's maximum, with or without kept dimensions", () => {
  registerGradientFixes();
  assert.deepEqual(maxGradient(false), maxGradientByDefinition());
  assert.deepEqual(maxGradient(true), maxGradientByDefinition());
});

test("Max's replacement gradient gives logSumExp the same gradient as TensorFlow.js's own, bit for bit", () => {
  const logSumExpGradient = () => tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(tf.logSumExp(x, 1)))(tf.tensor2d(X)).dataSync()));
  registerGradientFixes();
  const replaced = logSumExpGradient();
  restoreStockGradients();
  const stock = logSumExpGradient();
  registerGradientFixes();
  assert.deepEqual(replaced, stock);
});
