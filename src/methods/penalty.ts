import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Method } from '../train/method.js';
import { cellMembership, cellSums, requireTwoGroups } from './group-cells.js';

export const penaltyParams = z
  .object({
    lambda: z.number().min(0).default(0.1),
  })
  .strict();
export type PenaltyParams = z.infer<typeof penaltyParams>;

/**
 * The F-Layer paper's Penalty baseline (methods.md §6): BCE plus λ times the gaps in mean logit between every
 * pair of groups, i.e. a soft version of the ECP constraint (logit space, no conditioning on the label).
 * Strict Penalty is the same method with a huge λ (1000 or more).
 */
export const penalty: Method<PenaltyParams> = {
  name: 'penalty',
  summary: 'Task loss + lambda · Σ over group pairs of |mean logit gap| (the F-Layer paper\'s Penalty baseline).',
  params: penaltyParams,
  tasks: ['classification', 'regression'],
  paramDocs: {
    lambda: 'Weight of the logit-gap penalty (0 = erm; the paper\'s Strict Penalty uses 1000+, which collapses to a near-constant predictor).',
  },
  strength: 'lambda',
  check: (train) => requireTwoGroups('penalty', train),
  penalty: ({ nGroups }) => (outputs, batch) => logitGapPenalty(outputs.logits, batch.groups, nGroups),
};

/** Σ_{g<h} |mean(z | g) − mean(z | h)| over the pairs of groups that both have rows in the batch. */
export function logitGapPenalty(logits: tf.Tensor, groups: Int32Array, nGroups: number): tf.Scalar {
  return tf.tidy(() => {
    const membership = cellMembership(groups, nGroups);
    const inverseCounts = Float32Array.from(membership.counts, (n) => (n > 0 ? 1 / n : 0));
    const pairs = new Float32Array(nGroups * nGroups);
    for (let g = 0; g < nGroups; g++) for (let h = g + 1; h < nGroups; h++) pairs[g * nGroups + h] = inverseCounts[g] > 0 && inverseCounts[h] > 0 ? 1 : 0;
    const means = tf.mul(cellSums(logits, membership), tf.tensor1d(inverseCounts));
    const gaps = tf.abs(tf.sub(tf.reshape(means, [nGroups, 1]), tf.reshape(means, [1, nGroups])));
    return tf.sum(tf.mul(gaps, tf.tensor2d(pairs, [nGroups, nGroups])));
  });
}
