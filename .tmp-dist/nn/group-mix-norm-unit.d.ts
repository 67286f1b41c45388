/**
 * One GroupMixNorm layer with its state: learnable scale γ and shift β per channel, and running statistics for
 * inference (per group, over all rows, and of the drawn mixes), updated with momentum in training mode.
 * `trainingForward` / `inferenceForward` are shared by the functional unit here (used inside models that
 * methods differentiate through) and by the tf.layers.Layer subclass in group-mix-norm-layer.ts.
 *
 * Inference modes (which statistics normalise a row; methods.md §1(b), a reconstruction):
 * - 'groupRunning': the running statistics of the row's group; a group never seen in training, an id outside
 *   [0, K) and a call without group ids fall back to the running statistics over all rows;
 * - 'globalRunning': the running statistics over all rows for every row (plain BatchNorm at inference; needs no
 *   group ids);
 * - 'batch': the statistics of the row's group within the prediction batch (transductive; groups with fewer than
 *   minGroupSize rows in the batch and unknown groups use the whole batch's).
 * Every row is then re-projected onto the inference target: 'expected' = the equal-weight mix of the running
 * statistics of the groups seen in training (the mean of the symmetric Beta/Dirichlet mix), or 'running' = the
 * running average of the mixes drawn during training.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';
import { type MultiGroupMix } from './group-mix-norm-mixing.js';
import type { NamedWeight } from './mlp.js';
export declare const INFERENCE_MODES: readonly ["groupRunning", "globalRunning", "batch"];
export type InferenceMode = (typeof INFERENCE_MODES)[number];
export type InferenceMix = 'expected' | 'running';
export interface GroupMixNormSettings {
    /** α of the Beta(α, α) / Dirichlet(α·1) mixing distribution. */
    alpha: number;
    eps: number;
    /** Weight of the newest batch in the running statistics: running ← (1 − m)·running + m·batch. */
    momentum: number;
    minGroupSize: number;
    /** One mix per batch, or one per row. */
    mixPer: 'batch' | 'row';
    multiGroupMix: MultiGroupMix;
    detachStats: boolean;
    /** Learnable per-channel scale γ and shift β after the re-projection. */
    affine: boolean;
    inferenceMode: InferenceMode;
    inferenceMix: InferenceMix;
}
export declare const DEFAULT_SETTINGS: GroupMixNormSettings;
export interface UnitShape {
    nGroups: number;
    channels: number;
}
export declare const STATE_NAMES: readonly ["runningGroupMean", "runningGroupVar", "groupUpdates", "runningMean", "runningVar", "runningMixMean", "runningMixStd"];
export type StateName = (typeof STATE_NAMES)[number];
export type RunningState = Record<StateName, tf.Tensor>;
/** Names, shapes and initial values of a unit's weights: γ, β (when affine), then the running state. */
export declare function unitWeightSpecs(shape: UnitShape, settings: Pick<GroupMixNormSettings, 'affine'>): {
    name: string;
    shape: number[];
    initial: 0 | 1;
    trainable: boolean;
}[];
/** Completes and validates settings (bad values raise a FairkitError naming the setting). */
export declare function resolveSettings(partial: Partial<GroupMixNormSettings>, where: string): GroupMixNormSettings;
export interface Affine {
    gamma?: tf.Tensor;
    beta?: tf.Tensor;
}
/**
 * Training mode: mixes drawn from `rng`, the transform of groupMixNormalize, then γ, β. Returns the output and
 * the next running state (to be assigned by the caller). Without group ids every row is of an unknown group, so
 * the layer is BatchNorm re-projected onto the batch's own statistics and only the overall running statistics move.
 */
export declare function trainingForward(x: tf.Tensor, groups: Int32Array | undefined, shape: UnitShape, settings: GroupMixNormSettings, affine: Affine, running: RunningState, rng: Rng): {
    output: tf.Tensor;
    next: RunningState;
};
/** Inference mode (see the file comment); `groups` may be absent. */
export declare function inferenceForward(x: tf.Tensor, groups: Int32Array | undefined, shape: UnitShape, settings: GroupMixNormSettings, affine: Affine, running: RunningState): tf.Tensor;
/** A GroupMixNorm layer over named tf.Variables, for functional models (weights `${prefix}/gamma`, …). */
export declare class GroupMixNormUnit {
    readonly prefix: string;
    readonly shape: UnitShape;
    readonly settings: GroupMixNormSettings;
    readonly weights: NamedWeight[];
    /** The learnable weights (γ, β), for the optimiser. */
    readonly trainable: tf.Variable[];
    private readonly byName;
    /** `arrays`: values in `unitWeightSpecs` order (from a saved model); default the initial values. */
    constructor(prefix: string, shape: UnitShape, settings: GroupMixNormSettings, arrays?: Float32Array[]);
    /** In training mode the running state is updated (assigned) as a side effect. */
    apply(x: tf.Tensor, options: {
        training: boolean;
        groups?: Int32Array;
        rng?: Rng;
    }): tf.Tensor;
    /**
     * Replaces the running statistics by exact ones (from GroupMoments); groups without rows keep theirs. The running
     * mix becomes the equal-weight mix of the groups seen, its expectation.
     */
    setStatistics(moments: Moments): void;
    /** The current value of a running-state tensor (a copy the caller disposes). */
    state(name: StateName): tf.Tensor;
    dispose(): void;
}
export interface Moments {
    /** [K·C] per-group mean and unbiased variance, and elements (rows × positions) per group. */
    groupMean: Float32Array;
    groupVar: Float32Array;
    groupCount: Float64Array;
    /** [C] over all rows (unbiased variance); empty when no rows were added. */
    mean: Float32Array;
    variance: Float32Array;
}
/** Exact per-group and overall per-channel moments of features added batch by batch (float64 sums). */
export declare class GroupMoments {
    private readonly nGroups;
    private readonly channels;
    private readonly sums;
    private readonly squares;
    private readonly counts;
    constructor(nGroups: number, channels: number);
    /** Features [B, …, C] flattened row-major, with one group id per row (ids outside [0, K) count only overall). */
    add(features: ArrayLike<number>, groups: Int32Array): void;
    result(): Moments;
}
