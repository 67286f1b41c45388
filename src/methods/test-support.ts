import assert from 'node:assert/strict';
import { createMlp, type Activation, type Mlp } from '../nn/mlp.js';

/** ‖actual − expected‖ / ‖expected‖ over two equally long arrays. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i] - expected[i]) ** 2;
    norm += expected[i] ** 2;
  }
  return Math.sqrt(diff / norm);
}

/** An MLP with given weights (fixture cases store them in `Mlp.weights` order). */
export function mlpWithWeights(inputDim: number, hidden: number[], activation: Activation, weights: { values: number[] }[]): Mlp {
  return createMlp({ kind: 'mlp', inputDim, hidden, activation, dropout: 0, outputDim: 1, seed: 0 }, weights.map((w) => new Float32Array(w.values)));
}
