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
 * non-negative weight per row and the result is Σ w·ℓ / Σ w.
 */
export declare function bceWithLogits(logits: tf.Tensor, labels: tf.Tensor, weights?: tf.Tensor): tf.Scalar;
