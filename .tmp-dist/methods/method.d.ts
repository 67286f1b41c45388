import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import type { Mlp, MlpConfig } from '../nn/mlp.js';
import type { Rng } from '../rng.js';
/** One training batch: tensors for the model plus host copies of labels and groups for masks and cells. */
export interface TrainBatch {
    x: tf.Tensor2D;
    /** Float 0/1 labels, shape [b]. */
    y: tf.Tensor1D;
    /** Per-row loss weights, shape [b], when the method asks for sample weights. */
    weights?: tf.Tensor1D;
    labels: Uint8Array;
    groups: Int32Array;
    /** Seed for this step's dropout masks. */
    dropoutSeed: number;
}
/** What a method's training step may use. */
export interface MethodContext<P> {
    params: P;
    model: Mlp;
    train: EncodedDataset;
    nGroups: number;
    optimizer: tf.Optimizer;
    rng: Rng;
}
/** A method's per-batch update; returns the batch's training loss (for progress and history). */
export interface TrainingStep {
    run(batch: TrainBatch): number;
    dispose(): void;
}
/**
 * A fairness method is small: its parameters, how batches are drawn, optional sample weights, and its
 * training step. The loop (batching, seeding, progress, validation, early stopping) lives in `train/fit.ts`.
 */
export interface FairnessMethod<P extends Record<string, unknown> = Record<string, unknown>> {
    name: string;
    /** One line for `fairkit methods`. */
    summary: string;
    /** Parameter schema with defaults; `parse({})` gives the defaults. Unknown keys are rejected. */
    params: z.ZodType<P>;
    /** Human-readable description of each parameter, for `fairkit methods`. */
    paramDocs: Record<keyof P & string, string>;
    /** Batches drawn plain (shuffle) or with equal (group, label) cells (balanced). */
    sampler?(params: P): 'shuffle' | 'balanced';
    /** Per-row loss weights for the training split (reweighing). */
    sampleWeights?(train: EncodedDataset, params: P): Float32Array;
    /**
     * Builds the model when the method needs another than the plain MLP (e.g. with GroupMixNorm layers). The model
     * takes group ids through `apply(x, { groups })` and `predictProba(X, n, batchSize, groups)`.
     */
    buildModel?(config: MlpConfig, params: P, train: EncodedDataset): Mlp;
    /** Raises a FairkitError when the data or parameters cannot work (before any training). */
    check?(train: EncodedDataset, params: P): void;
    createStep(context: MethodContext<P>): TrainingStep;
}
