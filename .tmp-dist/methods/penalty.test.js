import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { logitGapPenalty } from './penalty.js';
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const logits = [0.3, -1.2, 2.0, 0.7, -0.4, 1.5, -2.2, 0.1, 0.9, -0.6];
function penaltyWithGradient(groups, nGroups) {
    return tf.tidy(() => {
        const z = tf.tensor2d(logits, [logits.length, 1]);
        const f = (x) => logitGapPenalty(x, groups, nGroups);
        return { value: f(z).dataSync()[0], grad: tf.grad(f)(z).dataSync() };
    });
}
describe('penalty (mean logit gaps)', () => {
    before(async () => {
        await initBackend();
    });
    test('two groups: |mean z in group 1 − in group 0|, with gradient ±1/n_g', () => {
        const groups = Int32Array.from([0, 0, 1, 1, 1, 0, 1, 0, 0, 1]);
        const [z0, z1] = [0, 1].map((g) => logits.filter((_, i) => groups[i] === g));
        const gap = mean(z1) - mean(z0);
        const got = penaltyWithGradient(groups, 2);
        assert.ok(Math.abs(got.value - Math.abs(gap)) < 1e-6, `${got.value} vs ${Math.abs(gap)}`);
        got.grad.forEach((g, i) => {
            const expected = (groups[i] === 1 ? Math.sign(gap) : -Math.sign(gap)) / 5;
            assert.ok(Math.abs(g - expected) < 1e-6, `row ${i}: ${g} vs ${expected}`);
        });
    });
    test('four groups, one absent from the batch: the sum over the three pairs present', () => {
        const groups = Int32Array.from([0, 2, 3, 0, 2, 3, 3, 0, 2, 2]);
        const means = [0, 2, 3].map((g) => mean(logits.filter((_, i) => groups[i] === g)));
        const expected = Math.abs(means[0] - means[1]) + Math.abs(means[0] - means[2]) + Math.abs(means[1] - means[2]);
        const got = penaltyWithGradient(groups, 4);
        assert.ok(Math.abs(got.value - expected) < 1e-6, `${got.value} vs ${expected}`);
        assert.equal(penaltyWithGradient(new Int32Array(logits.length), 4).value, 0);
    });
});
//# sourceMappingURL=penalty.test.js.map