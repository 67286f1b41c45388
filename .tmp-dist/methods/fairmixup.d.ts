import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { EncodedDataset } from '../data/types.js';
import type { ApplyOptions, Mlp } from '../nn/mlp.js';
import type { Rng } from '../rng.js';
import type { FairnessMethod } from './method.js';
export declare const fairMixupParams: z.ZodObject<{
    lambda: z.ZodDefault<z.ZodNumber>;
    form: z.ZodDefault<z.ZodEnum<{
        eo: "eo";
        dp: "dp";
    }>>;
    mixupAlpha: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
export type FairMixupParams = z.infer<typeof fairMixupParams>;
/**
 * Fair Mixup (Chuang & Mroueh, ICLR 2021; methods.md §6): the task loss plus λ times the smoothness of the mean
 * prediction along the path between groups, |d/dt mean σ(f(t·x⁰ + (1−t)·x¹))|, with x⁰ and x¹ drawn from two
 * groups inside the batch (within each label for eo) and t ~ Beta(α, α). The regulariser is a gradient inside
 * the loss, so training differentiates twice (the sigmoid gradient fix of nn/gradient-fixes.ts makes that exact).
 */
export declare const fairMixup: FairnessMethod<FairMixupParams>;
/**
 * |mean_i ∇_x σ(f(x_t,i)) · (x⁰_i − x¹_i)| with x_t = t·x⁰ + (1−t)·x¹: the derivative in t of the mean prediction
 * along the mixing path, as a Jacobian-vector product of the batch mean's gradient with the direction.
 */
export declare function mixupPenalty(model: Mlp, x0: tf.Tensor2D, x1: tf.Tensor2D, t: number, options?: ApplyOptions): tf.Scalar;
export interface MixupPair {
    /** Batch rows of the non-reference group and of the reference group, equally many. */
    rows0: Int32Array;
    rows1: Int32Array;
    t: number;
}
/**
 * The pairs of one step: for each condition (each label for eo, the whole batch for dp) and each group other than
 * the reference, min(n_g, n_ref) random rows of that group against as many of the reference group. A pairing with
 * an empty side (the batch lacks a group or label) is skipped.
 */
export declare function drawMixupPairs(labels: Uint8Array, groups: Int32Array, nGroups: number, reference: number, params: Pick<FairMixupParams, 'form' | 'mixupAlpha'>, rng: Rng): MixupPair[];
/** The group every other group is mixed with: the privileged group when the data names one, else the largest. */
export declare function referenceGroup(train: EncodedDataset): number;
