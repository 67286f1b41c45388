/**
 * HostAdam against tf.train.adam on the wasm backend: the same variables, the same gradients (of very different sizes,
 * zeros included), several steps with a learning rate changed between steps as a schedule would: every value of every
 * variable equal bit for bit after each step.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { Rng } from '../rng.js';
import { asTfAdam, HostAdam } from '../nn/host-adam.js';

before(async () => {
  await initBackend('wasm');
});

const SHAPES = [[7, 5], [5], [5, 3], [3]];

function variables(seed: number): tf.Variable[] {
  const rng = new Rng(seed);
  return SHAPES.map((shape) => tf.variable(tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape)));
}

/** A loss whose gradients span magnitudes from 1e-8 to 1e3 and include exact zeros (ReLU). */
function loss(vars: tf.Variable[], x: tf.Tensor2D): tf.Scalar {
  const h = tf.relu(tf.add(tf.matMul(x, vars[0] as tf.Tensor2D), vars[1]));
  const out = tf.add(tf.matMul(h, vars[2] as tf.Tensor2D), vars[3]);
  return tf.add(tf.mul(1e3, tf.mean(tf.square(out))), tf.mul(1e-8, tf.sum(vars[3]))) as tf.Scalar;
}

test('HostAdam: updates bit-identical to tf.train.adam over steps with a changing learning rate', () => {
  const rng = new Rng(11);
  const x = tf.tensor2d(Float32Array.from({ length: 40 * 7 }, () => rng.normal()), [40, 7]);
  const reference = variables(5);
  const hosted = variables(5);
  const adam = tf.train.adam(1e-3);
  const host = HostAdam.like(adam, hosted);
  try {
    for (let step = 0; step < 6; step++) {
      const rate = step < 3 ? 1e-3 : 3e-2 / (step + 1);
      (adam as unknown as { learningRate: number }).learningRate = rate;
      host.learningRate = rate;
      const expected = adam.minimize(() => loss(reference, x), true, reference)!;
      const got = host.minimize(() => loss(hosted, x));
      assert.equal(got.dataSync()[0], expected.dataSync()[0], `loss at step ${step}`);
      tf.dispose([got, expected]);
      reference.forEach((v, i) => assert.deepEqual(hosted[i].dataSync(), v.dataSync(), `variable ${i} after step ${step}`));
    }
  } finally {
    tf.dispose([x, ...reference, ...hosted]);
    adam.dispose();
  }
});

test('HostAdam: a variable without a gradient stays unchanged', () => {
  const [used, unused] = [tf.variable(tf.tensor1d([1, -2, 3])), tf.variable(tf.tensor1d([4, 5]))];
  const host = new HostAdam([used, unused], 0.1);
  try {
    host.minimize(() => tf.sum(tf.square(used))).dispose();
    assert.deepEqual(Array.from(unused.dataSync()), [4, 5]);
    assert.notDeepEqual(Array.from(used.dataSync()), [1, -2, 3]);
  } finally {
    tf.dispose([used, unused]);
  }
});

test('asTfAdam: only tf.train.adam, not the optimisers instanceof also accepts', () => {
  const optimizers = [tf.train.adam(0.1), tf.train.sgd(0.1), tf.train.momentum(0.1, 0.9), tf.train.adamax(0.1)];
  try {
    assert.ok(tf.train.sgd(0.1) instanceof tf.AdamOptimizer, 'TensorFlow.js answers instanceof by duck typing (else this test is moot)');
    assert.deepEqual(optimizers.map((o) => asTfAdam(o) !== null), [true, false, false, false]);
  } finally {
    for (const o of optimizers) o.dispose();
  }
});
