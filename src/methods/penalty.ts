import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { FairkitError } from '../errors.js';
import type { Method } from '../train/method.js';
import { cellMembership, cellSums, requireTwoGroups } from './group-cells.js';

/**
 * How each pairwise gap enters the penalty: 'abs' (|gap|: the loan code, and fairkit's default since the method
 * was added) or 'squared' (gap²: the CelebA/FairFace code, methods.md §3 (v) "Penalty baselines").
 */
export const GAP_FORMS = ['abs', 'squared'] as const;
export type GapForm = (typeof GAP_FORMS)[number];

/** What the penalty evens out: mean outputs between groups (ECP, the default) or each group's mean residual (EER). */
export const PENALTY_CONSTRAINTS = ['ecp', 'eer'] as const;

const constraintDoc =
  "'ecp' (gaps between the groups' mean outputs) or 'eer' (regression: each group's mean residual, output − standardised target, in absolute value or squared: the soft form of the F-Layer's EER).";

const formDoc = "How each pairwise gap of mean logits enters the penalty: 'abs' (|gap|, the paper's loan code) or 'squared' (gap², its CelebA/FairFace code).";

const gapPenaltyParams = (defaultLambda: number) =>
  z
    .object({
      lambda: z.number().min(0).default(defaultLambda),
      form: z.enum(GAP_FORMS).default('abs'),
      constraint: z.enum(PENALTY_CONSTRAINTS).default('ecp'),
    })
    .strict();

export const penaltyParams = gapPenaltyParams(0.1);
export type PenaltyParams = z.infer<typeof penaltyParams>;

/** The Strict Penalty's λ: the paper's loan setting (its CelebA/FairFace runs use 10000 with the squared form). */
export const STRICT_PENALTY_LAMBDA = 1000;
export const strictPenaltyParams = gapPenaltyParams(STRICT_PENALTY_LAMBDA);

/** The penalty method's parts shared by penalty and strict-penalty (they differ in name and default λ only). */
function gapPenaltyMethod(name: string, summary: string, params: typeof penaltyParams, lambdaDoc: string): Method<PenaltyParams> {
  return {
    name,
    summary,
    params,
    tasks: ['classification', 'regression'],
    paramDocs: { lambda: lambdaDoc, form: formDoc, constraint: constraintDoc },
    strength: 'lambda',
    check: (train, { constraint }) => {
      requireTwoGroups(name, train);
      if (constraint === 'eer' && train.targets === undefined) {
        throw new FairkitError(`method '${name}': constraint=eer penalises each group's mean residual and needs a regression task; this run is classification`, { fix: 'Use constraint=ecp' });
      }
    },
    penalty:
      ({ nGroups, params: { form, constraint } }) =>
      (outputs, batch) =>
        constraint === 'eer' ? residualPenalty(outputs.logits, batch.targets!, batch.groups, nGroups, form) : logitGapPenalty(outputs.logits, batch.groups, nGroups, form),
  };
}

/**
 * The F-Layer paper's Penalty baseline (methods.md §6): BCE plus λ times the gaps in mean logit between every
 * pair of groups, i.e. a soft version of the ECP constraint (logit space, no conditioning on the label).
 */
export const penalty = gapPenaltyMethod(
  'penalty',
  "Task loss + lambda · Σ over group pairs of |mean logit gap| (or its square) (the F-Layer paper's Penalty baseline).",
  penaltyParams,
  `Weight of the logit-gap penalty (0 = erm; strict-penalty is this method with lambda ${STRICT_PENALTY_LAMBDA}).`,
);

/**
 * The paper's Strict Penalty: the same loss with a huge λ (1000 on loan; 10000 with the squared form on
 * CelebA/FairFace). It drives the group means together at almost any cost, and collapses toward a constant predictor.
 */
export const strictPenalty = gapPenaltyMethod(
  'strict-penalty',
  `penalty with lambda ${STRICT_PENALTY_LAMBDA} (the F-Layer paper's Strict Penalty; expect a near-constant predictor).`,
  strictPenaltyParams,
  `Weight of the logit-gap penalty (default ${STRICT_PENALTY_LAMBDA}, the paper's loan setting; it used 10000 with form=squared on images).`,
);

/**
 * Σ_{g<h} |mean(z | g) − mean(z | h)| (form 'abs') or Σ_{g<h} (mean(z | g) − mean(z | h))² (form 'squared'), over
 * the pairs of groups that both have rows in the batch.
 */
export function logitGapPenalty(logits: tf.Tensor, groups: Int32Array, nGroups: number, form: GapForm = 'abs'): tf.Scalar {
  return tf.tidy(() => {
    const membership = cellMembership(groups, nGroups);
    const inverseCounts = Float32Array.from(membership.counts, (n) => (n > 0 ? 1 / n : 0));
    const pairs = new Float32Array(nGroups * nGroups);
    for (let g = 0; g < nGroups; g++) for (let h = g + 1; h < nGroups; h++) pairs[g * nGroups + h] = inverseCounts[g] > 0 && inverseCounts[h] > 0 ? 1 : 0;
    const means = tf.mul(cellSums(logits, membership), tf.tensor1d(inverseCounts));
    const differences = tf.sub(tf.reshape(means, [nGroups, 1]), tf.reshape(means, [1, nGroups]));
    const gaps = form === 'abs' ? tf.abs(differences) : tf.square(differences);
    return tf.sum(tf.mul(gaps, tf.tensor2d(pairs, [nGroups, nGroups])));
  });
}

/** Σ_g |mean(z − t | g)| (form 'abs') or Σ_g mean(z − t | g)² (form 'squared') over the groups with rows in the batch. */
export function residualPenalty(outputs: tf.Tensor, targets: tf.Tensor1D, groups: Int32Array, nGroups: number, form: GapForm = 'abs'): tf.Scalar {
  return tf.tidy(() => {
    const membership = cellMembership(groups, nGroups);
    const inverseCounts = Float32Array.from(membership.counts, (n) => (n > 0 ? 1 / n : 0));
    const residualMeans = tf.mul(cellSums(tf.sub(tf.reshape(outputs, [-1]), targets), membership), tf.tensor1d(inverseCounts));
    return tf.sum(form === 'abs' ? tf.abs(residualMeans) : tf.square(residualMeans));
  });
}
