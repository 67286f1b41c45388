import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FairkitError } from '../errors.js';
import { Rng } from '../rng.js';
import { initBackend } from './backend.js';
import { createPatchCnn } from './cnn.js';
import { buildMlp } from './mlp.js';
import { predictLastHidden } from './predict.js';

before(async () => {
  await initBackend('cpu');
});

/** The MLP's layers up to the last hidden activation, by hand in float64 from its weights (kernels are [in, out]). */
function manualLastHidden(weights: Float32Array[], sizes: number[], x: Float32Array, nRows: number, activation: (v: number) => number): Float64Array {
  let h = Float64Array.from(x);
  for (let layer = 0; layer + 2 < sizes.length; layer++) {
    const [nIn, nOut] = [sizes[layer], sizes[layer + 1]];
    const [kernel, bias] = [weights[2 * layer], weights[2 * layer + 1]];
    const next = new Float64Array(nRows * nOut);
    for (let r = 0; r < nRows; r++) {
      for (let o = 0; o < nOut; o++) {
        let sum = bias[o];
        for (let i = 0; i < nIn; i++) sum += h[r * nIn + i] * kernel[i * nOut + o];
        next[r * nOut + o] = activation(sum);
      }
    }
    h = next;
  }
  return h;
}

describe('predictLastHidden', () => {
  test("equals a manual forward pass up to the last hidden activation (tanh and relu, batches that do not divide the rows)", () => {
    const rng = new Rng(4);
    const nRows = 7;
    const X = Float32Array.from({ length: nRows * 3 }, () => rng.normal());
    for (const [activation, f] of [['tanh', Math.tanh], ['relu', (v: number) => Math.max(0, v)]] as const) {
      const model = buildMlp({ inputDim: 3, hidden: [5, 4], activation, outputDim: 1, seed: 11 });
      try {
        const { width, values } = predictLastHidden(model, { X, nRows }, { batchSize: 3 });
        assert.equal(width, 4);
        const expected = manualLastHidden(model.variables.map((v) => v.dataSync() as Float32Array), [3, 5, 4, 1], X, nRows, f);
        assert.equal(values.length, expected.length);
        expected.forEach((e, i) => assert.ok(Math.abs(values[i] - e) < 1e-5 * (1 + Math.abs(e)), `${activation} value ${i}: ${values[i]} vs ${e}`));
        if (activation === 'relu') assert.ok(expected.some((e) => e === 0) && expected.some((e) => e > 0), 'relu is exercised on both sides');
      } finally {
        model.dispose();
      }
    }
  });

  test('zero rows give the width and no values', () => {
    const model = buildMlp({ inputDim: 2, hidden: [3], activation: 'relu', seed: 1 });
    try {
      assert.deepEqual(predictLastHidden(model, { X: new Float32Array(0), nRows: 0 }, { batchSize: 8 }), { width: 3, values: new Float32Array(0) });
    } finally {
      model.dispose();
    }
  });

  test('refuses a model without a last hidden layer: an MLP without hidden layers, a CNN', () => {
    const linear = buildMlp({ inputDim: 2, hidden: [], activation: 'relu', seed: 1 });
    const cnn = createPatchCnn({ height: 4, width: 4, channels: 1, blocks: [{ patch: 2, filters: 2 }], seed: 1 });
    try {
      assert.throws(() => predictLastHidden(linear, { X: new Float32Array(2), nRows: 1 }, { batchSize: 8 }), (e: unknown) => e instanceof FairkitError && /no hidden layer/.test(e.message));
      assert.throws(() => predictLastHidden(cnn, { X: new Float32Array(16), nRows: 1 }, { batchSize: 8 }), (e: unknown) => e instanceof FairkitError && /'patch-cnn' model has no last hidden layer/.test(e.message));
    } finally {
      linear.dispose();
      cnn.dispose();
    }
  });
});
