/**
 * The absolute-correlation loss of Fair MEDL's "fair DA-ACL" ablation (methods.md §2 (d)), a penalty in place of the
 * fairness adversaries. The paper's body is not readable (§2 (v)), so the conditioning follows what the adversary
 * targets, equalised odds (its input is (ŷ, y)), and the absolute-correlation loss of Beutel et al. (2019), which
 * computes |corr(ŷ, s)| within a label class: here within each class, so both TPR and FPR gaps are penalised.
 *
 *   ACL = Σ_attributes Σ_{c ∈ {0, 1}} (1/K) Σ_k |corr(ŷ, 1[s = k] | y = c)|
 *
 * ŷ is the predicted probability, corr the Pearson correlation over the batch's rows of class c (population moments),
 * K the attribute's number of values, so a two-valued attribute gives exactly |corr(ŷ, s | y = c)|. A class with fewer
 * than two rows in the batch adds nothing; a value absent from (or filling) a class has zero covariance there and adds
 * 0. EPSILON keeps the square root's gradient finite when ŷ is constant over a class.
 */
import * as tf from '@tensorflow/tfjs';

export const EPSILON = 1e-12;

/** The rows of one label class: a 0/1 mask [rows, 1] and how many rows it holds. */
export interface LabelClass {
  mask: tf.Tensor2D;
  count: number;
}

/** The label classes of a batch with at least two rows each (the caller disposes the masks). */
export function labelClasses(labels: ArrayLike<number>): LabelClass[] {
  return [0, 1].flatMap((c) => {
    const mask = Float32Array.from(labels, (label) => (label === c ? 1 : 0));
    const count = mask.reduce((a, b) => a + b, 0);
    return count >= 2 ? [{ mask: tf.tensor2d(mask, [labels.length, 1]), count }] : [];
  });
}

/**
 * ACL of one output's logits [rows, 1] against each attribute's one-hot values [rows, K]. Regression: ŷ is the
 * output itself, and the classes are the strata (target above the training median or not).
 */
export function absCorrelationLoss(logit: tf.Tensor2D, attributes: tf.Tensor2D[], classes: LabelClass[], regression = false): tf.Scalar {
  return tf.tidy(() => {
    const p = regression ? logit : tf.sigmoid(logit);
    const terms: tf.Scalar[] = [tf.scalar(0)];
    for (const { mask, count } of classes) {
      const mean = (t: tf.Tensor2D) => tf.div(tf.sum(tf.mul(mask, t), 0, true), count);
      const dp = tf.sub(p, mean(p));
      const varP = mean(tf.square(dp) as tf.Tensor2D);
      for (const s of attributes) {
        const ds = tf.sub(s, mean(s));
        const cov = mean(tf.mul(dp, ds) as tf.Tensor2D);
        const varS = mean(tf.square(ds) as tf.Tensor2D);
        const corr = tf.div(cov, tf.sqrt(tf.add(tf.mul(varP, varS), EPSILON)));
        terms.push(tf.mean(tf.abs(corr)) as tf.Scalar);
      }
    }
    return tf.addN(terms) as tf.Scalar;
  });
}
