import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { bceWithLogits } from '../nn/losses.js';
import { registerGradientFixes, restoreStockGradients } from '../nn/gradient-fixes.js';
import type { Activation } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { drawMixupPairs, fairMixup, mixupPenalty } from './fairmixup.js';
import fixtureJson from './fixtures/fairmixup.json' with { type: 'json' };
import { mlpWithWeights, relativeError } from './test-support.js';
import { oneUpdate } from '../train/update.test-helper.js';
import { prepareDataset } from '../data/prepare.js';
import { generateSynthetic } from '../data/synthetic.js';
import type { EncodedDataset } from '../data/types.js';
import type { Model } from '../nn/model.js';
import { fit } from '../train/fit.js';
import type { Method } from '../train/method.js';
import type { FairMixupParams } from './fairmixup.js';
import { mlpMixupPenalty } from './mlp-mixup-gradients.js';
import { SPARSE_INPUT_BELOW } from '../nn/fused-step.js';
import { isPlainReluMlp } from './plain-mlp-forward.js';
import { sparseInputProductCount } from '../nn/sparse-input-product.js';
import { setFastMatMulEnabled } from '../nn/fast-matmul.js';

/** fairmixup on the same MLP seen through a forward pass of its own, so it takes the autodiff path (same values). */
const autodiffFairMixup: Method<FairMixupParams> = {
  ...fairMixup,
  model: (base: Model) => {
    const wrapped = Object.create(base) as Model;
    wrapped.forward = (inputs, stepSeed) => base.forward(inputs, stepSeed);
    assert.ok(isPlainReluMlp(base) && !isPlainReluMlp(wrapped));
    return wrapped;
  },
};

const RATE = 1000;
/** (old − new) / RATE of every weight after one SGD step on the whole split: the gradient of task + λ·penalty. */
function oneStepGradient(method: Method<FairMixupParams>, train: EncodedDataset): Float64Array {
  let initial: Float32Array[] = [];
  let final: Float32Array[] = [];
  const values = (variables: tf.Variable[]) => variables.map((v) => v.dataSync().slice() as Float32Array);
  const result = fit({
    method, params: { lambda: 2 }, train,
    options: { hidden: [16, 9], seed: 7, progress: 'silent', epochs: 1, batchSize: train.nRows, optimizer: 'sgd', learningRate: RATE },
    callbacks: [{ onTrainBegin: (run) => (initial = values(run.model.variables)), onTrainEnd: (run) => (final = values(run.model.variables)) }],
  });
  result.model.dispose();
  return Float64Array.from(initial.flatMap((old, i) => Array.from(old, (value, j) => (value - final[i][j]) / RATE)));
}

/** Each step's minimised loss and penalty over five Adam steps. */
function lossCurve(method: Method<FairMixupParams>, train: EncodedDataset): number[] {
  const losses: number[] = [];
  const result = fit({
    method, params: { lambda: 2 }, train,
    options: { hidden: [16, 9], seed: 7, progress: 'silent', epochs: 1, batchSize: Math.ceil(train.nRows / 5), learningRate: 0.01 },
    callbacks: [{ onBatchEnd: (record) => losses.push(record.total, record.penalty) }],
  });
  result.model.dispose();
  return losses;
}

interface Case {
  name: string;
  activation: Activation;
  hidden: number[];
  inputDim: number;
  nRows: number;
  weights: { shape: number[]; values: number[] }[];
  x0: number[];
  x1: number[];
  t: number;
  penalty: number;
  penaltyGrads: number[][];
}

const fixture = fixtureJson as unknown as { cases: Case[] };
const TOLERANCE = 1e-4;

/** The regulariser and its gradient with respect to every weight, by tf.variableGrads over mixupPenalty. */
function penaltyAndGrads(c: Case): { penalty: number; grads: Float32Array[] } {
  const model = mlpWithWeights(c.inputDim, c.hidden, c.activation, c.weights);
  try {
    return tf.tidy(() => {
      const x0 = tf.tensor2d(c.x0, [c.nRows, c.inputDim]);
      const x1 = tf.tensor2d(c.x1, [c.nRows, c.inputDim]);
      const { value, grads } = tf.variableGrads(() => mixupPenalty((x) => model.forward({ x }), x0, x1, c.t), model.variables);
      // A weight the tape finds no path to (stock gradients lose some) has gradient zero.
      const gradOf = (v: tf.Variable) => (grads[v.name]?.dataSync() as Float32Array | undefined) ?? new Float32Array(v.size);
      return { penalty: value.dataSync()[0], grads: model.variables.map(gradOf) };
    });
  } finally {
    model.dispose();
  }
}

describe('fairmixup', () => {
  before(async () => {
    await initBackend();
  });

  for (const c of fixture.cases) {
    test(`regulariser and its weight gradient match float64 PyTorch (${c.name})`, (t) => {
      const got = penaltyAndGrads(c);
      const errors = got.grads.map((g, i) => relativeError(g, c.penaltyGrads[i]));
      t.diagnostic(`penalty ${got.penalty} vs ${c.penalty}; worst gradient error ${Math.max(...errors).toExponential(2)}`);
      assert.ok(Math.abs(got.penalty - c.penalty) / c.penalty < TOLERANCE, `penalty ${got.penalty} vs ${c.penalty}`);
      errors.forEach((error, i) => assert.ok(error < TOLERANCE, `d penalty / d weight ${i}: relative error ${error}`));
    });
  }

  for (const c of fixture.cases.filter((c) => c.activation === 'relu')) {
    test(`the hand-written penalty and its weight gradient match float64 PyTorch (${c.name})`, () => {
      const model = mlpWithWeights(c.inputDim, c.hidden, c.activation, c.weights);
      assert.ok(isPlainReluMlp(model));
      const path = { x0: Float32Array.from(c.x0), x1: Float32Array.from(c.x1), rows: c.nRows, t: c.t };
      const { penalty, grads } = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => mlpMixupPenalty(model, [path]), model.variables);
        return { penalty: value.dataSync()[0], grads: model.variables.map((v) => grads[v.name].dataSync() as Float32Array) };
      });
      model.dispose();
      assert.ok(Math.abs(penalty - c.penalty) / c.penalty < TOLERANCE, `penalty ${penalty} vs ${c.penalty}`);
      grads.forEach((g, i) => assert.ok(relativeError(g, c.penaltyGrads[i]) < TOLERANCE, `d penalty / d weight ${i}`));
    });
  }

  test('the stock sigmoid gradient gets this second derivative wrong, so the check above can fail', () => {
    restoreStockGradients();
    try {
      const c = fixture.cases[0];
      const got = penaltyAndGrads(c);
      const worst = Math.max(...got.grads.map((g, i) => relativeError(g, c.penaltyGrads[i])));
      assert.ok(worst > 1e-3, `stock error ${worst} unexpectedly small`);
    } finally {
      registerGradientFixes();
    }
  });

  test('pairs are drawn within a label, equally many from each side, and skipped when a side is empty', () => {
    // Group 2 has no row with label 0; group 1 has no rows at all.
    const groups = Int32Array.from([0, 0, 0, 2, 2, 0, 0, 2, 0, 0]);
    const labels = Uint8Array.from([0, 1, 0, 1, 1, 1, 0, 1, 0, 0]);
    const pairs = drawMixupPairs(labels, groups, 3, 0, { form: 'eo', mixupAlpha: 1 }, new Rng(3));
    assert.equal(pairs.length, 1, 'only group 2 against group 0 within label 1');
    const [pair] = pairs;
    assert.equal(pair.rows0.length, 2);
    assert.equal(pair.rows1.length, 2);
    for (const row of pair.rows0) assert.ok(groups[row] === 2 && labels[row] === 1);
    for (const row of pair.rows1) assert.ok(groups[row] === 0 && labels[row] === 1);
    assert.ok(pair.t > 0 && pair.t < 1);

    const dpPairs = drawMixupPairs(labels, groups, 3, 0, { form: 'dp', mixupAlpha: 1 }, new Rng(3));
    assert.deepEqual(dpPairs.map((p) => p.rows0.length), [3]);
    assert.equal(drawMixupPairs(labels, Int32Array.from(groups, () => 0), 3, 0, { form: 'dp', mixupAlpha: 1 }, new Rng(3)).length, 0);
  });

  test('a step on a batch without the second group trains on the task loss alone and leaks no tensors', () => {
    const model = mlpWithWeights(fixture.cases[0].inputDim, fixture.cases[0].hidden, 'relu', fixture.cases[0].weights);
    const train = { groups: { keys: ['a', 'b'], ids: Int32Array.from([0, 1]), attributes: ['s'], values: [] } } as never;
    const before = tf.memory().numTensors;
    const rows = 4;
    const batch = {
      x: tf.tensor2d(fixture.cases[0].x0.slice(0, rows * 5), [rows, 5]),
      y: tf.tensor1d([1, 0, 1, 0]),
      labels: Uint8Array.from([1, 0, 1, 0]),
      groups: new Int32Array(rows),
      stepSeed: 1,
    };
    const taskLoss = tf.tidy(() => bceWithLogits(model.apply(batch.x), batch.y).dataSync()[0]);
    const loss = oneUpdate(fairMixup, { params: {}, model, train, batch, learningRate: 0.1, seed: 1 }).total;
    tf.dispose([batch.x, batch.y]);
    assert.ok(Math.abs(loss - taskLoss) < 1e-6, `loss ${loss} vs task loss ${taskLoss}`);
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });

  for (const inputs of ['dense', 'mostly-zero'] as const) {
  test(`the hand-written penalty of a plain ReLU MLP equals the autodiff path: one step to 1e-6, five losses to 1e-5 (${inputs} inputs)`, (t) => {
    const synthetic = generateSynthetic({ rows: 400, seed: 17 });
    const train = prepareDataset(synthetic, { seed: 17 }).train;
    // Mostly-zero inputs (as one-hot tables) take the zero-skipping first-layer products: keep the largest 15%.
    if (inputs === 'mostly-zero') {
      train.X = train.X.map((v) => (Math.abs(v) > 1.45 ? v : 0));
      assert.ok(nonzeroShare(train.X) < SPARSE_INPUT_BELOW && nonzeroShare(train.X) > 0.05, `nonzero share ${nonzeroShare(train.X)}`);
    }
    const before = tf.memory().numTensors;
    const sparseProducts = sparseInputProductCount();
    const handWritten = oneStepGradient(fairMixup, train);
    const autodiff = oneStepGradient(autodiffFairMixup, train);
    const stepError = relativeError(handWritten, autodiff);
    const curve = lossCurve(fairMixup, train);
    // Only the hand-written path of mostly-zero inputs runs the zero-skipping products.
    assert.equal(sparseInputProductCount() > sparseProducts, inputs === 'mostly-zero', 'the zero-skipping products ran');
    const reference = lossCurve(autodiffFairMixup, train);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    const curveErrors = curve.map((loss, i) => Math.abs(loss - reference[i]) / Math.abs(reference[i]));
    t.diagnostic(`one step ${stepError.toExponential(2)}; loss curve worst ${Math.max(...curveErrors).toExponential(2)}`);
    assert.ok(reference.every((v, i) => i % 2 === 0 || v > 0), 'every step has a penalty');
    assert.ok(stepError < 1e-6, `one step's gradient: relative error ${stepError}`);
    assert.equal(curve.length, 10);
    curveErrors.forEach((error, i) => assert.ok(error < 1e-5, `loss ${i}: ${curve[i]} vs ${reference[i]}`));
  });
  }

  for (const hidden of [[12], [12, 7], []]) {
    test(`the hand-written penalty and gradient equal autodiff's with either first-layer product, several paths (hidden [${hidden}])`, (t) => {
      const rng = new Rng(hidden.length + 1);
      const inputDim = 23;
      const sizes = [inputDim, ...hidden, 1];
      const weights = sizes.slice(1).flatMap((n, l) => [
        { values: Array.from({ length: sizes[l] * n }, () => (rng.uniform() - 0.5) * 0.8) },
        { values: Array.from({ length: n }, () => (rng.uniform() - 0.5) * 0.2) },
      ]);
      const model = mlpWithWeights(inputDim, hidden, 'relu', weights);
      const rows = (m: number) => Float32Array.from({ length: m * inputDim }, () => (rng.uniform() < 0.15 ? rng.uniform() * 2 - 0.5 : 0));
      const paths = [31, 6, 17].map((m) => ({ x0: rows(m), x1: rows(m), rows: m, t: rng.uniform() }));
      const flat = (grads: tf.NamedTensorMap) => Float64Array.from(model.variables.flatMap((v) => Array.from(grads[v.name].dataSync())));
      const before = tf.memory().numTensors;
      /** The penalty and its gradient (flattened over all weights), read on the host. */
      const evaluate = (penalty: () => tf.Scalar) => {
        const result = { value: 0, grads: new Float64Array(0) };
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(penalty, model.variables);
          result.value = value.dataSync()[0];
          result.grads = flat(grads);
        });
        return result;
      };
      const autodiff = evaluate(() => tf.addN(paths.map((p) => mixupPenalty((x) => model.forward({ x }), tf.tensor2d(p.x0, [p.rows, inputDim]), tf.tensor2d(p.x1, [p.rows, inputDim]), p.t))) as tf.Scalar);
      // With the fast kernel off, sparseInputProducts declines and the first layer takes dense products.
      for (const sparseInputs of [false, true]) {
        const sparseProducts = sparseInputProductCount();
        setFastMatMulEnabled(sparseInputs);
        let got: { value: number; grads: Float64Array };
        try {
          got = evaluate(() => mlpMixupPenalty(model, paths));
        } finally {
          setFastMatMulEnabled(true);
        }
        assert.equal(sparseInputProductCount() - sparseProducts, sparseInputs ? 4 * paths.length : 0, 'zero-skipping products, both ways, both sides of every path');
        const error = relativeError(got.grads, autodiff.grads);
        t.diagnostic(`sparseInputs ${sparseInputs}: penalty ${Math.abs(got.value - autodiff.value) / autodiff.value}, gradient ${error.toExponential(2)}`);
        assert.ok(Math.abs(got.value - autodiff.value) / autodiff.value < 1e-6, `penalty ${got.value} vs ${autodiff.value}`);
        assert.ok(error < 1e-6, `gradient: relative error ${error}`);
      }
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
      model.dispose();
    });
  }
});

/** The share of nonzero values in x (the mostly-zero case checks its inputs with it). */
function nonzeroShare(x: Float32Array): number {
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) count++;
  return x.length === 0 ? 0 : count / x.length;
}

test('nonzeroShare counts the nonzero entries', () => {
  assert.equal(nonzeroShare(Float32Array.from([0, 1, 0, -2])), 0.5);
  assert.equal(nonzeroShare(new Float32Array(0)), 0);
});
