/**
 * withSharedSaves: gradients bit-identical to the copying engine's (an MLP-like loss whose weights are reassigned
 * between steps, as the optimisers do), no Identity kernels for the saved tensors, no tensor or byte left behind, and
 * the engine's own method back in place afterwards (also after an error).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import { withSharedSaves } from './shared-saves.js';

before(async () => {
  await initBackend('wasm');
});

/** Three gradient steps of plain SGD on a small two-layer network; the gradients of every step, flattened. */
async function trainedGradients(shared: boolean, profiled = true): Promise<{ grads: number[]; identities: number }> {
  const x = tf.tensor2d([[0.3, -1.2, 2.5], [1.1, 0.4, -0.7], [-2.2, 0.9, 0.05], [0.6, -0.3, 1.4]]);
  const y = tf.tensor2d([[1], [0], [1], [0]]);
  // In a tidy: its initial values are disposed, the variables stay.
  const [w1, b1, w2] = tf.tidy(() => [tf.variable(tf.tensor2d([[0.2, -0.5], [0.7, 0.1], [-0.3, 0.4]])), tf.variable(tf.tensor1d([0.01, -0.02])), tf.variable(tf.tensor2d([[0.9], [-1.3]]))]);
  const grads: number[] = [];
  const loss = () => tf.losses.sigmoidCrossEntropy(y, tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2)) as tf.Scalar;
  const step = () => {
    const { value, grads: g } = tf.variableGrads(loss, [w1, b1, w2]);
    for (const v of [w1, b1, w2] as tf.Variable[]) {
      grads.push(...g[v.name].dataSync());
      const updated = tf.tidy(() => tf.sub(v, tf.mul(0.5, g[v.name])));
      v.assign(updated);
      updated.dispose();
    }
    tf.dispose([value, ...Object.values(g)]);
  };
  // Awaited before anything else runs: tf.profile's kernel list is the engine's, shared by overlapping profiles.
  const steps = () => {
    for (let k = 0; k < 3; k++) (shared ? withSharedSaves(() => tf.tidy(step)) : tf.tidy(step));
  };
  // tf.profile keeps a few tensors of its own: memory is checked on runs without it.
  const identities = profiled ? (await tf.profile(steps)).kernels.filter((kernel) => kernel.name === 'Identity').length : (steps(), -1);
  tf.dispose([x, y, w1, b1, w2]);
  return { grads, identities };
}

test('withSharedSaves: gradients bit-identical to the copying engine, without Identity copies, nothing leaked', async () => {
  const copied = await trainedGradients(false);
  const shared = await trainedGradients(true);
  const before = tf.memory();
  assert.deepEqual((await trainedGradients(true, false)).grads, copied.grads);
  assert.deepEqual(shared.grads, copied.grads);
  assert.ok(copied.identities > 0, 'the copying engine clones what its gradients read');
  assert.equal(shared.identities, 0);
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numBytes, before.numBytes);
});

test('withSharedSaves: the engine copies again afterwards, also after an error; nesting is harmless', () => {
  const engine = tf.engine() as unknown as Record<string, unknown>;
  assert.throws(() => withSharedSaves(() => withSharedSaves(() => { throw new Error('inside'); })), /inside/);
  assert.equal(Object.prototype.hasOwnProperty.call(engine, 'saveTensorsForBackwardMode'), false);
});
