import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend, switchBackend, type BackendName } from './backend.js';
import { bceWithLogits } from './losses.js';
import { buildMlp, type Mlp, type MlpConfig } from './mlp.js';
import { DEFAULT_PREDICT_BATCH, predictHead, predictProba } from './predict.js';

const N_ROWS = 256;
const INPUT_DIM = 12;

function randomData(seed: number) {
  const rng = new Rng(seed);
  const X = new Float32Array(N_ROWS * INPUT_DIM).map(() => rng.normal());
  const y = new Float32Array(N_ROWS).map((_, i) => (X[i * INPUT_DIM] + 0.5 * rng.normal() > 0 ? 1 : 0));
  return { X, y };
}

function weightsOf(model: Mlp): Float32Array[] {
  return model.variables.map((v) => v.dataSync() as Float32Array);
}

/** A few Adam steps with dropout, plus a GCM-style double-backprop step; returns the optimiser. */
function train(model: Mlp, steps: number, seed: number): tf.Optimizer {
  const optimizer = tf.train.adam(0.01);
  const { X, y } = randomData(seed);
  const rng = new Rng(seed + 1);
  for (let step = 0; step < steps; step++) trainStep(model, optimizer, X, y, rng.int(2 ** 31));
  return optimizer;
}

function trainStep(model: Mlp, optimizer: tf.Optimizer, X: Float32Array, y: Float32Array, stepSeed: number): void {
  tf.tidy(() => {
    const x = tf.tensor2d(X, [N_ROWS, INPUT_DIM]);
    const labels = tf.tensor1d(y);
    const lossOf = () => bceWithLogits(model.apply(x, { training: true, stepSeed }), labels);
    optimizer.minimize(lossOf, false, model.variables);
    const { grads } = tf.variableGrads(() => {
      const inner = tf.variableGrads(lossOf, [model.variables[0]]);
      return tf.add(lossOf(), tf.sum(tf.square(inner.grads[model.variables[0].name])));
    }, model.variables);
    optimizer.applyGradients(grads);
  });
}

const config: MlpConfig = { inputDim: INPUT_DIM, hidden: [16, 8], activation: 'relu', dropout: 0.2, seed: 7 };

for (const backend of ['wasm', 'cpu'] as BackendName[]) {
  describe(`MLP on ${backend}`, () => {
    before(async () => {
      await initBackend('wasm');
      await switchBackend(backend);
    });

    test('same seed → identical weights, training and predictions; different seed → different', () => {
      const { X } = randomData(99);
      const [a, b, c] = [config, config, { ...config, seed: 8 }].map((cfg) => buildMlp(cfg));
      assert.deepEqual(weightsOf(a), weightsOf(b));
      assert.notDeepEqual(weightsOf(a), weightsOf(c));
      for (const model of [a, b, c]) train(model, 3, 5).dispose();
      assert.deepEqual(weightsOf(a), weightsOf(b));
      assert.deepEqual(predictProba(a, { X: X, nRows: N_ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }), predictProba(b, { X: X, nRows: N_ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }));
      assert.notDeepEqual(predictProba(a, { X: X, nRows: N_ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }), predictProba(c, { X: X, nRows: N_ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }));
      for (const model of [a, b, c]) model.dispose();
    });

    test('tensor count stays flat across training steps and predictions', () => {
      const model = buildMlp(config);
      const { X, y } = randomData(3);
      const optimizer = tf.train.adam(0.01);
      trainStep(model, optimizer, X, y, 1); // creates Adam's slot variables
      const baseline = tf.memory().numTensors;
      for (let step = 2; step < 8; step++) {
        trainStep(model, optimizer, X, y, step);
        predictProba(model, { X: X, nRows: N_ROWS }, { batchSize: 100 });
        assert.equal(tf.memory().numTensors, baseline, `after step ${step}`);
      }
      optimizer.dispose();
      model.dispose();
    });

    test('building and disposing a model leaves no tensor behind', () => {
      const before = tf.memory().numTensors;
      buildMlp(config).dispose();
      assert.equal(tf.memory().numTensors, before);
    });
  });
}

describe('MLP construction and prediction', () => {
  before(async () => {
    await initBackend('wasm');
    await switchBackend('wasm');
  });

  test('weights are named and shaped [in, out], drawn from U(±1/√fan_in) as PyTorch nn.Linear', () => {
    const model = buildMlp({ inputDim: 300, hidden: [200], activation: 'tanh', seed: 1 });
    assert.deepEqual(
      model.weights.map((w) => [w.name, w.variable.shape]),
      [
        ['dense0/kernel', [300, 200]],
        ['dense0/bias', [200]],
        ['dense1/kernel', [200, 1]],
        ['dense1/bias', [1]],
      ],
    );
    const kernel = model.variables[0].dataSync() as Float32Array;
    const bound = 1 / Math.sqrt(300);
    const mean = kernel.reduce((s, v) => s + v, 0) / kernel.length;
    const variance = kernel.reduce((s, v) => s + v * v, 0) / kernel.length - mean * mean;
    assert.ok(kernel.every((v) => Math.abs(v) <= bound));
    assert.ok(Math.abs(mean) < 0.01 * bound, `mean ${mean}`);
    // Uniform(−b, b) has variance b²/3; 60,000 draws put the estimate within ~1%.
    assert.ok(Math.abs(variance / (bound * bound / 3) - 1) < 0.02, `variance ratio ${variance / (bound * bound / 3)}`);
    model.dispose();
  });

  test('dropout zeroes about `rate` of the hidden units and rescales the rest by 1/(1−rate)', () => {
    // With identity-like weights the effect of the mask is visible in the output: one hidden unit
    // feeding the output through weight 1 gives logits h·mask.
    const model = buildMlp({ inputDim: 1, hidden: [1], activation: 'relu', dropout: 0.3, seed: 1 });
    model.variables[0].assign(tf.ones([1, 1]));
    model.variables[1].assign(tf.zeros([1]));
    model.variables[2].assign(tf.ones([1, 1]));
    model.variables[3].assign(tf.zeros([1]));
    const x = tf.ones([20000, 1]) as tf.Tensor2D;
    const out = tf.tidy(() => model.apply(x, { training: true, stepSeed: 11 }).dataSync());
    const zeros = out.filter((v) => v === 0).length / out.length;
    assert.ok(Math.abs(zeros - 0.3) < 0.015, `dropped fraction ${zeros}`);
    assert.ok(out.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
    const again = tf.tidy(() => model.apply(x, { training: true, stepSeed: 11 }).dataSync());
    assert.deepEqual(again, out);
    assert.ok(tf.tidy(() => model.apply(x).dataSync()).every((v) => v === 1), 'no dropout outside training');
    assert.throws(() => model.apply(x, { training: true }), /stepSeed/);
    tf.dispose(x);
    model.dispose();
  });

  test('predictProba agrees with sigmoid of apply, in batches of any size', () => {
    const model = buildMlp({ ...config, dropout: 0 });
    const { X } = randomData(4);
    const direct = tf.tidy(() => tf.sigmoid(model.apply(tf.tensor2d(X, [N_ROWS, INPUT_DIM]))).dataSync());
    assert.deepEqual(predictProba(model, { X: X, nRows: N_ROWS }, { batchSize: 37 }), direct);
    const logits = predictHead(model, { X: X, nRows: N_ROWS }, { batchSize: 100 });
    logits.forEach((z, i) => assert.ok(Math.abs(1 / (1 + Math.exp(-z)) - direct[i]) < 1e-6));
    assert.throws(() => predictProba(model, { X: X, nRows: N_ROWS + 1 }, { batchSize: DEFAULT_PREDICT_BATCH }), FairkitError);
    model.dispose();
  });

  test('bad configs give FairkitErrors naming the field', () => {
    const bad: [Partial<MlpConfig>, RegExp][] = [
      [{ inputDim: 0 }, /inputDim/],
      [{ hidden: [4, -1] }, /hidden/],
      [{ activation: 'swish' as never }, /activation "swish"/],
      [{ dropout: 1 }, /dropout/],
      [{ outputDim: 1.5 }, /outputDim/],
      [{ seed: 0.5 }, /seed/],
    ];
    for (const [change, message] of bad) {
      assert.throws(() => buildMlp({ ...config, ...change }), (e: unknown) => e instanceof FairkitError && message.test(e.message));
    }
  });
});
