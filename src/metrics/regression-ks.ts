import { sortByScoreDescending } from './sort-scores.js';

/** Predictions sorted once (descending, with each row's group and input index), for KS over any weighting. */
export interface PredictionOrder {
  predictions: Float64Array;
  groups: Int32Array;
  /** The input row at each position. */
  rows: Int32Array;
}

export function orderByPrediction(predictions: Float64Array, groups: Int32Array): PredictionOrder {
  const sorted = sortByScoreDescending(predictions, groups, null, true);
  return { predictions: sorted.scores, groups: sorted.codes, rows: sorted.rows! };
}

/**
 * The Kolmogorov–Smirnov distance between the groups' prediction distributions: the largest
 * sup_x |F_g(x) − F_h(x)| over pairs of groups in `present`, F_g the (weighted) ECDF of group g, exact.
 *
 * Both ECDFs are step functions that jump only at the data, so the supremum is attained just after some distinct
 * prediction: walk the predictions upwards, and after each run of ties take max_g F_g − min_g F_g (the widest
 * pair at that point). With one group present it is 0. `weightOf(i)` is the weight of sorted position i and
 * `groupWeight` the groups' total weights (both from the same weighting: a bootstrap replicate passes its own).
 */
export function ksDistance(
  order: PredictionOrder,
  weightOf: (position: number) => number,
  groupWeight: ArrayLike<number>,
  present: readonly number[],
): number {
  const { predictions, groups } = order;
  const cumulative = new Float64Array(groupWeight.length);
  let best = 0;
  // The order is descending; walking it backwards visits the predictions in ascending order.
  for (let i = predictions.length - 1; i >= 0; i--) {
    cumulative[groups[i]] += weightOf(i);
    if (i > 0 && predictions[i - 1] === predictions[i]) continue;
    let low = Infinity;
    let high = -Infinity;
    for (const g of present) {
      const f = cumulative[g] / groupWeight[g];
      if (f < low) low = f;
      if (f > high) high = f;
    }
    if (high - low > best) best = high - low;
  }
  return best;
}
