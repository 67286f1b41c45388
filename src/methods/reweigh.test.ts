import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generateSynthetic } from '../data/synthetic.js';
import { prepareDataset } from '../data/prepare.js';
import { initBackend } from '../nn/backend.js';
import { fit } from '../train/fit.js';
import { erm } from './erm.js';
import { reweigh, reweighingWeights } from './reweigh.js';

describe('reweigh', () => {
  before(async () => {
    await initBackend();
  });

  // 8 rows. Group 0: 1 positive, 2 negatives; group 1: 3 positives, 2 negatives. P(Y=1) = P(Y=0) = 1/2.
  const groups = Int32Array.from([0, 0, 0, 1, 1, 1, 1, 1]);
  const labels = Uint8Array.from([1, 0, 0, 1, 1, 1, 0, 0]);

  test('weights equal P(A)P(Y)/P(A,Y), worked out by hand', () => {
    // (3/8)(4/8)/(1/8) = 3/2, (3/8)(4/8)/(2/8) = 3/4, (5/8)(4/8)/(3/8) = 5/6, (5/8)(4/8)/(2/8) = 5/4.
    const expected = [3 / 2, 3 / 4, 3 / 4, 5 / 6, 5 / 6, 5 / 6, 5 / 4, 5 / 4];
    const weights = reweighingWeights(groups, labels, 2);
    weights.forEach((w, i) => assert.ok(Math.abs(w - expected[i]) < 1e-6, `row ${i}: ${w} vs ${expected[i]}`));
  });

  test('in the weighted data every group has the overall positive rate', () => {
    const weights = reweighingWeights(groups, labels, 2);
    for (const g of [0, 1]) {
      let positive = 0;
      let total = 0;
      groups.forEach((group, i) => {
        if (group !== g) return;
        total += weights[i];
        positive += weights[i] * labels[i];
      });
      assert.ok(Math.abs(positive / total - 0.5) < 1e-6, `group ${g}: ${positive / total}`);
    }
  });

  test('lambda tempers the weights: 0 gives ones, 2 squares them', () => {
    assert.deepEqual(Array.from(reweighingWeights(groups, labels, 2, 0)), new Array(8).fill(1));
    const squared = reweighingWeights(groups, labels, 2, 2);
    assert.ok(Math.abs(squared[0] - 9 / 4) < 1e-6 && Math.abs(squared[6] - 25 / 16) < 1e-6);
  });

  test('the weights act whatever the batch size, down to one row per batch', () => {
    const { train } = prepareDataset(generateSynthetic({ seed: 3, rows: 300 }), { seed: 3 });
    const options = { epochs: 1, batchSize: 1, hidden: [4], learningRate: 0.01, seed: 1, progress: 'silent' as const };
    const weightsAfter = (name: 'erm' | 'reweigh') => {
      const fitted = name === 'erm' ? fit({ method: erm, params: {}, train, options }) : fit({ method: reweigh, params: {}, train, options });
      const values = fitted.model.weights.map((w) => Array.from(w.variable.dataSync()));
      fitted.model.dispose();
      return values;
    };
    assert.notDeepEqual(weightsAfter('reweigh'), weightsAfter('erm'));
  });
});
