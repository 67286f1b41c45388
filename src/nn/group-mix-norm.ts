/**
 * The maths of GroupMixNorm (Pandey et al., arXiv 2312.11969; reconstruction in shared/specs/methods.md §1):
 * per-group feature statistics within a batch, each row normalised with its own group's statistics, then
 * re-projected onto a convex mix of the group statistics, so that every group leaves with the same per-channel
 * mean and standard deviation.
 *
 * Shapes: x is [B, C] (dense features) or [B, …, C] (channels last, e.g. [B, H, W, C] after a convolution); the
 * statistics of a channel are taken over the rows of a group and every spatial position. Group ids live on the
 * host (the counts decide which rows form which group); an id outside [0, nGroups) means "unknown group".
 *
 * The statistics are matMuls with small matrices made on the host once per call (group-mix-norm-plan.ts), on
 * channels-last features as they come; the transform and its hand-written gradient are in group-mix-norm-fused.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';
import { fusedGroupMix, type GroupMixStatistics } from './group-mix-norm-fused.js';
import { groupMixTables, planGroupMix } from './group-mix-norm-plan.js';
import { outsideTape } from './outside-tape.js';

export interface GroupMixOptions {
  /** Number of known groups K; ids outside [0, K) are rows of an unknown group. */
  nGroups: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /**
   * A group with fewer rows than this in the batch is not normalised with its own statistics: its rows use the
   * whole batch's statistics and it takes no part in the mix (default 2, so a single row never has variance 0).
   */
  minGroupSize?: number;
  /** Stop gradients through the statistics, as MixStyle does (default false: they are ordinary tensors, as in BatchNorm). */
  detachStats?: boolean;
}

/** Learnable per-channel scale and shift ([C] each) applied after the re-projection; absent = 1 and 0. */
export interface Affine {
  gamma?: tf.Tensor;
  beta?: tf.Tensor;
}

/** The output and the batch's statistics (for the running statistics; not to be differentiated: in a training step they carry no gradient). */
export interface GroupMixResult {
  /** Same shape as x: ((x − μ_own) / σ_own · σ_mix + μ_mix) · γ + β. */
  output: tf.Tensor;
  /** [K, C] per-group mean of the groups that were used (`eligible`); rows of other groups are 0. */
  groupMean: tf.Tensor2D;
  /** [K, C] per-group biased variance (divided by the count), 0 for groups not used. */
  groupVar: tf.Tensor2D;
  /** [1, C] mean and biased variance of the whole batch. */
  batchMean: tf.Tensor2D;
  batchVar: tf.Tensor2D;
  /** [1, C] for one mix per batch, or [B, C] for one mix per row. */
  mixMean: tf.Tensor2D;
  mixStd: tf.Tensor2D;
  /** Rows per group in the batch, and whether the group's own statistics were used (count ≥ minGroupSize). */
  counts: Int32Array;
  eligible: boolean[];
}

export const DEFAULT_EPS = 1e-5;
export const DEFAULT_MIN_GROUP_SIZE = 2;

/**
 * GroupMixNorm in training mode. `mixWeights` holds the mixing weights over the K groups: K values (one mix for
 * the batch) or B·K values row-major (one mix per row). Weight may only fall on eligible groups; whatever a row's
 * weights leave short of 1 goes to the whole batch's statistics, so with all-zero weights (e.g. no group has two
 * rows) every row is normalised and re-projected with the batch's own statistics (the identity up to eps).
 * Gradients reach x, γ and β (and, when nested inside another gradient tape, can be differentiated again).
 */
export function groupMixNormalize(x: tf.Tensor, groupIds: Int32Array, mixWeights: ArrayLike<number>, options: GroupMixOptions, affine: Affine = {}): GroupMixResult {
  return tf.tidy(() => {
    const { output, statistics, counts, eligible } = groupMixTransform(x, groupIds, mixWeights, options, affine);
    const { meanTable, varTable, mixMean, mixStd } = statistics;
    const k = options.nGroups;
    const reported = outsideTape(() => ({
      groupMean: tf.slice(meanTable, [0, 0], [k, -1]) as tf.Tensor2D,
      groupVar: tf.slice(varTable, [0, 0], [k, -1]) as tf.Tensor2D,
      batchMean: tf.slice(meanTable, [k, 0], [1, -1]) as tf.Tensor2D,
      batchVar: tf.slice(varTable, [k, 0], [1, -1]) as tf.Tensor2D,
    }));
    return { output, ...reported, mixMean: mixMean as tf.Tensor2D, mixStd: mixStd as tf.Tensor2D, counts, eligible };
  });
}

/**
 * groupMixNormalize with the statistics as tables (rows 0…K−1 the groups, row K the whole batch), not sliced into
 * tensors of their own: for callers that read them on the host (the training step's running statistics).
 */
export function groupMixTransform(x: tf.Tensor, groupIds: Int32Array, mixWeights: ArrayLike<number>, options: GroupMixOptions, affine: Affine = {}): { output: tf.Tensor; statistics: GroupMixStatistics; counts: Int32Array; eligible: boolean[] } {
  const { nGroups, eps = DEFAULT_EPS, minGroupSize = DEFAULT_MIN_GROUP_SIZE, detachStats = false } = options;
  const where = 'GroupMixNorm';
  const [rows, channels] = checkInput(x, groupIds, nGroups, where);
  const counts = countGroups(groupIds, nGroups);
  const eligible = Array.from(counts, (n) => n >= minGroupSize && n > 0);
  const mixRows = checkMixWeights(mixWeights, rows, nGroups, eligible, where);

  const { output, ...statistics } = tf.tidy(() => {
    // Every position of a row is a sample of that row's group: the statistics of a channel pool rows and positions.
    const spatial = x.size / rows / channels;
    const plan = planGroupMix(repeatEach(groupIds, spatial), eligible, nGroups, mixRows, spatial);
    const gamma = affine.gamma ?? tf.ones([channels]);
    const beta = affine.beta ?? tf.zeros([channels]);
    const fused = fusedGroupMix(x, gamma, beta, groupMixTables(plan, mixWeights, channels), eps, detachStats);
    return { output: fused.output, ...fused.statistics };
  });
  return { output, statistics, counts, eligible };
}

/**
 * The inference-time transform with given statistics: row i is normalised with row `slot[i]` of the mean and
 * standard deviation tables ([M, C]) and re-projected onto the target mean and standard deviation ([1, C]).
 */
export function reprojectWithStatistics(x: tf.Tensor, slot: Int32Array, meanTable: tf.Tensor2D, stdTable: tf.Tensor2D, targetMean: tf.Tensor2D, targetStd: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const channels = x.shape[x.rank - 1];
    const spatial = x.size / x.shape[0] / channels;
    // One-hot rows pick each position's statistics exactly (one product by 1, the others by 0).
    const slots = oneHotRows(repeatEach(slot, spatial), meanTable.shape[0]);
    const normalised = tf.div(tf.sub(tf.reshape(x, [-1, channels]), tf.matMul(slots, meanTable)), tf.matMul(slots, stdTable));
    return tf.reshape(tf.add(tf.mul(normalised, targetStd), targetMean), x.shape);
  });
}

/** Rows per group id in [0, nGroups); unknown ids are not counted. */
export function countGroups(groupIds: Int32Array, nGroups: number): Int32Array {
  const counts = new Int32Array(nGroups);
  for (const id of groupIds) if (id >= 0 && id < nGroups) counts[id]++;
  return counts;
}

/** Each value repeated `times` times in place: [a, b] → [a, a, b, b] for 2. */
function repeatEach(values: Int32Array, times: number): Int32Array {
  if (times === 1) return values;
  const out = new Int32Array(values.length * times);
  values.forEach((v, i) => out.fill(v, i * times, (i + 1) * times));
  return out;
}

function checkInput(x: tf.Tensor, groupIds: Int32Array, nGroups: number, where: string): [number, number] {
  if (x.rank < 2) throw new FairkitError(`input must have a batch and a channel axis, got shape [${x.shape.join(', ')}]`, { where });
  if (groupIds.length !== x.shape[0]) {
    throw new FairkitError(`${groupIds.length} group ids for a batch of ${x.shape[0]} rows`, { where, fix: 'Pass one group id per row' });
  }
  if (!Number.isInteger(nGroups) || nGroups < 1) throw new FairkitError(`nGroups must be a positive integer, got ${nGroups}`, { where });
  if (x.shape[0] === 0) throw new FairkitError('the batch is empty', { where });
  return [x.shape[0], x.shape[x.rank - 1]];
}

/** Validates the mixing weights; returns the number of mixes (1, or one per row). */
function checkMixWeights(weights: ArrayLike<number>, rows: number, nGroups: number, eligible: boolean[], where: string): number {
  if (weights.length !== nGroups && weights.length !== rows * nGroups) {
    throw new FairkitError(`expected ${nGroups} mixing weights (one mix) or ${rows}×${nGroups} (one per row), got ${weights.length}`, { where });
  }
  const mixes = weights.length / nGroups;
  for (let m = 0; m < mixes; m++) {
    let total = 0;
    for (let g = 0; g < nGroups; g++) {
      const w = weights[m * nGroups + g];
      if (!(w >= 0)) throw new FairkitError(`mixing weight ${w} of group ${g} is not a non-negative number`, { where });
      if (w > 0 && !eligible[g]) {
        throw new FairkitError(`mixing weight ${w} falls on group ${g}, which has too few rows in the batch for statistics of its own`, { where });
      }
      total += w;
    }
    if (total > 1 + 1e-5) throw new FairkitError(`mixing weights sum to ${total}, more than 1`, { where });
  }
  return mixes;
}

/** [n, width]: row i is the one-hot vector of index[i]. */
function oneHotRows(index: Int32Array, width: number): tf.Tensor2D {
  const values = new Float32Array(index.length * width);
  index.forEach((j, i) => (values[i * width + j] = 1));
  return tf.tensor2d(values, [index.length, width]);
}
