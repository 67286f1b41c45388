import { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import type { GroupMixNormOptions } from '../nn/group-mix-norm-mlp.js';
import type { FairnessMethod } from './method.js';
export declare const groupMixNormParams: z.ZodObject<{
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
}, z.core.$strict>;
export type GroupMixNormParams = z.infer<typeof groupMixNormParams>;
export declare const groupMixNormParamDocs: Record<keyof GroupMixNormParams, string>;
/** The model options a GroupMixNorm parameter set describes. */
export declare function groupMixNormOptions(params: GroupMixNormParams, train: EncodedDataset): GroupMixNormOptions;
/**
 * GroupMixNorm (Pandey et al., arXiv 2312.11969; methods.md §1): an MLP with a GroupMixNorm layer after each hidden
 * layer (or where configured) trained on the task loss alone. The fairness comes from the architecture: in every
 * batch, each group's features are normalised with that group's statistics and re-projected onto a random convex mix
 * of the groups' statistics, so the layers after it see groups with equal first and second moments.
 */
export declare const groupMixNorm: FairnessMethod<GroupMixNormParams>;
