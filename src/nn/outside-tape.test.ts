/**
 * outsideTape inside a gradient computation: the outer gradient is that of the function without the work done
 * outside the tape, gradients taken inside it are right, and the engine's recording state is restored after an error.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import { outsideTape } from './outside-tape.js';

before(async () => {
  await initBackend('wasm');
});

test('outsideTape: the outer gradient ignores what ran outside the tape; an inner gradient is its own', () => {
  const w = tf.variable(tf.tensor1d([0.5, -1.5, 2]));
  const v = tf.variable(tf.tensor1d([3, 1]));
  try {
    let inner: Float32Array | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const h = tf.mul(w, w);
      outsideTape(() => {
        // Uses h (a tensor on the outer tape) and moves v: neither may reach the outer gradient.
        const g = tf.variableGrads(() => tf.sum(tf.mul(tf.sum(h), tf.square(v))), [v]);
        inner = g.grads[v.name].dataSync() as Float32Array;
        v.assign(tf.sub(v, g.grads[v.name]));
        tf.dispose([g.value, ...Object.values(g.grads)]);
      });
      return tf.add(tf.sum(h), tf.sum(v)) as tf.Scalar;
    }, [w, v]);
    // d/dv Σh·v² = 2·Σh·v with Σh = 6.5: [39, 13]; v then is [3 − 39, 1 − 13].
    assert.deepEqual(Array.from(inner!), [39, 13]);
    assert.deepEqual(Array.from(value.dataSync()), [6.5 + (3 - 39) + (1 - 13)]);
    assert.deepEqual(Array.from(grads[w.name].dataSync()), [1, -3, 4]);
    assert.deepEqual(Array.from(grads[v.name].dataSync()), [1, 1]);
    tf.dispose([value, ...Object.values(grads)]);
  } finally {
    tf.dispose([w, v]);
  }
});

test('outsideTape: restores the recording state when its function throws', () => {
  const w = tf.variable(tf.scalar(2));
  try {
    const { value, grads } = tf.variableGrads(() => {
      const y = tf.mul(w, w);
      assert.throws(() => outsideTape(() => { throw new Error('boom'); }), /boom/);
      return tf.mul(y, 3) as tf.Scalar;
    }, [w]);
    assert.equal(grads[w.name].dataSync()[0], 12);
    tf.dispose([value, ...Object.values(grads)]);
  } finally {
    w.dispose();
  }
});
