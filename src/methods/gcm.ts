import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { FairkitError } from '../errors.js';
import type { Method } from '../train/method.js';
import { requireTwoGroups } from './group-cells.js';
import {
  cellAdjoints,
  confidence,
  gradientPenaltyStep,
  independentCellShares,
  pairsWithReference,
  resampleIntoCells,
  splitIntoCells,
  type CellGradient,
} from './subgroup-gradients.js';

export const MISMATCHES = ['abs', 'square', 'signed'] as const;
export type Mismatch = (typeof MISMATCHES)[number];

export const gcmParams = z
  .object({
    lambda: z.number().min(0).default(3e-6),
    T: z.number().min(0).default(2),
    mismatch: z.enum(MISMATCHES).default('abs'),
    layers: z.string().min(1).default('all'),
    reduction: z.enum(['auto', 'sum', 'mean']).default('auto'),
    form: z.enum(['eo', 'dp']).default('eo'),
    oversample: z.boolean().default(false),
  })
  .strict();
export type GcmParams = z.infer<typeof gcmParams>;

/**
 * Group Contribution Matching (Li et al., IJCAI 2023; methods.md §5; docs/methods/gcm.md). For each label y the
 * gradient magnitudes of the cells (A=a, Y=y), weighted by the cells' confidence to the power T, are matched
 * parameter by parameter against the reference cell (the group the model is most confident about):
 *
 *   L = BCE + λ · Σ_y Σ_{a ≠ ref} Σ_w mismatch( W^{a,y}·|g_w^{a,y}| − W^{ref,y}·|g_w^{ref,y}| ),  W = c^T,
 *
 * g^{a,y} the gradient of the cell's summed BCE (Eq. 6–7; 'mean' reduction divides by the cell size) and c the
 * cell's confidence (Eq. 12), a constant. T = 0 is gradient matching (Eq. 10), T > 0 gradient reweighing
 * (Eq. 13). The dp form resamples the batch so that group and label are independent and matches mean gradients.
 */
export const gcm: Method<GcmParams> = {
  name: 'gcm',
  summary: 'Group Contribution Matching (Li et al. 2023): match confidence-weighted subgroup gradient magnitudes (double backprop).',
  params: gcmParams,
  paramDocs: {
    lambda: 'Weight of the matching loss (0 = erm for form=eo, plain resampling for form=dp). The loss grows with the number of weights covered and the batch size: on Adult (MLP 200, batch 2000, all 20,601 weights) it is ≈ 10⁴ and useful values are 1e-6 to 3e-5; 1e-4 collapses the model. The default 3e-6 is the best trade-off measured there with T = 2 (docs/methods/gcm.md).',
    T: 'Temperature of the confidence weights W = c^T (0 = plain gradient matching, Eq. 10; the paper uses 0 and 2).',
    mismatch: "How a weighted magnitude difference d is penalised: 'abs' |d| (default), 'square' d², 'signed' d as printed in Eq. 13.",
    layers: "Weights the loss covers: 'all', or names separated by ',' or '+' (dense0/kernel, dense0/bias, a layer dense0, or the paper's weight0, bias0, …).",
    reduction: "'sum' (Eq. 6: gradient of the summed subgroup loss), 'mean' (per-row average gradient), or 'auto' (default): sum for form=eo, mean for form=dp.",
    form: "'eo': the batch as drawn (equalised odds); 'dp': cells resampled to P(A)·P(Y) shares (demographic parity).",
    oversample: 'Draw batches with equal (group, label) cells, as the paper\'s layer-wise and baseline tables appear to (their λ = 0 rows equal OverSampling).',
  },
  strength: 'lambda',
  acceptsSampleWeights: false,
  sampler: (params) => (params.oversample ? 'balanced' : 'shuffle'),
  check: (train, params) => {
    requireTwoGroups('gcm', train);
    if (params.form === 'dp' && params.oversample) {
      throw new FairkitError("method 'gcm': form=dp resamples every batch itself, so it cannot be combined with oversample=true", { fix: 'Drop oversample, or use form=eo' });
    }
  },
  step: (context) => {
    const { params, nGroups, train, rng } = context;
    const shares = params.form === 'dp' ? independentCellShares(train.y, train.groups.ids, nGroups) : null;
    const penaltyOptions = { T: params.T, mismatch: params.mismatch, reduction: params.reduction !== 'auto' ? params.reduction : params.form === 'dp' ? ('mean' as const) : ('sum' as const) };
    return gradientPenaltyStep(context, {
      lambda: params.lambda,
      layers: params.layers,
      splitBatch: (batch) => (shares ? resampleIntoCells(batch, nGroups, shares, rng) : splitIntoCells(batch, nGroups)),
      penalty: (cells) => gcmPenalty(cells, penaltyOptions),
      // The penalty's gradient by hand (for the hand-written step on plain ReLU MLPs).
      penaltyWithGradient: (cells: CellGradient[], lambda: number) => gcmPenaltyWithGradient(cells, penaltyOptions, lambda),
    });
  },
};

/** GCM's matching loss (Eq. 13, Eq. 14 when the cells' gradients cover only some weights); null when nothing is compared. */
export function gcmPenalty(cells: CellGradient[], options: { T: number; mismatch: Mismatch; reduction: 'sum' | 'mean' }): tf.Scalar | null {
  const pairs = pairsWithReference(cells);
  if (pairs.length === 0) return null;
  return tf.tidy(() => {
    const coefficient = (cell: CellGradient) => coefficientOf(cell, options);
    const terms: tf.Scalar[] = [];
    for (const { reference, others } of pairs) {
      for (const other of others) {
        other.grads.forEach((grad, k) => {
          const difference = tf.sub(tf.mul(coefficient(other), tf.abs(grad)), tf.mul(coefficient(reference), tf.abs(reference.grads[k])));
          terms.push(tf.sum(mismatchOf(difference, options.mismatch)));
        });
      }
    }
    return tf.addN(terms);
  });
}

/** A cell's weight in the matching loss: W = c^T, divided by the cell size for the 'mean' reduction. */
function coefficientOf(cell: CellGradient, options: { T: number; reduction: 'sum' | 'mean' }): number {
  return confidence(cell) ** options.T / (options.reduction === 'mean' ? cell.size : 1);
}

/**
 * λ·gcmPenalty and its gradient with respect to the cells' gradients, written out: with d = W_o·|g_o| − W_r·|g_r| and
 * m the mismatch, ∂m(d)/∂g_o = W_o·m'(d)·sign(g_o) and ∂m(d)/∂g_r = −W_r·m'(d)·sign(g_r), summed over the pairs a cell
 * is in; m' is sign(d) for 'abs', 2d for 'square', 1 for 'signed'. sign is TensorFlow.js's Abs gradient, step(x, −1)
 * (−1 at 0), and λ·W is rounded as the float32 product autodiff forms, so for 'abs' the value and G equal TensorFlow.js
 * autodiff's bit for bit when each reference cell is in one pair (two groups; with more, its sum may be accumulated in
 * another order). 'square' multiplies in another order than autodiff (equal to float32 rounding).
 */
export function gcmPenaltyWithGradient(cells: CellGradient[], options: { T: number; mismatch: Mismatch; reduction: 'sum' | 'mean' }, lambda: number): { value: tf.Scalar; grads: (tf.Tensor | undefined)[][] } | null {
  const pairs = pairsWithReference(cells);
  if (pairs.length === 0) return null;
  const f32 = Math.fround;
  const { grads, add: accumulate } = cellAdjoints(cells);
  const signs = new Map<tf.Tensor, tf.Tensor>();
  const signOf = (grad: tf.Tensor) => signs.get(grad) ?? signs.set(grad, tf.step(grad, -1)).get(grad)!;
  /** m'(d) times the sign of g; for 'signed', m' = 1. */
  const slopeTimes = (direction: tf.Tensor | null, sign: tf.Tensor, factor: number) =>
    direction === null ? tf.mul(sign, factor) : tf.mul(tf.mul(direction, factor), sign);
  const terms: tf.Scalar[] = [];
  for (const { reference, others } of pairs) {
    for (const other of others) {
      other.grads.forEach((grad, k) => {
        const [wOther, wReference] = [coefficientOf(other, options), coefficientOf(reference, options)];
        const difference = tf.sub(tf.mul(wOther, tf.abs(grad)), tf.mul(wReference, tf.abs(reference.grads[k])));
        terms.push(tf.sum(mismatchOf(difference, options.mismatch)));
        const direction = options.mismatch === 'abs' ? tf.step(difference, -1) : options.mismatch === 'square' ? tf.mul(difference, 2) : null;
        accumulate(other, k, slopeTimes(direction, signOf(grad), f32(f32(lambda) * f32(wOther))));
        accumulate(reference, k, slopeTimes(direction, signOf(reference.grads[k]), -f32(f32(lambda) * f32(wReference))));
      });
    }
  }
  return { value: tf.mul(lambda, tf.addN(terms)), grads };
}

function mismatchOf(difference: tf.Tensor, mismatch: Mismatch): tf.Tensor {
  switch (mismatch) {
    case 'abs':
      return tf.abs(difference);
    case 'square':
      return tf.square(difference);
    case 'signed':
      return difference;
  }
}
