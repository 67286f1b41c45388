import { createMlp, type Activation, type Mlp } from '../nn/mlp.js';

export { relativeError } from '../nn/relative-error.test-helper.js';

/** An MLP with given weights (fixture cases store them in `Mlp.weights` order). */
export function mlpWithWeights(inputDim: number, hidden: number[], activation: Activation, weights: { values: number[] }[]): Mlp {
  return createMlp({ kind: 'mlp', inputDim, hidden, activation, dropout: 0, outputDim: 1, seed: 0 }, weights.map((w) => new Float32Array(w.values)));
}
