import * as tf from '@tensorflow/tfjs';

/**
 * Losses on logits, written with softplus so that their gradients can be differentiated again exactly
 * (softplus' gradient is the sigmoid of its saved input). Avoid tf.losses.* and sigmoid-then-log forms
 * in anything a method differentiates twice: their second derivatives are wrong in TensorFlow.js.
 */

/**
 * Binary cross-entropy on logits: the (weighted) mean of softplus(z) − y·z, which equals
 * −y·log σ(z) − (1−y)·log(1−σ(z)) without overflow for large |z|.
 * `logits` and `labels` have the same shape ([n] or [n, 1]); `weights`, when given, holds one
 * non-negative weight per row and the result is the mean of w·ℓ. (Not Σ w·ℓ / Σ w: normalising within each batch
 * partly cancels the weights, and in a batch of one row completely; fit scales row weights to average 1 instead.)
 */
export function bceWithLogits(logits: tf.Tensor, labels: tf.Tensor, weights?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.reshape(logits, [-1]);
    const y = tf.cast(tf.reshape(labels, [-1]), 'float32');
    const perRow = tf.sub(tf.softplus(z), tf.mul(y, z));
    if (weights === undefined) return tf.mean(perRow);
    const w = tf.cast(tf.reshape(weights, [-1]), 'float32');
    return tf.mean(tf.mul(w, perRow));
  });
}

