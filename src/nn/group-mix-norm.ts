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
 * Everything is built from plain matMuls with membership matrices made on the host, so the whole transform is
 * differentiable (twice, too) and needs no transposed matMul (slow on wasm, see shared/specs/tfjs.md).
 */
import * as tf from '@tensorflow/tfjs';
import { FairkitError } from '../errors.js';

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

export interface GroupMixResult {
  /** Same shape as x: (x − μ_own) / σ_own · σ_mix + μ_mix (no learnable scale and shift yet). */
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
 */
export function groupMixNormalize(x: tf.Tensor, groupIds: Int32Array, mixWeights: ArrayLike<number>, options: GroupMixOptions): GroupMixResult {
  const { nGroups, eps = DEFAULT_EPS, minGroupSize = DEFAULT_MIN_GROUP_SIZE, detachStats = false } = options;
  const where = 'GroupMixNorm';
  const [rows, channels] = checkInput(x, groupIds, nGroups, where);
  const counts = countGroups(groupIds, nGroups);
  const eligible = Array.from(counts, (n) => n >= minGroupSize && n > 0);
  const mixRows = checkMixWeights(mixWeights, rows, nGroups, eligible, where);

  return tf.tidy(() => {
    // Every position of a row is a sample of that row's group: the statistics of a channel pool rows and positions.
    const spatial = x.size / rows / channels;
    const positionIds = repeatEach(groupIds, spatial);
    const { membership, inverseCounts } = groupMembership(positionIds, eligible, nGroups);
    const slots = slotsOfRows(positionIds, eligible, nGroups);
    const xc = channelMajor(x);

    const groupMean = tf.mul(tf.matMul(xc, membership), inverseCounts) as tf.Tensor2D;
    const batchMean = tf.mean(xc, 1, true) as tf.Tensor2D;
    const meanTable = maybeDetach(tf.concat([groupMean, batchMean], 1) as tf.Tensor2D, detachStats);

    const centered = tf.sub(xc, tf.matMul(meanTable, slots));
    const groupVar = tf.mul(tf.matMul(tf.square(centered), membership), inverseCounts) as tf.Tensor2D;
    const batchVar = tf.mean(tf.square(tf.sub(xc, batchMean)), 1, true) as tf.Tensor2D;
    const stdTable = maybeDetach(tf.sqrt(tf.add(tf.concat([groupVar, batchVar], 1), eps)) as tf.Tensor2D, detachStats);

    const weights = mixWeightColumns(mixWeights, mixRows, nGroups);
    const mixMean = tf.matMul(meanTable, weights) as tf.Tensor2D;
    const mixStd = tf.matMul(stdTable, weights) as tf.Tensor2D;
    // One mix per row: its [C, B] columns repeated for the row's positions.
    const perPosition = (t: tf.Tensor2D) => (mixRows === 1 || spatial === 1 ? t : tf.reshape(tf.tile(tf.expandDims(t, 2), [1, 1, spatial]), [channels, -1]));
    const normalised = tf.div(centered, tf.matMul(stdTable, slots));
    const output = rowsFirst(tf.add(tf.mul(normalised, perPosition(mixStd)), perPosition(mixMean)), x.shape);
    const transpose = (t: tf.Tensor2D) => tf.transpose(t) as tf.Tensor2D;
    return {
      output,
      groupMean: transpose(groupMean),
      groupVar: transpose(groupVar),
      batchMean: transpose(batchMean),
      batchVar: transpose(batchVar),
      mixMean: transpose(mixMean),
      mixStd: transpose(mixStd),
      counts,
      eligible,
    };
  });
}

/**
 * The inference-time transform with given statistics: row i is normalised with row `slot[i]` of the mean and
 * standard deviation tables ([M, C]) and re-projected onto the target mean and standard deviation ([1, C]).
 */
export function reprojectWithStatistics(x: tf.Tensor, slot: Int32Array, meanTable: tf.Tensor2D, stdTable: tf.Tensor2D, targetMean: tf.Tensor2D, targetStd: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const spatial = x.size / x.shape[0] / x.shape[x.rank - 1];
    const slots = oneHotColumns(repeatEach(slot, spatial), meanTable.shape[0]);
    const rowMean = tf.matMul(tf.transpose(meanTable), slots);
    const rowStd = tf.matMul(tf.transpose(stdTable), slots);
    const normalised = tf.div(tf.sub(channelMajor(x), rowMean), rowStd);
    return rowsFirst(tf.add(tf.mul(normalised, tf.transpose(targetStd)), tf.transpose(targetMean)), x.shape);
  });
}

/** Rows per group id in [0, nGroups); unknown ids are not counted. */
export function countGroups(groupIds: Int32Array, nGroups: number): Int32Array {
  const counts = new Int32Array(nGroups);
  for (const id of groupIds) if (id >= 0 && id < nGroups) counts[id]++;
  return counts;
}

/**
 * x as [C, N] with N = rows × positions (channels last in x), so that every matMul with a host-made membership
 * matrix has that small matrix as its right operand: wasm packs the right operand of each matMul, and packing a
 * fresh activation costs more than the product itself (measured: 3–4× slower steps otherwise).
 */
function channelMajor(x: tf.Tensor): tf.Tensor2D {
  const channels = x.shape[x.rank - 1];
  return tf.transpose(tf.reshape(x, [-1, channels])) as tf.Tensor2D;
}

/** Back from [C, N] to the shape of x. */
function rowsFirst(t: tf.Tensor, shape: number[]): tf.Tensor {
  return tf.reshape(tf.transpose(t), shape);
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

/**
 * Slot of each row in the statistics tables: its group when the group is eligible, else slot K (the whole batch);
 * as the one-hot [K+1, N] matrix.
 */
function slotsOfRows(groupIds: Int32Array, eligible: boolean[], nGroups: number): tf.Tensor2D {
  return oneHotColumns(Int32Array.from(groupIds, (id) => (id >= 0 && id < nGroups && eligible[id] ? id : nGroups)), nGroups + 1);
}

/** [N, K] membership of eligible groups (group sums are one matMul) and [1, K] inverse counts. */
function groupMembership(groupIds: Int32Array, eligible: boolean[], nGroups: number): { membership: tf.Tensor2D; inverseCounts: tf.Tensor2D } {
  const membership = new Float32Array(groupIds.length * nGroups);
  const counts = new Float64Array(nGroups);
  groupIds.forEach((id, i) => {
    if (id >= 0 && id < nGroups && eligible[id]) {
      membership[i * nGroups + id] = 1;
      counts[id]++;
    }
  });
  const inverse = Float32Array.from(counts, (n) => (n > 0 ? 1 / n : 0));
  return { membership: tf.tensor2d(membership, [groupIds.length, nGroups]), inverseCounts: tf.tensor2d(inverse, [1, nGroups]) };
}

/** [K+1, M] mixing weights, one column per mix, with a last row for the whole-batch statistics: 1 − Σ_g w_g. */
function mixWeightColumns(weights: ArrayLike<number>, mixes: number, nGroups: number): tf.Tensor2D {
  const columns = new Float32Array((nGroups + 1) * mixes);
  for (let m = 0; m < mixes; m++) {
    let total = 0;
    for (let g = 0; g < nGroups; g++) total += columns[g * mixes + m] = weights[m * nGroups + g];
    columns[nGroups * mixes + m] = Math.max(0, 1 - total);
  }
  return tf.tensor2d(columns, [nGroups + 1, mixes]);
}

/** [width, n]: column i is the one-hot vector of index[i]. */
function oneHotColumns(index: Int32Array, width: number): tf.Tensor2D {
  const values = new Float32Array(width * index.length);
  index.forEach((j, i) => (values[j * index.length + i] = 1));
  return tf.tensor2d(values, [width, index.length]);
}

function maybeDetach<T extends tf.Tensor>(t: T, detach: boolean): T {
  return detach ? (stopGradient(t) as T) : t;
}

/** The identity with a zero gradient (TensorFlow.js has no tf.stopGradient). */
const stopGradient = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));
