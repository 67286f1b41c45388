/**
 * Debiasing a trained model with GroupMixNorm (the paper's "pre-trained debiasing" experiment, methods.md §1(b)):
 * GroupMixNorm layers are inserted into a trained MLP, whose weights are kept, their running statistics set to the
 * exact statistics of the fine-tuning rows, and the result is fine-tuned on a small fraction of the training data
 * with the task loss alone.
 *
 * Not a registry method: it needs a trained model object. `groupMixNormDebias(pretrained)` is a FairnessMethod
 * whose buildModel inserts the layers into `pretrained` (left unchanged), so `fit` fine-tunes it like any method;
 * `startingFrom(method, pretrained)` gives any other method the same warm start, for fair comparisons; and
 * `fineTuningSubset` draws the limited data, stratified by (group, label).
 */
import { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import { type Mlp } from '../nn/mlp.js';
import type { FairnessMethod } from './method.js';
export declare const debiasParams: z.ZodObject<{
    alpha: z.ZodDefault<z.ZodNumber>;
    positions: z.ZodDefault<z.ZodUnion<readonly [z.ZodLiteral<"all">, z.ZodArray<z.ZodNumber>]>>;
    placement: z.ZodDefault<z.ZodEnum<{
        postActivation: "postActivation";
        preActivation: "preActivation";
    }>>;
    momentum: z.ZodDefault<z.ZodNumber>;
    eps: z.ZodDefault<z.ZodNumber>;
    minGroupSize: z.ZodDefault<z.ZodNumber>;
    mixPer: z.ZodDefault<z.ZodEnum<{
        batch: "batch";
        row: "row";
    }>>;
    multiGroupMix: z.ZodDefault<z.ZodEnum<{
        dirichlet: "dirichlet";
        pair: "pair";
    }>>;
    detachStats: z.ZodDefault<z.ZodBoolean>;
    affine: z.ZodDefault<z.ZodBoolean>;
    inferenceMode: z.ZodDefault<z.ZodEnum<{
        groupRunning: "groupRunning";
        globalRunning: "globalRunning";
        batch: "batch";
    }>>;
    inferenceMix: z.ZodDefault<z.ZodEnum<{
        expected: "expected";
        running: "running";
    }>>;
    freezeBase: z.ZodDefault<z.ZodBoolean>;
    calibrate: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strict>;
export type DebiasParams = z.infer<typeof debiasParams>;
export declare function groupMixNormDebias(pretrained: Mlp): FairnessMethod<DebiasParams>;
/** The method, with training starting from a copy of `pretrained`'s weights instead of a fresh MLP. */
export declare function startingFrom<P extends Record<string, unknown>>(method: FairnessMethod<P>, pretrained: Mlp): FairnessMethod<P>;
/** A random `fraction` of the rows, the same fraction of every (group, label) cell (at least one row of each). */
export declare function fineTuningSubset(data: EncodedDataset, fraction: number, seed: number): EncodedDataset;
