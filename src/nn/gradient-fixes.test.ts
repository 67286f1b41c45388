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

// Values with exact zeros (Relu's step at 0), negatives and a −0.
const Y = [
  [0.5, -1.25, 0, 3, -0, 2.5],
  [-0.75, 1.5, 4, -2, 0.125, -3],
  [2, 0, -0.5, 1, -1, 0.25],
];

/** First and second derivatives of f at Y (the second through the gradient's sum of squares), as numbers. */
function firstAndSecond(f: (x: tf.Tensor) => tf.Tensor): number[][] {
  return tf.tidy(() => {
    const weights = tf.tensor2d(Y.map((row) => row.map((_, j) => 0.3 * j - 0.7)));
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(f(x), weights));
    const first = tf.grad(loss);
    const second = tf.grad((x: tf.Tensor) => tf.sum(tf.square(first(tf.mul(x, x)))));
    return [Array.from(first(tf.tensor2d(Y)).dataSync()), Array.from(second(tf.tensor2d(Y)).dataSync())];
  });
}

for (const [name, f] of [
  ['Sum over rows, dims kept', (x: tf.Tensor) => tf.sum(tf.mul(x, x), 1, true)],
  ['Sum over columns', (x: tf.Tensor) => tf.sum(tf.mul(x, x), 0)],
  ['Sum over everything', (x: tf.Tensor) => tf.sum(tf.mul(x, x))],
  ['Relu', (x: tf.Tensor) => tf.relu(tf.mul(x, tf.sub(x, 1)))],
] as const) {
  test(`${name}: the replacement gradient equals TensorFlow.js's own bit for bit, first and second order`, () => {
    registerGradientFixes();
    const replaced = firstAndSecond(f);
    restoreStockGradients();
    const stock = firstAndSecond(f);
    registerGradientFixes();
    // Object.is tells −0 from 0: the same bits, not merely equal values.
    replaced.flat().forEach((value, i) => assert.ok(Object.is(value, stock.flat()[i]), `entry ${i}: ${value} vs ${stock.flat()[i]}`));
  });
}

test("Relu's and Sum's replacement gradients run no Cast kernel and fill Sum's ones on the backend", async () => {
  registerGradientFixes();
  const x = tf.tensor2d(Y);
  const profile = await tf.profile(() => tf.dispose(tf.grad((v: tf.Tensor) => tf.sum(tf.relu(v), 1))(x)));
  x.dispose();
  const names = profile.kernels.map((kernel) => kernel.name);
  assert.ok(!names.includes('Cast'), `kernels: ${names.join(', ')}`);
  assert.ok(names.includes('Fill'), `kernels: ${names.join(', ')}`);
});
