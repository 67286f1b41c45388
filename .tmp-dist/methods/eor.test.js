import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { probabilityGapPenalty } from './eor.js';
const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const logits = [0.3, -1.2, 2.0, 0.7, -0.4, 1.5, -2.2, 0.1, 0.9, -0.6];
const labels = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0, 1, 0]);
/** The penalty and its gradient with respect to the logits, from tfjs. */
function penaltyWithGradient(groups, nGroups, form) {
    return tf.tidy(() => {
        const z = tf.tensor1d(logits);
        const f = (x) => probabilityGapPenalty(tf.sigmoid(x), labels, groups, nGroups, form);
        return { value: f(z).dataSync()[0], grad: tf.grad(f)(z).dataSync() };
    });
}
describe('eor gap penalty', () => {
    before(async () => {
        await initBackend();
    });
    test('two groups, eo: Σ_y |mean σ(z) in group 0 − in group 1|, and its gradient by hand', () => {
        const groups = Int32Array.from([0, 0, 0, 1, 1, 1, 1, 0, 1, 0]);
        const p = logits.map(sigmoid);
        const rowsOf = (g, y) => [...p.keys()].filter((i) => groups[i] === g && labels[i] === y);
        let expected = 0;
        const expectedGrad = new Array(logits.length).fill(0);
        for (const y of [0, 1]) {
            const [rows0, rows1] = [rowsOf(0, y), rowsOf(1, y)];
            const gap = mean(rows0.map((i) => p[i])) - mean(rows1.map((i) => p[i]));
            expected += Math.abs(gap);
            for (const i of rows0)
                expectedGrad[i] = (Math.sign(gap) * p[i] * (1 - p[i])) / rows0.length;
            for (const i of rows1)
                expectedGrad[i] = (-Math.sign(gap) * p[i] * (1 - p[i])) / rows1.length;
        }
        const got = penaltyWithGradient(groups, 2, 'eo');
        assert.ok(Math.abs(got.value - expected) < 1e-6, `${got.value} vs ${expected}`);
        got.grad.forEach((g, i) => assert.ok(Math.abs(g - expectedGrad[i]) < 1e-6, `row ${i}: ${g} vs ${expectedGrad[i]}`));
    });
    test('two groups, dp: one gap over the whole batch', () => {
        const groups = Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1, 1, 1]);
        const p = logits.map(sigmoid);
        const expected = Math.abs(mean(p.filter((_, i) => groups[i] === 0)) - mean(p.filter((_, i) => groups[i] === 1)));
        const got = penaltyWithGradient(groups, 2, 'dp');
        assert.ok(Math.abs(got.value - expected) < 1e-6, `${got.value} vs ${expected}`);
    });
    test('three groups with empty cells: deviations from the pooled mean of groups present; a lone group adds nothing', () => {
        // Label 1: groups 0, 1 and 2 present. Label 0: only group 0 (rows 1, 4) and group 3 absent → no term.
        const groups = Int32Array.from([0, 0, 1, 2, 0, 0, 1, 0, 2, 0]);
        const p = logits.map(sigmoid);
        const positives = [...p.keys()].filter((i) => labels[i] === 1);
        const pooled = mean(positives.map((i) => p[i]));
        let expected = 0;
        for (const g of [0, 1, 2])
            expected += Math.abs(mean(positives.filter((i) => groups[i] === g).map((i) => p[i])) - pooled);
        const got = penaltyWithGradient(groups, 4, 'eo');
        assert.ok(Math.abs(got.value - expected) < 1e-6, `${got.value} vs ${expected}`);
        for (const i of [1, 4, 5, 7, 9])
            assert.equal(got.grad[i], 0, `label-0 row ${i} has no gradient`);
        assert.equal(penaltyWithGradient(new Int32Array(logits.length), 2, 'dp').value, 0);
    });
});
//# sourceMappingURL=eor.test.js.map