/**
 * The GroupMixNorm formulation before issue 17's rewrite (channels-first transposes, statistics by products with
 * membership matrices, every gradient by TensorFlow.js autodiff), kept verbatim as the reference the new transform
 * and its hand-written gradient are checked against (group-mix-norm-fused.test.ts). Inputs are assumed valid.
 */
import * as tf from '@tensorflow/tfjs';
import { countGroups, DEFAULT_EPS, DEFAULT_MIN_GROUP_SIZE, type GroupMixOptions, type GroupMixResult } from './group-mix-norm.js';

export function referenceGroupMixNormalize(x: tf.Tensor, groupIds: Int32Array, mixWeights: ArrayLike<number>, options: GroupMixOptions): GroupMixResult {
  const { nGroups, eps = DEFAULT_EPS, minGroupSize = DEFAULT_MIN_GROUP_SIZE, detachStats = false } = options;
  const rows = x.shape[0];
  const channels = x.shape[x.rank - 1];
  const counts = countGroups(groupIds, nGroups);
  const eligible = Array.from(counts, (n) => n >= minGroupSize && n > 0);
  const mixRows = mixWeights.length / nGroups;

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
