import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { groupMixNormalize } from './group-mix-norm.js';
import { drawMixWeights } from './group-mix-norm-mixing.js';
import fixtureJson from './fixtures/group_mix_norm.json' with { type: 'json' };
import { relativeError } from './relative-error.test-helper.js';

interface Case {
  name: string;
  shape: number[];
  nGroups: number;
  ids: number[];
  weights: number[];
  eps: number;
  minGroupSize: number;
  detachStats: boolean;
  x: number[];
  gamma: number[];
  beta: number[];
  r: number[];
  output: number[];
  gradX: number[];
  gradGamma: number[];
  gradBeta: number[];
}

const fixture = fixtureJson as unknown as { cases: Case[] };

/** Per-group, per-channel mean and biased variance (float64, over rows and spatial positions) of a [B, …, C] array. */
function groupMoments(values: Float32Array, ids: Int32Array, channels: number, group: number): { mean: number[]; variance: number[] } {
  const perRow = values.length / ids.length;
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  let n = 0;
  ids.forEach((id, i) => {
    if (id !== group) return;
    for (let k = 0; k < perRow; k++) {
      const v = values[i * perRow + k];
      sums[k % channels] += v;
      squares[k % channels] += v * v;
    }
    n += perRow / channels;
  });
  const mean = Array.from(sums, (s) => s / n);
  return { mean, variance: Array.from(squares, (s, c) => s / n - mean[c] ** 2) };
}

describe('groupMixNormalize', () => {
  before(async () => {
    await initBackend();
  });

  for (const c of fixture.cases) {
    test(`output and gradients match float64 PyTorch (${c.name})`, (t) => {
      const ids = Int32Array.from(c.ids);
      const options = { nGroups: c.nGroups, eps: c.eps, minGroupSize: c.minGroupSize, detachStats: c.detachStats };
      const got = tf.tidy(() => {
        const x = tf.tensor(c.x, c.shape);
        const gamma = tf.tensor1d(c.gamma);
        const beta = tf.tensor1d(c.beta);
        const r = tf.tensor(c.r, c.shape);
        const forward = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.add(tf.mul(groupMixNormalize(xs, ids, c.weights, options).output, g), b);
        const grads = tf.grads((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(xs, g, b), r)))([x, gamma, beta]);
        return { output: forward(x, gamma, beta).dataSync(), grads: grads.map((g) => g.dataSync()) };
      });
      const errors = { output: relativeError(got.output, c.output), gradX: relativeError(got.grads[0], c.gradX), gradGamma: relativeError(got.grads[1], c.gradGamma), gradBeta: relativeError(got.grads[2], c.gradBeta) };
      t.diagnostic(JSON.stringify(errors));
      for (const [what, error] of Object.entries(errors)) assert.ok(error < 1e-5, `${what}: relative error ${error}`);
    });
  }

  for (const shape of [[300, 5], [40, 4, 3, 6]]) {
    test(`in training mode every group leaves with the mixed per-channel mean and variance (shape [${shape.join(', ')}])`, () => {
      const rng = new Rng(shape.length);
      const nGroups = 3;
      const channels = shape[shape.length - 1];
      const ids = Int32Array.from({ length: shape[0] }, () => (rng.uniform() < 0.6 ? 0 : rng.uniform() < 0.7 ? 1 : 2));
      const perRow = shape.slice(1).reduce((a, b) => a * b, 1);
      // Group g has channel c shifted by (g+1)·c and scaled by 1 + g, so the groups' statistics differ clearly.
      const values = Float32Array.from({ length: shape[0] * perRow }, (_, k) => {
        const g = ids[Math.floor(k / perRow)];
        return rng.normal() * (1 + g) + (g + 1) * (k % channels);
      });
      const weights = drawMixWeights([true, true, true], 0.5, rng, 1, 'dirichlet');
      const eps = 1e-5;
      const result = groupMixNormalize(tf.tensor(values, shape), ids, weights, { nGroups, eps });
      const output = result.output.dataSync() as Float32Array;
      const mixMean = result.mixMean.dataSync();
      const mixStd = result.mixStd.dataSync();
      for (let g = 0; g < nGroups; g++) {
        const before = groupMoments(values, ids, channels, g);
        const after = groupMoments(output, ids, channels, g);
        for (let c = 0; c < channels; c++) {
          // Exactly σ_mix² up to the eps inside σ_g = sqrt(var_g + eps).
          const expectedVariance = mixStd[c] ** 2 * (before.variance[c] / (before.variance[c] + eps));
          assert.ok(Math.abs(after.mean[c] - mixMean[c]) < 1e-5 * Math.max(1, Math.abs(mixMean[c])), `group ${g} channel ${c}: mean ${after.mean[c]} vs mixed ${mixMean[c]}`);
          assert.ok(Math.abs(after.variance[c] - expectedVariance) < 1e-5 * expectedVariance, `group ${g} channel ${c}: variance ${after.variance[c]} vs mixed ${expectedVariance}`);
          // The mixed statistics are the weighted group statistics.
          const groupMeans = [0, 1, 2].map((h) => groupMoments(values, ids, channels, h).mean[c]);
          assert.ok(Math.abs(mixMean[c] - groupMeans.reduce((s, m, h) => s + weights[h] * m, 0)) < 1e-4);
        }
      }
      tf.dispose([result.output, result.groupMean, result.groupVar, result.batchMean, result.batchVar, result.mixMean, result.mixStd]);
    });
  }

  test('with one group present the transform is the identity (up to eps): BatchNorm re-projected onto its own statistics', () => {
    const rng = new Rng(5);
    const values = Float32Array.from({ length: 50 * 3 }, () => rng.normal() * 2 + 1);
    const ids = new Int32Array(50).fill(1);
    const weights = drawMixWeights([false, true], 0.1, rng, 1, 'dirichlet');
    assert.deepEqual(Array.from(weights), [0, 1]);
    const output = tf.tidy(() => groupMixNormalize(tf.tensor2d(values, [50, 3]), ids, weights, { nGroups: 2 }).output.dataSync());
    assert.ok(relativeError(output, values) < 1e-5);
  });

  test("all-zero weights (no group with enough rows) normalise and re-project with the whole batch's statistics", () => {
    const values = Float32Array.from([1, 2, 3, 5, 8, 13]);
    const ids = Int32Array.from([0, 1, 2, -1, 3, 4]);
    const result = tf.tidy(() => {
      const r = groupMixNormalize(tf.tensor2d(values, [6, 1]), ids, new Float32Array(5), { nGroups: 5 });
      return { eligible: r.eligible, output: r.output.dataSync(), mixMean: r.mixMean.dataSync()[0] };
    });
    assert.deepEqual(result.eligible, [false, false, false, false, false]);
    assert.ok(relativeError(result.output, values) < 1e-5);
    const mean = values.reduce((a, b) => a + b) / 6;
    assert.ok(Math.abs(result.mixMean - mean) < 1e-5);
  });

  test('bad input raises a FairkitError naming the problem', () => {
    const x = tf.ones([4, 2]);
    const ids = Int32Array.from([0, 0, 1, 1]);
    const fails = (f: () => unknown, message: RegExp) => assert.throws(f, (e: unknown) => e instanceof FairkitError && message.test(e.message));
    fails(() => groupMixNormalize(x, Int32Array.from([0, 1]), [0.5, 0.5], { nGroups: 2 }), /2 group ids for a batch of 4 rows/);
    fails(() => groupMixNormalize(x, ids, [0.5, 0.5, 0], { nGroups: 2 }), /expected 2 mixing weights/);
    fails(() => groupMixNormalize(x, ids, [0.7, 0.7], { nGroups: 2 }), /sum to 1.4/);
    fails(() => groupMixNormalize(x, Int32Array.from([0, 0, 0, 1]), [0.5, 0.5], { nGroups: 2 }), /falls on group 1, which has too few rows/);
    fails(() => groupMixNormalize(tf.ones([4]), ids, [0.5, 0.5], { nGroups: 2 }), /batch and a channel axis/);
    x.dispose();
  });
});

describe('drawMixWeights', () => {
  test('two groups: λ ~ Beta(α, α) (mean 1/2, variance 1/(4(2α+1))); absent groups get no weight', () => {
    const rng = new Rng(11);
    const alpha = 0.3;
    const draws = drawMixWeights([true, false, true], alpha, rng, 40000, 'dirichlet');
    const lambdas: number[] = [];
    for (let m = 0; m < 40000; m++) {
      assert.equal(draws[m * 3 + 1], 0);
      assert.ok(Math.abs(draws[m * 3] + draws[m * 3 + 2] - 1) < 1e-6);
      lambdas.push(draws[m * 3]);
    }
    const mean = lambdas.reduce((a, b) => a + b) / lambdas.length;
    const variance = lambdas.reduce((a, b) => a + (b - mean) ** 2, 0) / lambdas.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1 / (4 * (2 * alpha + 1))) < 0.005, `variance ${variance}`);
  });

  test('more groups: Dirichlet(α·1) has mean 1/K per group; pair mode puts weight on exactly two groups', () => {
    const rng = new Rng(12);
    const draws = drawMixWeights([true, true, true, true], 1, rng, 20000, 'dirichlet');
    for (let g = 0; g < 4; g++) {
      let sum = 0;
      for (let m = 0; m < 20000; m++) sum += draws[m * 4 + g];
      assert.ok(Math.abs(sum / 20000 - 0.25) < 0.01);
    }
    const pairs = drawMixWeights([true, true, false, true], 0.5, rng, 500, 'pair');
    for (let m = 0; m < 500; m++) {
      const row = Array.from(pairs.subarray(m * 4, m * 4 + 4));
      assert.equal(row[2], 0);
      assert.ok(row.filter((w) => w > 0).length <= 2);
      assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-6);
    }
  });
});
