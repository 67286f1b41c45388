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


/** Regression losses on the model's output; `delta` is Huber's switch from quadratic to linear. */
export type RegressionLoss = 'mse' | 'huber';

/**
 * Squared error or Huber loss between outputs and targets, the (weighted) mean over rows as bceWithLogits. Huber is
 * written as ½q² + δ(|e| − q) with q = |e| − relu(|e| − δ), which avoids clip and min (their second derivatives are
 * wrong in TensorFlow.js) and equals ½e² for |e| ≤ δ and δ|e| − ½δ² beyond.
 */
export function regressionLoss(outputs: tf.Tensor, targets: tf.Tensor, loss: RegressionLoss, delta = 1, weights?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const error = tf.sub(tf.reshape(outputs, [-1]), tf.reshape(targets, [-1]));
    let perRow: tf.Tensor;
    if (loss === 'mse') perRow = tf.square(error);
    else {
      const size = tf.abs(error);
      const q = tf.sub(size, tf.relu(tf.sub(size, delta)));
      perRow = tf.add(tf.mul(0.5, tf.square(q)), tf.mul(delta, tf.sub(size, q)));
    }
    if (weights === undefined) return tf.mean(perRow);
    return tf.mean(tf.mul(tf.reshape(weights, [-1]), perRow));
  });
}
