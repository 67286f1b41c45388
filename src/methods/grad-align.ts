import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Method } from '../train/method.js';
import { requireTwoGroups } from './group-cells.js';
import { cellAdjoints, gradientPenaltyStep, pairsWithReference, splitIntoCells, type CellGradient } from './subgroup-gradients.js';

export const gradAlignParams = z
  .object({
    lambda: z.number().min(0).default(1e-3),
    mismatch: z.enum(['abs', 'square']).default('abs'),
    reduction: z.enum(['sum', 'mean']).default('mean'),
    layers: z.string().min(1).default('all'),
    oversample: z.boolean().default(false),
  })
  .strict();
export type GradAlignParams = z.infer<typeof gradAlignParams>;

/**
 * Direct gradient aligning (GCM paper Eq. 17; methods.md §6; docs/methods/grad-align.md): the signed gradients of
 * the cells (A=a, Y=y) are pulled together within each label, every group against the reference group (the one
 * the model is most confident about):  L = BCE + λ · Σ_y Σ_{a ≠ ref} Σ_w d(g_w^{a,y} − g_w^{ref,y}).
 * Unlike GCM it matches directions as well as magnitudes and has no confidence weights.
 */
export const gradAlign: Method<GradAlignParams> = {
  name: 'grad-align',
  summary: 'Direct gradient aligning (GCM Eq. 17): + lambda · Σ_y |subgroup gradient differences| (double backprop).',
  params: gradAlignParams,
  paramDocs: {
    lambda: 'Weight of the alignment penalty (0 = erm). Its scale depends on the reduction: on Adult (all 20,601 weights, abs) useful values are ≈ 1e-3 to 3e-3 with mean (default 1e-3; 1e-2 collapses some seeds) and 1e-6 to 1e-5 with sum (1e-4 collapses the model).',
    mismatch: "'abs' |d| summed over weights (default), or 'square' d².",
    reduction: "'mean': gradients of the subgroups' mean losses (default; the form that narrows the gap on Adult); 'sum': of their summed losses (Eq. 6–7 notation), which widens it.",
    layers: "Weights the penalty covers: 'all', or names separated by ',' or '+' (dense0/kernel, dense0/bias, a layer dense0, weight0, bias0, …).",
    oversample: 'Draw batches with equal (group, label) cells (the GCM paper\'s aligning table starts from OverSampling).',
  },
  strength: 'lambda',
  acceptsSampleWeights: false,
  sampler: (params) => (params.oversample ? 'balanced' : 'shuffle'),
  check: (train) => requireTwoGroups('grad-align', train),
  step: (context) =>
    gradientPenaltyStep(context, {
      lambda: context.params.lambda,
      layers: context.params.layers,
      splitBatch: (batch) => splitIntoCells(batch, context.nGroups),
      penalty: (cells) => gradAlignPenalty(cells, context.params),
      // The penalty's gradient by hand (for the hand-written step on plain ReLU MLPs).
      penaltyWithGradient: (cells: CellGradient[], lambda: number) => gradAlignPenaltyWithGradient(cells, context.params, lambda),
    }),
};

/** Σ_y Σ_{a ≠ ref} Σ_w d(g^{a,y} − g^{ref,y}); null when no label has cells from two groups. */
export function gradAlignPenalty(cells: CellGradient[], options: Pick<GradAlignParams, 'mismatch' | 'reduction'>): tf.Scalar | null {
  const pairs = pairsWithReference(cells);
  if (pairs.length === 0) return null;
  return tf.tidy(() => {
    const scale = (cell: CellGradient) => (options.reduction === 'mean' ? 1 / cell.size : 1);
    const terms: tf.Scalar[] = [];
    for (const { reference, others } of pairs) {
      for (const other of others) {
        other.grads.forEach((grad, k) => {
          const difference = tf.sub(tf.mul(scale(other), grad), tf.mul(scale(reference), reference.grads[k]));
          terms.push(tf.sum(options.mismatch === 'abs' ? tf.abs(difference) : tf.square(difference)));
        });
      }
    }
    return tf.addN(terms);
  });
}

/**
 * λ·gradAlignPenalty and its gradient with respect to the cells' gradients, written out: with d = s_o·g_o − s_r·g_r
 * (s = 1/size for 'mean', else 1) and m the mismatch, ∂m(d)/∂g_o = s_o·m'(d) and ∂m(d)/∂g_r = −s_r·m'(d), summed over
 * the pairs a cell is in; m' is sign(d) for 'abs' (TensorFlow.js's Abs gradient, step(x, −1), −1 at 0), 2d for
 * 'square'. λ·s is rounded as the float32 product autodiff forms, so for 'abs' the result equals TensorFlow.js
 * autodiff's bit for bit when each reference cell is in one pair (two groups; with more, its sum may be accumulated in
 * another order). 'square' multiplies in another order than autodiff (equal to float32 rounding).
 */
export function gradAlignPenaltyWithGradient(cells: CellGradient[], options: Pick<GradAlignParams, 'mismatch' | 'reduction'>, lambda: number): { value: tf.Scalar; grads: (tf.Tensor | undefined)[][] } | null {
  const pairs = pairsWithReference(cells);
  if (pairs.length === 0) return null;
  const f32 = Math.fround;
  const scale = (cell: CellGradient) => (options.reduction === 'mean' ? 1 / cell.size : 1);
  const { grads, add: accumulate } = cellAdjoints(cells);
  const terms: tf.Scalar[] = [];
  for (const { reference, others } of pairs) {
    for (const other of others) {
      other.grads.forEach((grad, k) => {
        const difference = tf.sub(tf.mul(scale(other), grad), tf.mul(scale(reference), reference.grads[k]));
        terms.push(tf.sum(options.mismatch === 'abs' ? tf.abs(difference) : tf.square(difference)));
        const direction = options.mismatch === 'abs' ? tf.step(difference, -1) : tf.mul(difference, 2);
        accumulate(other, k, tf.mul(direction, f32(f32(lambda) * f32(scale(other)))));
        accumulate(reference, k, tf.mul(direction, -f32(f32(lambda) * f32(scale(reference)))));
      });
    }
  }
  return { value: tf.mul(lambda, tf.addN(terms)), grads };
}
