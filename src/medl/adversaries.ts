/**
 * The adversaries of Fair MEDL (methods.md §2 (a) 2 and 5): the cluster adversary reads the fixed-effects MLP's
 * hidden activations and predicts the cluster; a fairness adversary reads (ŷ, y), a prediction and the true label,
 * and predicts one sensitive attribute (softmax over its values, so multi-valued attributes need nothing special).
 * There is one fairness head per sensitive attribute for the fixed-effects output and another for the mixed one.
 */
import * as tf from '@tensorflow/tfjs';
import type { GroupIndex } from '../data/types.js';
import { buildMlp, type Mlp } from '../nn/mlp.js';

/** The values of one sensitive attribute and the value index of every group key. */
export interface SensitiveAttribute {
  name: string;
  values: string[];
  /** Per group id: the index in `values` of the group's value of this attribute. */
  valueOfGroup: Int32Array;
}

/** Each sensitive attribute of a (possibly intersectional) group index, with its values in sorted order. */
export function sensitiveAttributes(groups: GroupIndex): SensitiveAttribute[] {
  return groups.attributes.map((name) => {
    const values = [...new Set(groups.values.map((value) => value[name]))].sort();
    const index = new Map(values.map((value, i) => [value, i]));
    return { name, values, valueOfGroup: Int32Array.from(groups.values, (value) => index.get(value[name])!) };
  });
}

/** One-hot rows [rows, k] of class ids. */
export function oneHot(classes: ArrayLike<number>, k: number): tf.Tensor2D {
  const values = new Float32Array(classes.length * k);
  for (let i = 0; i < classes.length; i++) values[i * k + classes[i]] = 1;
  return tf.tensor2d(values, [classes.length, k]);
}

/** Mean categorical cross-entropy of logits [rows, K] against one-hot targets (−log softmax of the true class). */
export function categoricalCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, targets), 1))) as tf.Scalar);
}

/** Each attribute's values of the rows as one-hot targets [rows, values], from the rows' group ids. */
export function attributeTargets(attributes: SensitiveAttribute[], groups: Int32Array): tf.Tensor2D[] {
  return attributes.map((attribute) => oneHot(Array.from(groups, (g) => attribute.valueOfGroup[g]), attribute.values.length));
}

/** The cluster adversary: ReLU layers (ARMED: 8, 8, 4), then logits over the clusters. */
export function buildClusterAdversary(inputDim: number, hidden: number[], nClusters: number, seed: number): Mlp {
  return buildMlp({ inputDim, hidden, activation: 'relu', outputDim: nClusters, seed });
}

/** A fairness head: (ŷ, y) → ReLU layer (Yang et al.: 10 units) → logits over the attribute's values. */
export function buildFairnessHead(hidden: number, nValues: number, seed: number): Mlp {
  return buildMlp({ inputDim: 2, hidden: hidden > 0 ? [hidden] : [], activation: 'relu', outputDim: nValues, seed });
}

/**
 * The second column of the heads' input, [rows, 2]: 0 beside the 0/1 label; for regression 0 beside the standardised
 * target. Built once per batch, outside any gradient tape (the caller disposes it).
 */
export function headLabels(batch: { y: tf.Tensor1D; targets?: tf.Tensor1D }): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.reshape(batch.targets ?? batch.y, [-1, 1]), tf.tensor2d([[0, 1]])) as tf.Tensor2D);
}

/**
 * The heads' input, [rows, 2]: the predicted probability beside the 0/1 label; for regression (`regression`) the
 * prediction itself beside the target. Written p·[1, 0] + [0, label] rather than a column concat: the same values
 * exactly (products by 1 and 0, sums with 0), without the slow Concat kernel and its SplitV gradient on wasm.
 */
export function fairnessInput(logit: tf.Tensor2D, labels: tf.Tensor2D, regression: boolean): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.mul(regression ? logit : tf.sigmoid(logit), tf.tensor2d([[1, 0]])), labels) as tf.Tensor2D);
}

/**
 * Σ over attributes of each head's cross-entropy against that attribute's one-hot targets (attributeTargets);
 * `labels` is the batch's headLabels.
 */
export function fairnessLoss(heads: Mlp[], logit: tf.Tensor2D, labels: tf.Tensor2D, regression: boolean, targets: tf.Tensor2D[]): tf.Scalar {
  return tf.tidy(() => {
    const input = fairnessInput(logit, labels, regression);
    return tf.addN(heads.map((head, a) => categoricalCrossEntropy(head.apply(input), targets[a]))) as tf.Scalar;
  });
}
