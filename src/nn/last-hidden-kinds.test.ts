import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { withProjection } from '../flayer/projected-model.js';
import { withRandomEffects } from '../medl/mixed-effects-model.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { createPatchCnn } from './cnn.js';
import { buildGroupMixNormMlp, type Placement } from './group-mix-norm-mlp.js';
import { buildMlp } from './mlp.js';
import type { Model } from './model.js';
import { predictLastHidden } from './predict.js';

before(async () => {
  await initBackend('cpu');
});

const relu = (v: number) => Math.max(0, v);
const weightsByName = (model: Model) => new Map(model.weights.map((w) => [w.name, Float64Array.from(w.variable.dataSync())]));

/**
 * A GroupMixNorm MLP's last hidden layer in float64 from its saved weights, as groupRunning inference defines it
 * (group-mix-norm-unit.ts): per unit, a row of a group seen in training (groupUpdates > 0) is standardised with its
 * group's running mean and √(var + eps), any other row (id -1 too) with the running statistics over all rows; then
 * re-projected onto the equal-weight mix of the seen groups (mean of their means, mean of their stds), then γ, β.
 */
function manualGroupMixNormHidden(model: Model, sizes: number[], placement: Placement, eps: number, x: Float32Array, groups: Int32Array): Float64Array[] {
  const w = weightsByName(model);
  const nRows = groups.length;
  const out: Float64Array[] = [];
  for (let r = 0; r < nRows; r++) {
    let h = Float64Array.from(x.subarray(r * sizes[0], (r + 1) * sizes[0]));
    for (let layer = 0; layer + 2 < sizes.length; layer++) {
      const [nIn, nOut] = [sizes[layer], sizes[layer + 1]];
      const [kernel, bias] = [w.get(`dense${layer}/kernel`)!, w.get(`dense${layer}/bias`)!];
      const z = Float64Array.from({ length: nOut }, (_, o) => {
        let sum = bias[o];
        for (let i = 0; i < nIn; i++) sum += h[i] * kernel[i * nOut + o];
        return sum;
      });
      const unit = (name: string) => w.get(`gmn${layer}/${name}`)!;
      const updates = unit('groupUpdates');
      const seen = Array.from(updates, (n, g) => (n > 0 ? g : -1)).filter((g) => g >= 0);
      const g = groups[r];
      const norm = (v: Float64Array) =>
        v.map((value, j) => {
          const [mean, variance] = g >= 0 && updates[g] > 0 ? [unit('runningGroupMean')[g * nOut + j], unit('runningGroupVar')[g * nOut + j]] : [unit('runningMean')[j], unit('runningVar')[j]];
          const targetMean = seen.reduce((s, k) => s + unit('runningGroupMean')[k * nOut + j], 0) / seen.length;
          const targetStd = seen.reduce((s, k) => s + Math.sqrt(unit('runningGroupVar')[k * nOut + j] + eps), 0) / seen.length;
          return ((value - mean) / Math.sqrt(variance + eps)) * targetStd * unit('gamma')[j] + targetMean * unit('gamma')[j] + unit('beta')[j];
        });
      h = placement === 'preActivation' ? norm(z).map(relu) : norm(z.map(relu));
    }
    out.push(h);
  }
  return out;
}

function assertClose(values: Float32Array, expected: Float64Array[], width: number, what: string): void {
  assert.equal(values.length, expected.length * width);
  expected.forEach((row, r) => row.forEach((e, j) => assert.ok(Math.abs(values[r * width + j] - e) < 1e-4 * (1 + Math.abs(e)), `${what} row ${r} unit ${j}: ${values[r * width + j]} vs ${e}`)));
}

describe('predictLastHidden of other model kinds', () => {
  const rng = new Rng(9);
  const nRows = 40;
  const inputDim = 3;
  // Groups 0 and 1 calibrate the statistics; group 2 is never seen, so its rows fall back to the overall statistics.
  const groups = Int32Array.from({ length: nRows }, (_, i) => (i < 30 ? i % 2 : 2));
  const X = Float32Array.from({ length: nRows * inputDim }, (_, k) => rng.normal() + (groups[Math.floor(k / inputDim)] === 1 ? 1 : 0));

  /** A GroupMixNorm MLP with calibrated statistics (groups 0, 1) and non-trivial γ, β. */
  function gmnModel(placement: Placement) {
    const model = buildGroupMixNormMlp({ inputDim, hidden: [5, 4], activation: 'relu', seed: 6 }, { nGroups: 3, placement });
    model.calibrate(X.subarray(0, 30 * inputDim), 30, groups.subarray(0, 30));
    for (const { name, variable } of model.weights) {
      if (!name.endsWith('/gamma') && !name.endsWith('/beta')) continue;
      const moved = tf.tensor(Float32Array.from(variable.dataSync(), (v) => v + 0.5 * rng.normal()), variable.shape);
      variable.assign(moved);
      moved.dispose();
    }
    return model;
  }

  test('GroupMixNorm MLP (post- and pre-activation) equals a float64 pass with each row\'s group, unseen groups falling back', () => {
    for (const placement of ['postActivation', 'preActivation'] as const) {
      const model = gmnModel(placement);
      try {
        assert.equal(model.lastHiddenUnits, 4);
        const { width, values } = predictLastHidden(model, { X, nRows, groups }, { batchSize: 7 });
        assert.equal(width, 4);
        assertClose(values, manualGroupMixNormHidden(model, [3, 5, 4, 1], placement, model.config.settings.eps, X, groups), width, placement);
        // The group matters: the same features with the other group give another representation.
        const swapped = predictLastHidden(model, { X, nRows, groups: groups.map((g) => (g === 2 ? 2 : 1 - g)) }, { batchSize: 7 });
        assert.ok(swapped.values.some((v, i) => Math.abs(v - values[i]) > 1e-3), `${placement}: the group changes the layer`);
      } finally {
        model.dispose();
      }
    }
  });

  test('GroupMixNorm MLP: a row without a group is refused, named; globalRunning inference needs no group', () => {
    const model = gmnModel('postActivation');
    try {
      const missing = groups.slice();
      missing[12] = -1;
      assert.throws(() => predictLastHidden(model, { X, nRows, groups: missing }, { batchSize: 8, rowName: (row) => `data.csv, line ${row + 2}` }), (e: unknown) => e instanceof FairkitError && /^data\.csv, line 14 \(--embeddings\): the row has no group/.test(e.message));
      assert.throws(() => predictLastHidden(model, { X, nRows }, { batchSize: 8 }), (e: unknown) => e instanceof FairkitError && /^row 1 \(--embeddings\): the row has no group/.test(e.message));
      model.setInference('globalRunning');
      const { width, values } = predictLastHidden(model, { X, nRows }, { batchSize: 8 });
      assertClose(values, manualGroupMixNormHidden(model, [3, 5, 4, 1], 'postActivation', model.config.settings.eps, X, new Int32Array(nRows).fill(-1)), width, 'globalRunning');
    } finally {
      model.dispose();
    }
  });

  test("a projection (flayer) model's last hidden layer is its base MLP's, computed from the saved weights; over a CNN it is refused", () => {
    const projected = withProjection(buildMlp({ inputDim, hidden: [5, 4], activation: 'tanh', seed: 2 }), { nGroups: 3, epsilon: 0.01, during: 'always' });
    const cnn = withProjection(createPatchCnn({ height: 2, width: 2, channels: 1, blocks: [{ patch: 2, filters: 2 }], seed: 1 }), { nGroups: 3, epsilon: 0.01, during: 'always' });
    try {
      assert.equal(projected.lastHiddenUnits, 4);
      const { width, values } = predictLastHidden(projected, { X, nRows, groups }, { batchSize: 16 });
      const w = weightsByName(projected);
      const expected = Array.from({ length: nRows }, (_, r) => {
        let h = Float64Array.from(X.subarray(r * inputDim, (r + 1) * inputDim));
        for (const [layer, nOut] of [[0, 5], [1, 4]]) {
          const [kernel, bias] = [w.get(`dense${layer}/kernel`)!, w.get(`dense${layer}/bias`)!];
          h = Float64Array.from({ length: nOut }, (_, o) => Math.tanh(h.reduce((s, v, i) => s + v * kernel[i * nOut + o], bias[o])));
        }
        return h;
      });
      assertClose(values, expected, width, 'projection');
      assert.throws(() => predictLastHidden(cnn, { X: new Float32Array(4), nRows: 1 }, { batchSize: 8 }), (e: unknown) => e instanceof FairkitError && /'fair-projection' model has no last hidden layer/.test(e.message));
    } finally {
      projected.dispose();
      cnn.dispose();
    }
  });

  test('a mixed-effects (medl) model is refused: its output adds per-cluster random effects to the fixed MLP', () => {
    const medl = withRandomEffects(buildMlp({ inputDim, hidden: [4], activation: 'relu', seed: 1 }), undefined);
    try {
      assert.equal((medl as Model).lastHiddenUnits, undefined);
      assert.throws(() => predictLastHidden(medl, { X, nRows }, { batchSize: 8 }), (e: unknown) => e instanceof FairkitError && /'medl' model has no last hidden layer to write/.test(e.message));
    } finally {
      medl.dispose();
    }
  });
});
