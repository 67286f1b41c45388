import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FairnessMethod } from './method.js';
export declare const eorParams: z.ZodObject<{
    lambda: z.ZodDefault<z.ZodNumber>;
    form: z.ZodDefault<z.ZodEnum<{
        eo: "eo";
        dp: "dp";
    }>>;
}, z.core.$strict>;
export type EorParams = z.infer<typeof eorParams>;
/**
 * Equalised-odds regulariser (methods.md §6, "GapReg" in the FairMixup code): the task loss plus λ times the
 * gap in mean predicted probability between groups, within each label (eo) or over the whole batch (dp).
 */
export declare const eor: FairnessMethod<EorParams>;
/**
 * Σ_c Σ_g |mean(p | g, c) − mean(p | c)| over conditions c (the two labels for eo, the whole batch for dp) and
 * the groups g present in c, where mean(p | c) pools every row of c. For two groups this is exactly
 * |mean(p | A=0, c) − mean(p | A=1, c)|; for more groups every group is pulled towards the pooled mean.
 * A condition with fewer than two groups present in the batch adds nothing.
 */
export declare function probabilityGapPenalty(probabilities: tf.Tensor, labels: Uint8Array, groups: Int32Array, nGroups: number, form: 'eo' | 'dp'): tf.Scalar;
