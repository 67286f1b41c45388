import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { withProjection } from '../flayer/projected-model.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { ACTIVATIONS, buildMlp } from './mlp.js';
import { PlainMlp } from './plain-mlp.js';
import { predictHead } from './predict.js';

before(async () => {
  // The backend `fairkit serve` runs on.
  await initBackend('wasm');
});

/** Rows of spread-out features (standardised features of real data reach several units), some cells exactly 0 as one-hot ones are. */
function randomRows(nRows: number, inputDim: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: nRows * inputDim }, () => (rng.uniform() < 0.3 ? 0 : (rng.uniform() - 0.5) * 8));
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('PlainMlp: the plain-JavaScript forward pass', () => {
  for (const activation of ACTIVATIONS) {
    test(`${activation}: equals the TensorFlow.js logits to 1e-6 at 1, 7 and 256 rows (two hidden layers, two outputs)`, () => {
      const model = buildMlp({ inputDim: 23, hidden: [32, 16], activation, outputDim: 2, seed: 5 });
      try {
        const plain = PlainMlp.of(model, 'logits')!;
        assert.equal(plain.outputDim, 2);
        for (const nRows of [1, 7, 256]) {
          const X = randomRows(nRows, 23, nRows);
          const reference = predictHead(model, { X, nRows }, { batchSize: nRows });
          const difference = maxAbsDifference(plain.forward(X, nRows), reference);
          assert.ok(difference <= 1e-6, `${nRows} rows: largest difference ${difference}`);
          // Not trivially close: the logits are far from 0.
          assert.ok(maxAbsDifference(reference, new Float32Array(reference.length)) > 0.05, `${nRows} rows: logits near 0`);
        }
      } finally {
        model.dispose();
      }
    });
  }

  test('a fairness projection over an MLP: its raw head (before the projection) to 1e-6; no plain pass of the projected head', () => {
    const model = withProjection(buildMlp({ inputDim: 9, hidden: [16], activation: 'relu', seed: 3 }), { nGroups: 2, epsilon: 0.05, during: 'always' });
    try {
      const X = randomRows(40, 9, 11);
      const groups = Int32Array.from({ length: 40 }, (_, i) => i % 2);
      const reference = predictHead(model, { X, nRows: 40, groups }, { batchSize: 40, head: 'raw' });
      const difference = maxAbsDifference(PlainMlp.of(model, 'raw')!.forward(X, 40), reference);
      assert.ok(difference <= 1e-6, `largest difference ${difference}`);
      assert.equal(PlainMlp.of(model, 'logits'), undefined);
    } finally {
      model.dispose();
    }
  });
});
