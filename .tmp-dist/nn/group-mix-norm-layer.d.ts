/**
 * GroupMixNorm as a TensorFlow.js Layers API layer, for users who build models with tf.sequential / tf.model.
 * The maths and the running statistics are those of group-mix-norm-unit.ts; this file only adapts them to the
 * Layer life cycle (build → addWeight, call, getConfig) and registers the class, so saved models load with
 * tf.loadLayersModel.
 *
 * Inputs: `[features, groupIds]` (features [B, C] or [B, H, W, C] channels last; group ids [B] or [B, 1], any
 * numeric dtype, an id outside [0, nGroups) meaning "unknown group"), or the features alone (no group
 * information: BatchNorm in training, the 'globalRunning' statistics at inference).
 * Training (model.fit passes training = true) draws the mixing weights from the layer's own seeded Rng and updates
 * the running statistics; group ids are read back to the host, which is fine in eager execution.
 */
import * as tf from '@tensorflow/tfjs';
import { type GroupMixNormSettings } from './group-mix-norm-unit.js';
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
export interface GroupMixNormLayerArgs extends LayerArgs, Partial<GroupMixNormSettings> {
    nGroups: number;
    /** Seed of the mixing-weight draws (default 0). */
    seed?: number;
}
export declare class GroupMixNormLayer extends tf.layers.Layer {
    static readonly className = "GroupMixNorm";
    readonly nGroups: number;
    readonly settings: GroupMixNormSettings;
    readonly seed: number;
    private readonly rng;
    private readonly variablesByName;
    constructor(args: GroupMixNormLayerArgs);
    build(inputShape: tf.Shape | tf.Shape[]): void;
    computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape;
    call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor;
    getConfig(): tf.serialization.ConfigDict;
}
export {};
