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
export const DEFAULT_EPS = 1e-5;
export const DEFAULT_MIN_GROUP_SIZE = 2;
/**
 * GroupMixNorm in training mode. `mixWeights` holds the mixing weights over the K groups: K values (one mix for
 * the batch) or B·K values row-major (one mix per row). Weight may only fall on eligible groups; whatever a row's
 * weights leave short of 1 goes to the whole batch's statistics, so all-zero weights (e.g. no group has two rows)
 * make the layer plain batch normalisation.
 */
export function groupMixNormalize(x, groupIds, mixWeights, options) {
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
        const groupMean = tf.mul(tf.matMul(xc, membership), inverseCounts);
        const batchMean = tf.mean(xc, 1, true);
        const meanTable = maybeDetach(tf.concat([groupMean, batchMean], 1), detachStats);
        const centered = tf.sub(xc, tf.matMul(meanTable, slots));
        const groupVar = tf.mul(tf.matMul(tf.square(centered), membership), inverseCounts);
        const batchVar = tf.mean(tf.square(tf.sub(xc, batchMean)), 1, true);
        const stdTable = maybeDetach(tf.sqrt(tf.add(tf.concat([groupVar, batchVar], 1), eps)), detachStats);
        const weights = mixWeightColumns(mixWeights, mixRows, nGroups);
        const mixMean = tf.matMul(meanTable, weights);
        const mixStd = tf.matMul(stdTable, weights);
        const perPosition = (t) => (mixRows === 1 ? t : tf.matMul(t, oneHotColumns(repeatEach(Int32Array.from({ length: rows }, (_, i) => i), spatial), rows)));
        const normalised = tf.div(centered, tf.matMul(stdTable, slots));
        const output = rowsFirst(tf.add(tf.mul(normalised, perPosition(mixStd)), perPosition(mixMean)), x.shape);
        const transpose = (t) => tf.transpose(t);
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
export function reprojectWithStatistics(x, slot, meanTable, stdTable, targetMean, targetStd) {
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
export function countGroups(groupIds, nGroups) {
    const counts = new Int32Array(nGroups);
    for (const id of groupIds)
        if (id >= 0 && id < nGroups)
            counts[id]++;
    return counts;
}
/**
 * x as [C, N] with N = rows × positions (channels last in x), so that every matMul with a host-made membership
 * matrix has that small matrix as its right operand: wasm packs the right operand of each matMul, and packing a
 * fresh activation costs more than the product itself (measured: 3–4× slower steps otherwise).
 */
function channelMajor(x) {
    const channels = x.shape[x.rank - 1];
    return tf.transpose(tf.reshape(x, [-1, channels]));
}
/** Back from [C, N] to the shape of x. */
function rowsFirst(t, shape) {
    return tf.reshape(tf.transpose(t), shape);
}
/** Each value repeated `times` times in place: [a, b] → [a, a, b, b] for 2. */
function repeatEach(values, times) {
    if (times === 1)
        return values;
    const out = new Int32Array(values.length * times);
    values.forEach((v, i) => out.fill(v, i * times, (i + 1) * times));
    return out;
}
function checkInput(x, groupIds, nGroups, where) {
    if (x.rank < 2)
        throw new FairkitError(`input must have a batch and a channel axis, got shape [${x.shape.join(', ')}]`, { where });
    if (groupIds.length !== x.shape[0]) {
        throw new FairkitError(`${groupIds.length} group ids for a batch of ${x.shape[0]} rows`, { where, fix: 'Pass one group id per row' });
    }
    if (!Number.isInteger(nGroups) || nGroups < 1)
        throw new FairkitError(`nGroups must be a positive integer, got ${nGroups}`, { where });
    if (x.shape[0] === 0)
        throw new FairkitError('the batch is empty', { where });
    return [x.shape[0], x.shape[x.rank - 1]];
}
/** Validates the mixing weights; returns the number of mixes (1, or one per row). */
function checkMixWeights(weights, rows, nGroups, eligible, where) {
    if (weights.length !== nGroups && weights.length !== rows * nGroups) {
        throw new FairkitError(`expected ${nGroups} mixing weights (one mix) or ${rows}×${nGroups} (one per row), got ${weights.length}`, { where });
    }
    const mixes = weights.length / nGroups;
    for (let m = 0; m < mixes; m++) {
        let total = 0;
        for (let g = 0; g < nGroups; g++) {
            const w = weights[m * nGroups + g];
            if (!(w >= 0))
                throw new FairkitError(`mixing weight ${w} of group ${g} is not a non-negative number`, { where });
            if (w > 0 && !eligible[g]) {
                throw new FairkitError(`mixing weight ${w} falls on group ${g}, which has too few rows in the batch for statistics of its own`, { where });
            }
            total += w;
        }
        if (total > 1 + 1e-5)
            throw new FairkitError(`mixing weights sum to ${total}, more than 1`, { where });
    }
    return mixes;
}
/**
 * Slot of each row in the statistics tables: its group when the group is eligible, else slot K (the whole batch);
 * as the one-hot [K+1, N] matrix.
 */
function slotsOfRows(groupIds, eligible, nGroups) {
    return oneHotColumns(Int32Array.from(groupIds, (id) => (id >= 0 && id < nGroups && eligible[id] ? id : nGroups)), nGroups + 1);
}
/** [N, K] membership of eligible groups (group sums are one matMul) and [1, K] inverse counts. */
function groupMembership(groupIds, eligible, nGroups) {
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
function mixWeightColumns(weights, mixes, nGroups) {
    const columns = new Float32Array((nGroups + 1) * mixes);
    for (let m = 0; m < mixes; m++) {
        let total = 0;
        for (let g = 0; g < nGroups; g++)
            total += columns[g * mixes + m] = weights[m * nGroups + g];
        columns[nGroups * mixes + m] = Math.max(0, 1 - total);
    }
    return tf.tensor2d(columns, [nGroups + 1, mixes]);
}
/** [width, n]: column i is the one-hot vector of index[i]. */
function oneHotColumns(index, width) {
    const values = new Float32Array(width * index.length);
    index.forEach((j, i) => (values[j * index.length + i] = 1));
    return tf.tensor2d(values, [width, index.length]);
}
function maybeDetach(t, detach) {
    return detach ? stopGradient(t) : t;
}
/** The identity with a zero gradient (TensorFlow.js has no tf.stopGradient). */
const stopGradient = tf.customGrad((...inputs) => ({
    value: tf.clone(inputs[0]),
    gradFunc: (dy) => tf.zerosLike(dy),
}));
//# sourceMappingURL=group-mix-norm.js.map