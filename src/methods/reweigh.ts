import { z } from 'zod';
import type { Method } from '../train/method.js';

export const reweighParams = z
  .object({
    lambda: z.number().min(0).default(1),
  })
  .strict();
export type ReweighParams = z.infer<typeof reweighParams>;

/**
 * Kamiran & Calders reweighing (methods.md §6): each training row of cell (a, y) is weighted by
 * P(A=a)·P(Y=y) / P(A=a, Y=y) in the task loss, so that in the weighted data the label is independent of the
 * group. λ tempers the weights to w^λ: 0 is erm, 1 the classic method.
 */
export const reweigh: Method<ReweighParams> = {
  name: 'reweigh',
  summary: 'Kamiran–Calders reweighing: rows weighted by P(A)P(Y)/P(A,Y) so that labels are independent of groups.',
  params: reweighParams,
  tasks: ['classification', 'regression'],
  paramDocs: {
    lambda: 'Exponent applied to the weights, w^lambda: 0 = erm, 1 = Kamiran & Calders (default), above 1 over-corrects.',
  },
  strength: 'lambda',
  sampleWeights: (train, params) => reweighingWeights(train.groups.ids, train.y, train.groups.keys.length, params.lambda),
};

/** Per-row weights (P(A=a)·P(Y=y) / P(A=a, Y=y))^lambda from the rows' groups and labels. */
export function reweighingWeights(groups: Int32Array, labels: Uint8Array, nGroups: number, lambda = 1): Float32Array {
  const n = groups.length;
  const byGroup = new Float64Array(nGroups);
  const byLabel = new Float64Array(2);
  const byCell = new Float64Array(2 * nGroups);
  for (let i = 0; i < n; i++) {
    byGroup[groups[i]]++;
    byLabel[labels[i]]++;
    byCell[labels[i] * nGroups + groups[i]]++;
  }
  // Every cell that holds a row has a positive count, so no division by zero can happen.
  return Float32Array.from(groups, (g, i) => ((byGroup[g] * byLabel[labels[i]]) / (n * byCell[labels[i] * nGroups + g])) ** lambda);
}
