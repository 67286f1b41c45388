/** The absolute-correlation loss on cases with closed forms; its gradients are in composite-loss.test.ts (PyTorch). */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { absCorrelationLoss, labelClasses } from './abs-correlation.js';
import { oneHot } from './adversaries.js';

/** ACL of the given probabilities (as logits) against one attribute's value ids. */
function acl(probabilities: number[], labels: number[], values: number[], k: number): { value: number; gradient: number[] } {
  const classes = labelClasses(labels);
  const s = oneHot(values, k);
  const logit = tf.tensor2d(probabilities.map((p) => Math.log(p / (1 - p))), [probabilities.length, 1]);
  const value = absCorrelationLoss(logit, [s], classes);
  const gradient = tf.grad((z: tf.Tensor) => absCorrelationLoss(z as tf.Tensor2D, [s], classes))(logit);
  const result = { value: value.dataSync()[0], gradient: Array.from(gradient.dataSync()) };
  tf.dispose([value, gradient, s, logit, ...classes.map((c) => c.mask)]);
  return result;
}

/** Pearson correlation, population moments. */
function pearson(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  const cov = mean(a.map((x, i) => (x - ma) * (b[i] - mb)));
  return cov / Math.sqrt(mean(a.map((x) => (x - ma) ** 2)) * mean(b.map((x) => (x - mb) ** 2)));
}

describe('absolute-correlation loss', () => {
  before(async () => {
    await initBackend();
  });

  test('a two-valued attribute gives Σ over label classes of |corr(ŷ, s | y)|', () => {
    const p = [0.2, 0.7, 0.4, 0.9, 0.3, 0.6, 0.55, 0.1];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const s = [0, 1, 0, 1, 1, 0, 1, 0];
    const expected = Math.abs(pearson(p.slice(0, 4), s.slice(0, 4))) + Math.abs(pearson(p.slice(4), s.slice(4)));
    assert.ok(Math.abs(acl(p, y, s, 2).value - expected) < 1e-5, `${acl(p, y, s, 2).value} vs ${expected}`);
  });

  test('a class with one row adds nothing; a value absent from a class adds 0 to the mean over values', () => {
    const p = [0.2, 0.7, 0.4, 0.9, 0.3];
    const y = [0, 0, 0, 0, 1];
    const s = [0, 1, 0, 1, 2];
    // Class 1 has one row: left out. In class 0 value 2 is absent (0), values 0 and 1 have the same |corr|.
    const expected = (2 * Math.abs(pearson(p.slice(0, 4), [1, 0, 1, 0]))) / 3;
    assert.ok(Math.abs(acl(p, y, s, 3).value - expected) < 1e-5);
  });

  test('a constant prediction gives 0 and a finite gradient, not NaN', () => {
    const { value, gradient } = acl([0.5, 0.5, 0.5, 0.5], [0, 0, 1, 1], [0, 1, 0, 1], 2);
    assert.equal(value, 0);
    assert.ok(gradient.every(Number.isFinite));
  });
});
