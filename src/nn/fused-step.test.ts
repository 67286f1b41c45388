import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { FusedMlpStep, SPARSE_INPUT_BELOW, type FusedLoss } from './fused-step.js';
import { bceWithLogits, regressionLoss } from './losses.js';
import { createMlp, type Mlp } from './mlp.js';
import { relativeError } from './relative-error.test-helper.js';
import fixture from './fixtures/fused_step.json' with { type: 'json' };

interface TorchCase {
  name: string;
  loss: FusedLoss;
  hidden: number[];
  inputDim: number;
  nRows: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weights: number[][];
  x: number[];
  y: number[];
  rowWeights: number[];
  value: number;
  grads: number[][];
  afterTwoSteps: number[][];
}
const torchCases = fixture.cases as TorchCase[];

const flat = (arrays: ArrayLike<number>[]) => arrays.flatMap((a) => Array.from(a));
const allRows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/**
 * A random ReLU MLP and weighted batch with odd sizes, so every SIMD loop's leftover path runs; `density` is the
 * share of nonzero inputs (below SPARSE_INPUT_BELOW the first layer skips zeros instead of running the GEMM).
 */
function randomCase(seed: number, loss: FusedLoss, density = 1) {
  const rng = new Rng(seed);
  const [inputDim, hidden, nRows] = [13, [26, 9], 37];
  const widths = [inputDim, ...hidden, 1];
  const normal = (n: number, scale: number) => Float32Array.from({ length: n }, () => scale * rng.normal());
  const weights = widths.slice(1).flatMap((width, i) => [normal(widths[i] * width, 1 / Math.sqrt(widths[i])), normal(width, 0.1)]);
  const targets = loss === 'bce' ? Float32Array.from({ length: nRows }, (_, i) => i % 2) : normal(nRows, 1);
  const rowWeights = Float32Array.from({ length: nRows }, () => 0.25 + 1.75 * rng.uniform());
  const x = normal(nRows * inputDim, 1).map((value) => (rng.uniform() < density ? value : 0));
  return { inputDim, hidden, nRows, weights, x, targets, rowWeights };
}

function tfjsModel(inputDim: number, hidden: number[], weights: Float32Array[]): Mlp {
  return createMlp({ kind: 'mlp', inputDim, hidden, activation: 'relu', dropout: 0, outputDim: 1, seed: 0 }, weights);
}

/** The task loss and its gradients through TensorFlow.js, as the training loop builds them. */
function tfjsGradients(model: Mlp, c: ReturnType<typeof randomCase>, loss: FusedLoss): { value: number; grads: tf.Tensor[] } {
  let value = NaN;
  const grads = tf.tidy(() => {
    const x = tf.tensor2d(c.x, [c.nRows, c.inputDim]);
    const targets = tf.tensor1d(c.targets);
    const w = tf.tensor1d(c.rowWeights);
    const result = tf.variableGrads(() => {
      const logits = model.forward({ x }, { training: true }).logits;
      return loss === 'bce' ? bceWithLogits(logits, targets, w) : regressionLoss(logits, targets, 'mse', 1, w);
    }, model.variables);
    value = result.value.dataSync()[0];
    return model.variables.map((v) => result.grads[v.name]);
  });
  return { value, grads };
}

describe('fused MLP step', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const loss of ['bce', 'mse'] as const) {
    test(`${loss}: loss and gradients equal TensorFlow.js's on the same weights and batch (1e-6 relative)`, () => {
      // Seeds 1–3 dense inputs (tiled GEMM), 4–5 one in ten nonzero (the zero-skipping first layer).
      for (const [seed, density] of [[1, 1], [2, 1], [3, 1], [4, SPARSE_INPUT_BELOW / 2], [5, SPARSE_INPUT_BELOW / 2]]) {
        const c = randomCase(seed, loss, density);
        const model = tfjsModel(c.inputDim, c.hidden, c.weights);
        const reference = tfjsGradients(model, c, loss);
        const fused = new FusedMlpStep({ inputDim: c.inputDim, hidden: c.hidden }, c.weights, loss, c.nRows, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
        fused.setBatch(c.x, allRows(c.nRows), c.targets, c.rowWeights);
        const value = fused.forwardBackward();
        assert.ok(Math.abs(value - reference.value) <= 1e-6 * Math.abs(reference.value), `loss ${value} vs ${reference.value}`);
        const expected = reference.grads.map((g) => g.dataSync());
        const error = relativeError(flat(fused.gradients()), flat(expected));
        assert.ok(error <= 1e-6, `seed ${seed}: gradient relative error ${error}`);
        tf.dispose(reference.grads);
        model.dispose();
      }
    });
  }

  test("Adam updates equal tf.train.adam's on the same gradients, over three steps (bias correction included)", () => {
    const c = randomCase(4, 'bce');
    const model = tfjsModel(c.inputDim, c.hidden, c.weights);
    const optimizer = tf.train.adam(0.01);
    const fused = new FusedMlpStep({ inputDim: c.inputDim, hidden: c.hidden }, c.weights, 'bce', c.nRows, { beta1: 0.9, beta2: 0.999, epsilon: tf.backend().epsilon() });
    for (let step = 0; step < 3; step++) {
      // Each step moves the batch, so the moments see different gradients.
      fused.setBatch(c.x, allRows(c.nRows - step), c.targets, c.rowWeights);
      fused.forwardBackward();
      const gradients = fused.gradients();
      const before = flat(fused.weights());
      fused.adamStep(0.01);
      tf.tidy(() => optimizer.applyGradients(model.variables.map((v, i) => ({ name: v.name, tensor: tf.tensor(gradients[i], v.shape) }))));
      const after = flat(model.variables.map((v) => v.dataSync()));
      const fusedAfter = flat(fused.weights());
      const error = relativeError(fusedAfter.map((w, i) => w - before[i]), after.map((w, i) => w - before[i]));
      assert.ok(error <= 1e-6, `step ${step + 1}: update relative error ${error}`);
      // The model follows the fused weights, so the next step starts from the same point on both sides.
      model.variables.forEach((v, i) => v.assign(tf.tensor(fused.weights()[i], v.shape)));
    }
    optimizer.dispose();
    model.dispose();
  });

  for (const c of torchCases) {
    test(`float64 PyTorch (${c.name}): loss, gradients and two Adam steps`, () => {
      const fused = new FusedMlpStep({ inputDim: c.inputDim, hidden: c.hidden }, c.weights.map((w) => new Float32Array(w)), c.loss, c.nRows, { beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon });
      fused.setBatch(new Float32Array(c.x), allRows(c.nRows), c.y, new Float32Array(c.rowWeights));
      const value = fused.forwardBackward();
      assert.ok(Math.abs(value - c.value) <= 1e-6 * Math.abs(c.value), `loss ${value} vs ${c.value}`);
      const gradError = relativeError(flat(fused.gradients()), c.grads.flat());
      assert.ok(gradError <= 1e-6, `gradient relative error ${gradError}`);
      fused.adamStep(c.learningRate);
      fused.forwardBackward();
      fused.adamStep(c.learningRate);
      const start = c.weights.flat();
      const update = flat(fused.weights()).map((w, i) => w - start[i]);
      const expected = c.afterTwoSteps.flat().map((w, i) => w - start[i]);
      // Float32 weights hold the update to about 1e-7 of each weight, i.e. ~1e-5 of a 0.01-sized step.
      const updateError = relativeError(update, expected);
      assert.ok(updateError <= 1e-4, `update relative error ${updateError}`);
    });
  }

  test('refuses weights of the wrong size and batches beyond its room, naming them', () => {
    const c = randomCase(5, 'bce');
    const wrong = [...c.weights];
    wrong[2] = new Float32Array(3);
    assert.throws(() => new FusedMlpStep({ inputDim: c.inputDim, hidden: c.hidden }, wrong, 'bce', 8, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }), /weight array 2 has 3 values, expected 234/);
    const fused = new FusedMlpStep({ inputDim: c.inputDim, hidden: c.hidden }, c.weights, 'bce', 8, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    assert.throws(() => fused.setBatch(c.x, allRows(9), c.targets), /a batch of 9 rows, room for 8/);
  });
});
