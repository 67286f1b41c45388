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

/** Mean categorical cross-entropy of logits [rows, K] against class ids (−log softmax of the true class). */
export function categoricalCrossEntropy(logits: tf.Tensor2D, classes: ArrayLike<number>): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const onehot = new Float32Array(classes.length * k);
    for (let i = 0; i < classes.length; i++) onehot[i * k + classes[i]] = 1;
    const picked = tf.sum(tf.mul(logits, tf.tensor2d(onehot, [classes.length, k])), 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked)) as tf.Scalar;
  });
}

/** The cluster adversary: ReLU layers (ARMED: 8, 8, 4), then logits over the clusters. */
export function buildClusterAdversary(inputDim: number, hidden: number[], nClusters: number, seed: number): Mlp {
  return buildMlp({ inputDim, hidden, activation: 'relu', outputDim: nClusters, seed });
}

/** A fairness head: (ŷ, y) → ReLU layer (Yang et al.: 10 units) → logits over the attribute's values. */
export function buildFairnessHead(hidden: number, nValues: number, seed: number): Mlp {
  return buildMlp({ inputDim: 2, hidden: hidden > 0 ? [hidden] : [], activation: 'relu', outputDim: nValues, seed });
}

/** The heads' input: the predicted probability beside the 0/1 label, [rows, 2]. */
export function fairnessInput(logit: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.concat([tf.sigmoid(logit), tf.reshape(y, [-1, 1])], 1) as tf.Tensor2D);
}

/** Σ over attributes of each head's cross-entropy on the rows' values of its attribute. */
export function fairnessLoss(heads: Mlp[], attributes: SensitiveAttribute[], logit: tf.Tensor2D, y: tf.Tensor1D, groups: Int32Array): tf.Scalar {
  return tf.tidy(() => {
    const input = fairnessInput(logit, y);
    const losses = heads.map((head, a) => categoricalCrossEntropy(head.apply(input), Array.from(groups, (g) => attributes[a].valueOfGroup[g])));
    return tf.addN(losses) as tf.Scalar;
  });
}
