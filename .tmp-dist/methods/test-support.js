import assert from 'node:assert/strict';
import { createMlp } from '../nn/mlp.js';
/** ‖actual − expected‖ / ‖expected‖ over two equally long arrays. */
export function relativeError(actual, expected) {
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
export function mlpWithWeights(inputDim, hidden, activation, weights) {
    return createMlp({ kind: 'mlp', inputDim, hidden, activation, dropout: 0, outputDim: 1, seed: 0 }, weights.map((w) => new Float32Array(w.values)));
}
//# sourceMappingURL=test-support.js.map