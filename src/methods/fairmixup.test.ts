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
});
