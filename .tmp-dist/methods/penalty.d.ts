import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FairnessMethod } from './method.js';
export declare const penaltyParams: z.ZodObject<{
    lambda: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
export type PenaltyParams = z.infer<typeof penaltyParams>;
/**
 * The F-Layer paper's Penalty baseline (methods.md §6): BCE plus λ times the gaps in mean logit between every
 * pair of groups, i.e. a soft version of the ECP constraint (logit space, no conditioning on the label).
 * Strict Penalty is the same method with a huge λ (1000 or more).
 */
export declare const penalty: FairnessMethod<PenaltyParams>;
/** Σ_{g<h} |mean(z | g) − mean(z | h)| over the pairs of groups that both have rows in the batch. */
export declare function logitGapPenalty(logits: tf.Tensor, groups: Int32Array, nGroups: number): tf.Scalar;
