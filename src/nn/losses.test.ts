import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import { bceWithLogits, regressionLoss } from './losses.js';

/** −y·log σ(z) − (1−y)·log(1−σ(z)) in float64, with log σ(z) = −log1p(e^−z) written stably. */
function referenceBce(z: number, y: number): number {
  const logSigmoid = (t: number) => (t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t)));
  return -y * logSigmoid(z) - (1 - y) * logSigmoid(-z);
}

const logits = [-60, -3.5, -0.2, 0, 0.7, 2.5, 45];
const labels = [0, 1, 0, 1, 1, 0, 1];
const weights = [1, 2, 0.5, 0, 3, 1, 0.25];

before(async () => {
  await initBackend('wasm');
});

test('bceWithLogits is the mean log loss, finite for extreme logits', () => {
  const expected = logits.reduce((s, z, i) => s + referenceBce(z, labels[i]), 0) / logits.length;
  const got = tf.tidy(() => bceWithLogits(tf.tensor2d(logits, [logits.length, 1]), tf.tensor1d(labels)).dataSync()[0]);
  assert.ok(Number.isFinite(got));
  assert.ok(Math.abs(got - expected) / expected < 1e-6, `${got} vs ${expected}`);
});

test('bceWithLogits with weights is the mean of w·loss', () => {
  const expected = logits.reduce((s, z, i) => s + weights[i] * referenceBce(z, labels[i]), 0) / logits.length;
  const got = tf.tidy(() =>
    bceWithLogits(tf.tensor1d(logits), tf.tensor1d(labels), tf.tensor1d(weights)).dataSync()[0],
  );
  assert.ok(Math.abs(got - expected) / expected < 1e-6, `${got} vs ${expected}`);
});

test('bceWithLogits gradient is (σ(z) − y)/n', () => {
  const grad = tf.tidy(() => tf.grad((z: tf.Tensor) => bceWithLogits(z, tf.tensor1d(labels)))(tf.tensor1d(logits)).dataSync());
  logits.forEach((z, i) => {
    const expected = (1 / (1 + Math.exp(-z)) - labels[i]) / logits.length;
    assert.ok(Math.abs(grad[i] - expected) < 1e-7, `row ${i}: ${grad[i]} vs ${expected}`);
  });
});

test('regression losses: squared error and Huber against their closed forms, weighted; Huber second derivative is exact', () => {
  const outputs = [-3, -1.2, -0.4, 0, 0.3, 2.2, 5];
  const targets = [0.5, -1, 0.4, 0, -0.6, 0.1, 1];
  const huber = (e: number, delta: number) => (Math.abs(e) <= delta ? 0.5 * e * e : delta * Math.abs(e) - 0.5 * delta * delta);
  for (const delta of [0.5, 1, 2]) {
    const expected = outputs.reduce((s, o, i) => s + weights[i] * huber(o - targets[i], delta), 0) / outputs.length;
    const got = tf.tidy(() => regressionLoss(tf.tensor2d(outputs, [outputs.length, 1]), tf.tensor1d(targets), 'huber', delta, tf.tensor1d(weights)).dataSync()[0]);
    assert.ok(Math.abs(got - expected) < 1e-6 * Math.max(1, expected), `δ ${delta}: ${got} vs ${expected}`);
  }
  const mse = outputs.reduce((s, o, i) => s + (o - targets[i]) ** 2, 0) / outputs.length;
  const gotMse = tf.tidy(() => regressionLoss(tf.tensor1d(outputs), tf.tensor1d(targets), 'mse').dataSync()[0]);
  assert.ok(Math.abs(gotMse - mse) < 1e-6 * mse, `${gotMse} vs ${mse}`);
  // d²/do² of Huber is 1 inside |e| < δ and 0 outside (mean over one row each).
  for (const [o, t, curvature] of [[0.3, 0, 1], [3, 0, 0], [-2.5, 0, 0]] as const) {
    const second = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.grad((y: tf.Tensor) => regressionLoss(y, tf.tensor1d([t]), 'huber', 1))(x).sum())(tf.tensor1d([o])).dataSync()[0]);
    assert.ok(Math.abs(second - curvature) < 1e-6, `output ${o}: second derivative ${second}`);
  }
});
