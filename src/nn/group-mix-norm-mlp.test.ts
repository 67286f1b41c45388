import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { bceWithLogits } from './losses.js';
import { buildGroupMixNormMlp, insertGroupMixNorm, isGroupMixNormMlp } from './group-mix-norm-mlp.js';
import { buildMlp } from './mlp.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from './predict.js';

const INPUT_DIM = 6;
const ROWS = 200;
const rng = new Rng(21);
const ids = Int32Array.from({ length: ROWS }, () => (rng.uniform() < 0.7 ? 0 : 1));
// Group 1 is shifted, so the hidden features of the groups differ.
const X = Float32Array.from({ length: ROWS * INPUT_DIM }, (_, k) => rng.normal() + 1.5 * ids[Math.floor(k / INPUT_DIM)]);
const y = Float32Array.from({ length: ROWS }, (_, i) => (X[i * INPUT_DIM] + X[i * INPUT_DIM + 1] > 1 ? 1 : 0));
const config = { inputDim: INPUT_DIM, hidden: [8, 5], activation: 'relu' as const, seed: 3 };

function trainSteps(model: ReturnType<typeof buildGroupMixNormMlp>, steps: number): void {
  const optimizer = tf.train.adam(0.02);
  const x = tf.tensor2d(X, [ROWS, INPUT_DIM]);
  const labels = tf.tensor1d(y);
  for (let step = 0; step < steps; step++) {
    optimizer.minimize(() => bceWithLogits(model.apply(x, { training: true, stepSeed: step, groups: ids }), labels), false, model.variables);
  }
  tf.dispose([x, labels]);
  optimizer.dispose();
}

describe('GroupMixNorm MLP', () => {
  before(async () => {
    await initBackend();
  });

  test('has a layer after every hidden layer by default; the dense weights are those of buildMlp; running statistics are saved but not trained', () => {
    const model = buildGroupMixNormMlp(config, { nGroups: 2 });
    const plain = buildMlp(config);
    assert.ok(isGroupMixNormMlp(model));
    assert.equal(isGroupMixNormMlp(plain), false);
    assert.deepEqual(model.config.positions, [0, 1]);
    const names = model.weights.map((w) => w.name);
    assert.deepEqual(names.slice(0, 6), plain.weights.map((w) => w.name));
    assert.deepEqual(names.filter((n) => n.startsWith('gmn1/')), ['gamma', 'beta', 'runningGroupMean', 'runningGroupVar', 'groupUpdates', 'runningMean', 'runningVar', 'runningMixMean', 'runningMixStd'].map((n) => `gmn1/${n}`));
    plain.weights.forEach((w, i) => assert.deepEqual(model.weights[i].variable.dataSync(), w.variable.dataSync()));
    assert.equal(model.variables.length, 6 + 2 * 2);
    assert.ok(model.variables.every((v) => v.trainable));
    plain.dispose();
    model.dispose();
  });

  test('training steps are reproducible from the seeds and move the running statistics; inference does not', () => {
    const a = buildGroupMixNormMlp(config, { nGroups: 2, settings: { alpha: 0.5 } });
    const b = buildGroupMixNormMlp(config, { nGroups: 2, settings: { alpha: 0.5 } });
    trainSteps(a, 5);
    trainSteps(b, 5);
    assert.deepEqual(predictProba(a, { X: X, nRows: ROWS, groups: ids }, { batchSize: DEFAULT_PREDICT_BATCH }), predictProba(b, { X: X, nRows: ROWS, groups: ids }, { batchSize: DEFAULT_PREDICT_BATCH }));
    const updates = a.weights.find((w) => w.name === 'gmn0/groupUpdates')!.variable;
    assert.deepEqual(Array.from(updates.dataSync()), [5, 5]);
    predictProba(a, { X: X, nRows: ROWS, groups: ids }, { batchSize: 64 });
    assert.deepEqual(Array.from(updates.dataSync()), [5, 5]);
    a.dispose();
    b.dispose();
  });

  test('a training step draws its mix from the dropout seed: another seed gives another output', () => {
    const model = buildGroupMixNormMlp(config, { nGroups: 2, settings: { alpha: 1 } });
    const x = tf.tensor2d(X, [ROWS, INPUT_DIM]);
    const out = (seed: number) => tf.tidy(() => Array.from(model.apply(x, { training: true, stepSeed: seed, groups: ids }).dataSync()));
    assert.deepEqual(out(1), out(1));
    assert.notDeepEqual(out(1), out(2));
    assert.throws(() => model.apply(x, { training: true, groups: ids }), /needs a stepSeed/);
    x.dispose();
    model.dispose();
  });

  test('inserting into a trained MLP keeps its weights; with freezeBase only γ and β are trained', () => {
    const plain = buildMlp(config);
    const model = insertGroupMixNorm(plain, { nGroups: 2, positions: [1], freezeBase: true });
    assert.deepEqual(model.config.positions, [1]);
    assert.deepEqual(model.variables.map((v) => v.shape), [[5], [5]]);
    trainSteps(model, 3);
    plain.weights.forEach((w, i) => assert.deepEqual(model.weights[i].variable.dataSync(), w.variable.dataSync()));
    assert.throws(() => insertGroupMixNorm(model, { nGroups: 2 }), /already has GroupMixNorm layers/);
    model.dispose();
    plain.dispose();
  });

  test('preActivation placement and the inference modes give finite, mode-dependent predictions', () => {
    const model = buildGroupMixNormMlp(config, { nGroups: 2, placement: 'preActivation' });
    trainSteps(model, 5);
    const byGroup = predictProba(model, { X: X, nRows: ROWS, groups: ids }, { batchSize: DEFAULT_PREDICT_BATCH });
    model.setInference('globalRunning');
    const global = predictProba(model, { X: X, nRows: ROWS, groups: ids }, { batchSize: DEFAULT_PREDICT_BATCH });
    assert.deepEqual(global, predictProba(model, { X: X, nRows: ROWS }, { batchSize: DEFAULT_PREDICT_BATCH }));
    assert.notDeepEqual(byGroup, global);
    assert.ok(byGroup.every(Number.isFinite) && global.every(Number.isFinite));
    assert.equal(model.config.settings.inferenceMode, 'globalRunning');
    model.dispose();
  });

  test('calibrate sets every layer\'s running statistics to the exact statistics of its input features (float64 host forward pass)', () => {
    const model = buildGroupMixNormMlp(config, { nGroups: 3, settings: { alpha: 1 } });
    trainSteps(model, 4);
    // Row 0 of group 2 only: one row has no variance, so group 2 keeps its (initial, never trained) statistics.
    const calibrationIds = Int32Array.from(ids, (g, i) => (i === 0 ? 2 : g));
    model.calibrate(X, ROWS, calibrationIds, 64);
    const value = (name: string) => Array.from(model.weights.find((w) => w.name === name)!.variable.dataSync());
    const dense = (h: number[][], layer: number) => {
      const kernel = value(`dense${layer}/kernel`);
      const bias = value(`dense${layer}/bias`);
      return h.map((row) => bias.map((b, j) => Math.max(0, row.reduce((s, v, i) => s + v * kernel[i * bias.length + j], b))));
    };
    const moments = (h: number[][], g: number) => {
      const rows = h.filter((_, i) => calibrationIds[i] === g);
      const mean = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
      const variance = mean.map((m, j) => (rows.length > 1 ? rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / (rows.length - 1) : 0));
      return { mean, variance };
    };
    let h = dense(Array.from({ length: ROWS }, (_, i) => Array.from(X.subarray(i * INPUT_DIM, (i + 1) * INPUT_DIM))), 0);
    for (const layer of [0, 1]) {
      const runningMean = value(`gmn${layer}/runningGroupMean`);
      const runningVar = value(`gmn${layer}/runningGroupVar`);
      const stats = [0, 1].map((g) => moments(h, g));
      const width = h[0].length;
      stats.forEach(({ mean, variance }, g) =>
        mean.forEach((m, j) => {
          assert.ok(Math.abs(runningMean[g * width + j] - m) < 1e-4 * Math.max(1, Math.abs(m)), `gmn${layer} group ${g} channel ${j} mean`);
          assert.ok(Math.abs(runningVar[g * width + j] - variance[j]) < 1e-4 * Math.max(1, variance[j]), `gmn${layer} group ${g} channel ${j} variance`);
        }),
      );
      assert.deepEqual(value(`gmn${layer}/groupUpdates`), [4, 4, 0]);
      assert.deepEqual(runningMean.slice(2 * width), new Array(width).fill(0));
      assert.deepEqual(runningVar.slice(2 * width), new Array(width).fill(1));
      if (layer === 1) break;
      // Inference: own group's statistics (group 2, unseen: the overall ones) → the equal-weight mix of the seen
      // groups 0 and 1 → γ, β; then dense layer 1.
      const overall = (() => {
        const mean = h[0].map((_, j) => h.reduce((sum, row) => sum + row[j], 0) / h.length);
        return { mean, variance: mean.map((m, j) => h.reduce((sum, row) => sum + (row[j] - m) ** 2, 0) / (h.length - 1)) };
      })();
      const source = [...stats, overall];
      const std = source.map(({ variance }) => variance.map((v) => Math.sqrt(v + 1e-5)));
      const targetMean = stats[0].mean.map((_, j) => (stats[0].mean[j] + stats[1].mean[j]) / 2);
      const targetStd = std[0].map((_, j) => (std[0][j] + std[1][j]) / 2);
      const [gamma, beta] = [value('gmn0/gamma'), value('gmn0/beta')];
      h = dense(h.map((row, i) => row.map((v, j) => gamma[j] * (((v - source[calibrationIds[i]].mean[j]) / std[calibrationIds[i]][j]) * targetStd[j] + targetMean[j]) + beta[j])), 1);
    }
    model.dispose();
  });

  test('bad options and inputs raise a FairkitError', () => {
    const fails = (f: () => unknown, message: RegExp) => assert.throws(f, (e: unknown) => e instanceof FairkitError && message.test(e.message));
    fails(() => buildGroupMixNormMlp(config, { nGroups: 2, positions: [2] }), /positions \[2\] must be hidden layer indices from 0 to 1/);
    fails(() => buildGroupMixNormMlp(config, { nGroups: 0 }), /nGroups must be a positive integer/);
    fails(() => buildGroupMixNormMlp({ ...config, hidden: [] }, { nGroups: 2 }), /no hidden layer/);
    fails(() => buildGroupMixNormMlp(config, { nGroups: 2, settings: { alpha: -1 } }), /alpha must be > 0/);
    const model = buildGroupMixNormMlp(config, { nGroups: 2 });
    fails(() => predictProba(model, { X: X, nRows: ROWS, groups: ids.subarray(1) }, { batchSize: DEFAULT_PREDICT_BATCH }), /199 group ids for 200 rows/);
    model.dispose();
  });
});
