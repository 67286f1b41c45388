/**
 * The host-made matrices of one GroupMixNorm call (group-mix-norm.ts), built once per batch from the group ids and
 * mixing weights. With them every per-group statistic is a matMul with a small operand:
 * - slot one-hot S [N, K+1]: position i's slot is its group when that group is eligible, else K (the whole batch's
 *   statistics); N = rows × spatial positions (kept as int32 slot ids where group-mix-norm-slots.ts's segment
 *   kernels replace the products with S);
 * - means D [K+1, K+1]: D·(Sᵀx) gives the table of means, row g = the mean of eligible group g (0 for others),
 *   row K = the mean of the whole batch (every slot's sum over N);
 * - between-group spread E [K+1, K+1]: row K holds n_g/N for the eligible groups, so that the whole batch's
 *   variance is D·(Sᵀ(x − S·means)²) + E·(means − batch mean)² (the law of total variance, without cancellation);
 * - mixing weights W [M, K+1]: one row per mix (M = 1 per batch, or one per position), the whole batch's weight
 *   1 − Σ_g w_g last.
 */
import * as tf from '@tensorflow/tfjs';
import { slotIndex } from './group-mix-norm-slots.js';

export interface GroupMixPlan {
  positions: number;
  slots: number;
  /** Slot of each position (its eligible group, else K). */
  slotOf: Int32Array;
  /** Positions per eligible group (0 for the others). */
  groupCounts: Float64Array;
  /** Mixes given: 1 (one for the batch) or one per row. */
  mixes: number;
  /** Positions per row (1 for dense features). */
  spatial: number;
}

export interface GroupMixTables {
  /** S as group-mix-norm-slots.ts's slotIndex gives it (int32 ids [N] or the one-hot [N, K+1]). */
  slotIndex: tf.Tensor;
  means: tf.Tensor2D;
  spread: tf.Tensor2D;
  /** [1, K+1] for one mix per batch, else [N, K+1]: each row's mix repeated for its positions. */
  mix: tf.Tensor2D;
  /** [mixes, K+1] per mix as given (per row, not per position), for the reported mix statistics. */
  mixPerRow: tf.Tensor2D;
}

export function planGroupMix(positionIds: Int32Array, eligible: boolean[], nGroups: number, mixes: number, spatial: number): GroupMixPlan {
  const groupCounts = new Float64Array(nGroups);
  const slotOf = Int32Array.from(positionIds, (id) => {
    if (id >= 0 && id < nGroups && eligible[id]) {
      groupCounts[id]++;
      return id;
    }
    return nGroups;
  });
  return { positions: positionIds.length, slots: nGroups + 1, slotOf, groupCounts, mixes, spatial };
}

/** The tables of a plan as tensors (inside the caller's tidy). `weights` as groupMixNormalize takes them. */
export function groupMixTables(plan: GroupMixPlan, weights: ArrayLike<number>, channels: number): GroupMixTables {
  const { positions: n, slots, slotOf, groupCounts, mixes, spatial } = plan;
  const k = slots - 1;
  const means = new Float32Array(slots * slots);
  const spread = new Float32Array(slots * slots);
  for (let g = 0; g < k; g++) {
    if (groupCounts[g] > 0) {
      means[g * slots + g] = 1 / groupCounts[g];
      spread[k * slots + g] = groupCounts[g] / n;
    }
  }
  means.fill(1 / n, k * slots, slots * slots);
  const perRow = mixColumns(weights, mixes, k);
  const perPosition = mixes > 1 && spatial > 1 ? repeatRows(perRow, slots, spatial) : perRow;
  return {
    slotIndex: slotIndex(slotOf, slots, channels),
    means: tf.tensor2d(means, [slots, slots]),
    spread: tf.tensor2d(spread, [slots, slots]),
    mix: tf.tensor2d(perPosition, [perPosition.length / slots, slots]),
    mixPerRow: tf.tensor2d(perRow, [mixes, slots]),
  };
}

/** [mixes, K+1] row-major: each mix's K weights, then the whole batch's share 1 − Σ_g w_g. */
function mixColumns(weights: ArrayLike<number>, mixes: number, nGroups: number): Float32Array {
  const rows = new Float32Array(mixes * (nGroups + 1));
  for (let m = 0; m < mixes; m++) {
    let total = 0;
    for (let g = 0; g < nGroups; g++) total += rows[m * (nGroups + 1) + g] = weights[m * nGroups + g];
    rows[m * (nGroups + 1) + nGroups] = Math.max(0, 1 - total);
  }
  return rows;
}

/** Each row of a row-major [rows, width] array repeated `times` times in place. */
function repeatRows(values: Float32Array, width: number, times: number): Float32Array {
  const rows = values.length / width;
  const out = new Float32Array(values.length * times);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < times; t++) out.set(values.subarray(r * width, (r + 1) * width), (r * times + t) * width);
  }
  return out;
}
