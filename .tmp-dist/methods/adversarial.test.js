import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { Rng } from '../rng.js';
import { projectedPredictorGradient } from './adversarial.js';
const dot = (a, b) => Array.from(a).reduce((sum, v, i) => sum + v * b[i], 0);
function project(task, adversary, alpha) {
    return tf.tidy(() => projectedPredictorGradient(tf.tensor1d(task), tf.tensor1d(adversary), alpha).dataSync());
}
describe('adversarial: Zhang et al.\'s projected predictor gradient', () => {
    before(async () => {
        await initBackend();
    });
    test('closed form on small vectors', () => {
        // g_P = (1, 2, 3), g_A = (1, 0, 1): proj = (4/2)·g_A = (2, 0, 2), so g_P − proj = (−1, 2, 1); minus α·g_A.
        assert.deepEqual(Array.from(project([1, 2, 3], [1, 0, 1], 0)), [-1, 2, 1]);
        assert.deepEqual(Array.from(project([1, 2, 3], [1, 0, 1], 0.5)), [-1.5, 2, 0.5]);
    });
    test('without the α term the direction is orthogonal to the adversary gradient', () => {
        const rng = new Rng(7);
        for (let trial = 0; trial < 5; trial++) {
            const task = Array.from({ length: 50 }, () => rng.normal());
            const adversary = Array.from({ length: 50 }, () => rng.normal());
            const direction = project(task, adversary, 0);
            const cosine = dot(direction, adversary) / Math.sqrt(dot(direction, direction) * dot(adversary, adversary));
            assert.ok(Math.abs(cosine) < 1e-5, `cosine ${cosine}`);
            // What is removed is parallel to g_A: g_P − direction = c·g_A.
            const removed = task.map((v, i) => v - direction[i]);
            const c = dot(task, adversary) / dot(adversary, adversary);
            removed.forEach((v, i) => assert.ok(Math.abs(v - c * adversary[i]) < 1e-4));
        }
    });
    test('a zero adversary gradient leaves the task gradient unchanged (no division by zero)', () => {
        assert.deepEqual(Array.from(project([1, -2, 3], [0, 0, 0], 2)), [1, -2, 3]);
    });
});
//# sourceMappingURL=adversarial.test.js.map