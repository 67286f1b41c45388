import * as tf from '@tensorflow/tfjs';

/**
 * Zhang et al.'s predictor direction g_P − proj_{g_A} g_P − α·g_A in TensorFlow.js ops on the flattened gradients:
 * the loop's players combine (the adversarial method's reference formulation in adversarial-step.test.ts) and what
 * `projectedPredictorDirection` (adversarial.ts) must equal bit for bit.
 */
export function projectedPredictorGradient(gradTask: tf.Tensor1D, gradAdversary: tf.Tensor1D, alpha: number): tf.Tensor1D {
  return tf.tidy(() => {
    const normSquared = tf.sum(tf.square(gradAdversary));
    const coefficient = tf.div(tf.sum(tf.mul(gradTask, gradAdversary)), tf.maximum(normSquared, 1e-30));
    return tf.sub(gradTask, tf.mul(tf.add(coefficient, alpha), gradAdversary));
  });
}
