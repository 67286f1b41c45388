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
export declare const DEFAULT_EPS = 0.00001;
export declare const DEFAULT_MIN_GROUP_SIZE = 2;
/**
 * GroupMixNorm in training mode. `mixWeights` holds the mixing weights over the K groups: K values (one mix for
 * the batch) or B·K values row-major (one mix per row). Weight may only fall on eligible groups; whatever a row's
 * weights leave short of 1 goes to the whole batch's statistics, so all-zero weights (e.g. no group has two rows)
 * make the layer plain batch normalisation.
 */
export declare function groupMixNormalize(x: tf.Tensor, groupIds: Int32Array, mixWeights: ArrayLike<number>, options: GroupMixOptions): GroupMixResult;
/**
 * The inference-time transform with given statistics: row i is normalised with row `slot[i]` of the mean and
 * standard deviation tables ([M, C]) and re-projected onto the target mean and standard deviation ([1, C]).
 */
export declare function reprojectWithStatistics(x: tf.Tensor, slot: Int32Array, meanTable: tf.Tensor2D, stdTable: tf.Tensor2D, targetMean: tf.Tensor2D, targetStd: tf.Tensor2D): tf.Tensor;
/** Rows per group id in [0, nGroups); unknown ids are not counted. */
export declare function countGroups(groupIds: Int32Array, nGroups: number): Int32Array;
