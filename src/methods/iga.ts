import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Method } from '../train/method.js';
import { requireTwoGroups } from './group-cells.js';
import { gradientPenaltyStep, splitIntoCells, type CellGradient } from './subgroup-gradients.js';

export const igaParams = z
  .object({
    lambda: z.number().min(0).default(1),
    layers: z.string().min(1).default('all'),
    oversample: z.boolean().default(false),
  })
  .strict();
export type IgaParams = z.infer<typeof igaParams>;

/**
 * Inter-Gradient Alignment (Koyama & Yamaguchi 2020) with the groups as environments, as the GCM paper adapts it
 * (Eq. 16; methods.md §6; docs/methods/iga.md): L = BCE + λ · Σ_a Σ_w (ḡ_w^{A=a} − ḡ_w)², where ḡ^{A=a} is the
 * gradient of group a's mean BCE and ḡ that of the batch's mean BCE (the trace of the gradient variance over
 * groups, up to the weighting of the groups).
 */
export const iga: Method<IgaParams> = {
  name: 'iga',
  summary: 'Inter-Gradient Alignment (GCM Eq. 16): + lambda · Σ_a ‖mean-loss gradient of group a − batch gradient‖² (double backprop).',
  params: igaParams,
  paramDocs: {
    lambda: 'Weight of the gradient-variance penalty (0 = erm; the GCM paper sweeps 1 to 10).',
    layers: "Weights the penalty covers: 'all', or names separated by ',' or '+' (dense0/kernel, dense0/bias, a layer dense0, weight0, bias0, …).",
    oversample: 'Draw batches with equal (group, label) cells (the GCM paper\'s IGA table starts from OverSampling).',
  },
  strength: 'lambda',
  acceptsSampleWeights: false,
  sampler: (params) => (params.oversample ? 'balanced' : 'shuffle'),
  check: (train) => requireTwoGroups('iga', train),
  step: (context) =>
    gradientPenaltyStep(context, {
      lambda: context.params.lambda,
      layers: context.params.layers,
      splitBatch: (batch) => splitIntoCells(batch, context.nGroups),
      penalty: (cells) => igaPenalty(cells),
      penaltyWithGradient: igaPenaltyWithGradient,
    }),
};

/** Σ_a Σ_w (ḡ^{A=a} − ḡ)² over the groups present in the batch; null when only one group is present. */
export function igaPenalty(cells: CellGradient[]): tf.Scalar | null {
  const groups = [...new Set(cells.map((cell) => cell.group))];
  if (groups.length < 2) return null;
  return tf.tidy(() => {
    const rows = cells.reduce((n, cell) => n + cell.size, 0);
    const nWeights = cells[0].grads.length;
    const terms: tf.Scalar[] = [];
    for (let k = 0; k < nWeights; k++) {
      const batchMean = tf.div(tf.addN(cells.map((cell) => cell.grads[k])), rows);
      for (const group of groups) {
        const own = cells.filter((cell) => cell.group === group);
        const groupMean = tf.div(tf.addN(own.map((cell) => cell.grads[k])), own.reduce((n, cell) => n + cell.size, 0));
        terms.push(tf.sum(tf.square(tf.sub(groupMean, batchMean))));
      }
    }
    return tf.addN(terms);
  });
}

/**
 * λ·igaPenalty and its gradient with respect to the cells' gradients, written out (for the hand-written step on plain
 * ReLU MLPs): with d_a = ḡ^{A=a} − ḡ, cell c of group a gets 2λ·d_a/n_a − Σ_b 2λ·d_b/N, in the operations and order
 * TensorFlow.js's autodiff uses (2λ·d_a as one product, the sum negated before the division), so the result equals it
 * bit for bit with two groups; with more, the sum over groups may be accumulated in another order.
 */
export function igaPenaltyWithGradient(cells: CellGradient[], lambda: number): { value: tf.Scalar; grads: (tf.Tensor | undefined)[][] } | null {
  const groups = [...new Set(cells.map((cell) => cell.group))];
  if (groups.length < 2) return null;
  const rows = cells.reduce((n, cell) => n + cell.size, 0);
  const nWeights = cells[0].grads.length;
  const twiceLambda = 2 * Math.fround(lambda);
  const grads: tf.Tensor[][] = cells.map(() => []);
  const terms: tf.Scalar[] = [];
  for (let k = 0; k < nWeights; k++) {
    const batchMean = tf.div(tf.addN(cells.map((cell) => cell.grads[k])), rows);
    const own = new Map<number, tf.Tensor>();
    const scaled: tf.Tensor[] = [];
    for (const group of groups) {
      const members = cells.filter((cell) => cell.group === group);
      const size = members.reduce((n, cell) => n + cell.size, 0);
      const difference = tf.sub(tf.div(tf.addN(members.map((cell) => cell.grads[k])), size), batchMean);
      terms.push(tf.sum(tf.square(difference)));
      const adjoint = tf.mul(difference, twiceLambda);
      scaled.push(adjoint);
      own.set(group, tf.div(adjoint, size));
    }
    const shared = tf.div(tf.neg(tf.addN(scaled)), rows);
    cells.forEach((cell, c) => (grads[c][k] = tf.add(own.get(cell.group)!, shared)));
  }
  return { value: tf.mul(lambda, tf.addN(terms)), grads };
}
