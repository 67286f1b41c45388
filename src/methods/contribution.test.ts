import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { EncodedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { initBackend } from '../nn/backend.js';
import { Rng } from '../rng.js';
import { fit } from '../train/fit.js';
import { ContributionTracker, contributionDisparity } from './contribution.js';
import { erm } from './erm.js';
import { groupMixNorm } from './groupmixnorm.js';
import { batchFor, modelFor, penaltyCases } from './gradient-penalty.test-helper.js';

const TOLERANCE = 1e-4;
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= TOLERANCE * Math.abs(expected), `${what}: ${actual} vs ${expected}`);

function syntheticData(nRows: number, seed: number): EncodedDataset {
  const rng = new Rng(seed);
  const nFeatures = 4;
  const X = new Float32Array(nRows * nFeatures).map(() => rng.normal());
  const ids = Int32Array.from({ length: nRows }, () => (rng.uniform() < 0.3 ? 0 : 1));
  const y = Uint8Array.from({ length: nRows }, (_, i) => (X[i * nFeatures] + 0.5 * ids[i] + 0.3 * rng.normal() > 0.4 ? 1 : 0));
  return { X, nRows, nFeatures, featureNames: ['a', 'b', 'c', 'd'], y, groups: { attributes: ['s'], keys: ['f', 'm'], values: [{ s: 'f' }, { s: 'm' }], ids, privileged: 1 } };
}

describe('contribution disparity', () => {
  before(async () => {
    await initBackend();
  });

  for (const c of penaltyCases.filter((candidate) => candidate.contribution)) {
    test(`Eq. 8/9 from one batch match float64 PyTorch subgroup gradients (${c.name})`, () => {
      const model = modelFor(c);
      const batch = batchFor(c);
      const got = contributionDisparity(model, batch, 1);
      tf.dispose([batch.x, batch.y]);
      model.dispose();
      assert.equal(got.length, c.contribution!.length);
      got.forEach((disparity, k) => {
        const expected = c.contribution![k];
        assert.deepEqual([disparity.y, disparity.group, disparity.reference, disparity.sizes], [expected.y, expected.group, expected.reference, expected.sizes]);
        close(disparity.overall, expected.overall, `overall y=${expected.y}`);
        close(disparity.median, expected.median, `median y=${expected.y}`);
        for (const layer of Object.keys(expected.perLayer)) {
          close(disparity.perLayer[layer], expected.perLayer[layer], `${layer} y=${expected.y}`);
          close(disparity.perLayerMedian[layer], expected.perLayerMedian[layer], `${layer} median y=${expected.y}`);
        }
      });
    });
  }

  test('equal cells give disparity 1; a label without the reference group gives no record', () => {
    const c = penaltyCases[0];
    const model = modelFor(c);
    // The same rows twice, once per group: both cells have identical gradients.
    const half = c.x.slice(0, 10 * c.inputDim);
    const x = tf.tensor2d([...half, ...half], [20, c.inputDim]);
    const labels = Uint8Array.from({ length: 20 }, (_, i) => (i % 10 < 6 ? 1 : 0));
    const groups = Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1));
    const [first, second] = contributionDisparity(model, { x, labels, groups }, 1);
    assert.equal(first.overall, 1);
    assert.equal(second.median, 1);
    assert.deepEqual(first.sizes, [4, 4]);
    const onlyLabel1ForReference = Int32Array.from({ length: 20 }, (_, i) => (i < 10 || labels[i] === 0 ? 0 : 1));
    assert.deepEqual(contributionDisparity(model, { x, labels, groups: onlyLabel1ForReference }, 1).map((d) => d.y), [1]);
    x.dispose();
    model.dispose();
  });

  test('the tracker records every (every-th) step of a fit and writes them as JSON', () => {
    const train = syntheticData(200, 3);
    const everyStep = new ContributionTracker({ groups: train.groups });
    const everyThird = new ContributionTracker({ reference: 1, every: 3 });
    const options = { hidden: [6], batchSize: 50, epochs: 2, seed: 1, progress: 'silent' as const };
    fit({ method: erm, params: {}, train, options, callbacks: [everyStep, everyThird] }).model.dispose();
    assert.equal(everyStep.records.length, 8 * 2, 'two labels for each of 8 steps');
    assert.deepEqual(everyStep.records.map((r) => r.step), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]);
    assert.deepEqual([...new Set(everyStep.records.map((r) => r.epoch))], [1, 2]);
    assert.deepEqual(everyThird.records.map((r) => r.step), [0, 0, 3, 3, 6, 6]);
    for (const record of everyStep.records) {
      assert.equal(record.reference, 1);
      assert.ok(record.overall > 0 && Number.isFinite(record.overall) && record.median > 0);
      assert.deepEqual(Object.keys(record.perLayer), ['dense0', 'dense1']);
    }
    const folder = mkdtempSync(join(tmpdir(), 'fairkit-contribution-'));
    try {
      everyStep.writeJson(join(folder, 'contribution.json'));
      const written = JSON.parse(readFileSync(join(folder, 'contribution.json'), 'utf8'));
      assert.deepEqual(written.groups, ['f', 'm']);
      assert.equal(written.reference, 1);
      assert.deepEqual(written.records, everyStep.records);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('on a GroupMixNorm model every trainable layer gets a ratio and the running statistics do not move', () => {
    const train = syntheticData(120, 5);
    const tracker = new ContributionTracker({ groups: train.groups });
    const fitted = fit({ method: groupMixNorm, params: {}, train, options: { hidden: [6, 5], batchSize: 60, epochs: 1, seed: 2, progress: 'silent' }, callbacks: [tracker] });
    const layers = [...new Set(fitted.model.weights.filter((w) => w.variable.trainable).map((w) => w.name.split('/')[0]))];
    assert.ok(layers.some((layer) => layer.startsWith('gmn')), `layers ${layers.join(', ')}`);
    const before = fitted.model.weights.map((w) => w.variable.dataSync().slice());
    const batch = { x: tf.tensor2d(train.X.slice(0, 60 * 4), [60, 4]), labels: train.y.slice(0, 60), groups: train.groups.ids.slice(0, 60) };
    const records = contributionDisparity(fitted.model, batch, 1);
    batch.x.dispose();
    fitted.model.weights.forEach((w, i) => assert.deepEqual(w.variable.dataSync(), before[i], `${w.name} changed`));
    fitted.model.dispose();
    for (const record of [...tracker.records, ...records]) {
      assert.deepEqual(Object.keys(record.perLayer), layers);
      for (const value of [...Object.values(record.perLayer), ...Object.values(record.perLayerMedian)]) assert.ok(Number.isFinite(value) && value > 0, `${value}`);
    }
  });

  test('without a known privileged group the reference is the largest group of the first batch', () => {
    const train = syntheticData(100, 4);
    const tracker = new ContributionTracker();
    fit({ method: erm, params: {}, train, options: { hidden: [4], batchSize: 100, epochs: 1, seed: 1, progress: 'silent' }, callbacks: [tracker] }).model.dispose();
    const largest = train.groups.ids.filter((g) => g === 1).length > 50 ? 1 : 0;
    assert.ok(tracker.records.length > 0 && tracker.records.every((r) => r.reference === largest && r.group === 1 - largest));
    assert.throws(() => new ContributionTracker({ every: 0 }), FairkitError);
  });
});
