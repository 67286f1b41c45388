import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import { untaped } from './untaped.js';

describe('untaped', () => {
  before(async () => {
    await initBackend();
  });

  test('ops inside carry no gradient; ops outside keep theirs; the tape records again afterwards', () => {
    tf.tidy(() => {
      const x = tf.variable(tf.tensor1d([1, 2, 3]));
      const { grads } = tf.variableGrads(() => {
        // 3x² off the tape, 5x on it, and x² on it again after untaped returned: the gradient is 5 + 2x.
        const hidden = untaped(() => tf.sum(tf.mul(3, tf.square(x))));
        return tf.addN([hidden, tf.sum(tf.mul(5, x)), tf.sum(tf.square(x))]) as tf.Scalar;
      }, [x]);
      assert.deepEqual(Array.from(grads[x.name].dataSync()), [7, 9, 11]);
      x.dispose();
    });
  });

  test('restores the tape state when f throws', () => {
    const depth = tf.engine().state.kernelDepth;
    assert.throws(() => untaped(() => {
      throw new Error('inside');
    }), /inside/);
    assert.equal(tf.engine().state.kernelDepth, depth);
  });
});
