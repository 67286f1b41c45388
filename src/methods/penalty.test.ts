import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { logitGapPenalty, penalty, STRICT_PENALTY_LAMBDA, strictPenalty, type GapForm } from './penalty.js';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const logits = [0.3, -1.2, 2.0, 0.7, -0.4, 1.5, -2.2, 0.1, 0.9, -0.6];

function penaltyWithGradient(groups: Int32Array, nGroups: number, form: GapForm = 'abs'): { value: number; grad: Float32Array } {
  return tf.tidy(() => {
    const z = tf.tensor2d(logits, [logits.length, 1]);
    const f = (x: tf.Tensor) => logitGapPenalty(x, groups, nGroups, form);
    return { value: f(z).dataSync()[0], grad: tf.grad(f)(z).dataSync() as Float32Array };
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

  test('squared form, two groups: gap², with gradient ±2·gap/n_g', () => {
    const groups = Int32Array.from([0, 0, 1, 1, 1, 0, 1, 0, 0, 1]);
    const [z0, z1] = [0, 1].map((g) => logits.filter((_, i) => groups[i] === g));
    const gap = mean(z1) - mean(z0);
    const got = penaltyWithGradient(groups, 2, 'squared');
    assert.ok(Math.abs(got.value - gap * gap) < 1e-6, `${got.value} vs ${gap * gap}`);
    got.grad.forEach((g, i) => {
      const expected = ((groups[i] === 1 ? 2 : -2) * gap) / 5;
      assert.ok(Math.abs(g - expected) < 1e-6, `row ${i}: ${g} vs ${expected}`);
    });
  });

  test('squared form, three groups present of four: the sum of the three squared gaps', () => {
    const groups = Int32Array.from([0, 2, 3, 0, 2, 3, 3, 0, 2, 2]);
    const means = [0, 2, 3].map((g) => mean(logits.filter((_, i) => groups[i] === g)));
    const expected = (means[0] - means[1]) ** 2 + (means[0] - means[2]) ** 2 + (means[1] - means[2]) ** 2;
    const got = penaltyWithGradient(groups, 4, 'squared');
    assert.ok(Math.abs(got.value - expected) < 1e-6, `${got.value} vs ${expected}`);
  });

  test('defaults: penalty keeps λ 0.1 with the abs form; strict-penalty is the same loss with λ 1000', () => {
    assert.deepEqual(penalty.params.parse({}), { lambda: 0.1, form: 'abs', constraint: 'ecp' });
    assert.deepEqual(strictPenalty.params.parse({}), { lambda: STRICT_PENALTY_LAMBDA, form: 'abs', constraint: 'ecp' });
    assert.equal(STRICT_PENALTY_LAMBDA, 1000);
    assert.deepEqual(strictPenalty.params.parse({ form: 'squared', lambda: 10000 }), { lambda: 10000, form: 'squared', constraint: 'ecp' });
    assert.throws(() => penalty.params.parse({ form: 'cubed' }));
    assert.equal(strictPenalty.strength, 'lambda');
  });
});
