import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../nn/backend.js';
import { Rng } from '../rng.js';
import { projectedPredictorDirection } from './adversarial.js';
import { projectedPredictorGradient } from './projected-gradient.test-helper.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, v, i) => sum + v * b[i], 0);

function project(task: number[], adversary: number[], alpha: number): Float32Array {
  return projectedPredictorDirection([Float32Array.from(task)], [Float32Array.from(adversary)], alpha)[0];
}

/** The tensor form on the variables' gradients flattened and concatenated, as the loop's players combine them. */
function projectWithTensors(task: Float32Array[], adversary: Float32Array[], alpha: number): Float32Array {
  return tf.tidy(() => {
    const flat = (parts: Float32Array[]) => tf.concat(parts.map((p) => tf.tensor1d(p))) as tf.Tensor1D;
    return projectedPredictorGradient(flat(task), flat(adversary), alpha).dataSync() as Float32Array;
  });
}

const concatenated = (parts: Float32Array[]) => Float32Array.from(parts.flatMap((p) => Array.from(p)));

describe('adversarial: Zhang et al.\'s projected predictor gradient', () => {
  before(async () => {
    await initBackend('wasm');
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

  // Long sums of values over many magnitudes: a different summation order (pairwise, vectorised) or a float64
  // accumulator would change the last bits.
  test('bit for bit the tensor form on the wasm backend, over variables of the sizes of an MLP 103 → 200 → 1', () => {
    const rng = new Rng(11);
    const sizes = [103 * 200, 200, 200, 1];
    const draw = (scale: number) => sizes.map((size) => Float32Array.from({ length: size }, () => rng.normal() * scale * 10 ** Math.floor(rng.uniform() * 6 - 3)));
    const cases: [Float32Array[], Float32Array[], number][] = [
      [draw(1e-3), draw(1e-4), 0.3],
      [draw(1), draw(1), 0],
      [draw(1e-2), draw(1e-2), 2.7],
      [draw(1), sizes.map((size) => new Float32Array(size)), 0.3],
      [draw(1e-6), draw(1e-20), 1e-3],
    ];
    for (const [task, adversary, alpha] of cases) {
      const host = concatenated(projectedPredictorDirection(task, adversary, alpha));
      const tensors = projectWithTensors(task, adversary, alpha);
      assert.equal(host.length, tensors.length);
      const differing = host.findIndex((v, i) => !Object.is(v, tensors[i]));
      assert.equal(differing, -1, `first differing element ${differing}: ${host[differing]} against ${tensors[differing]}`);
    }
  });
});
