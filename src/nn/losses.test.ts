import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import { bceWithLogits } from './losses.js';

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
