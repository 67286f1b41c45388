import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FairnessMethod } from './method.js';
import { type CellGradient } from './subgroup-gradients.js';
export declare const MISMATCHES: readonly ["abs", "square", "signed"];
export type Mismatch = (typeof MISMATCHES)[number];
export declare const gcmParams: z.ZodObject<{
    lambda: z.ZodDefault<z.ZodNumber>;
    T: z.ZodDefault<z.ZodNumber>;
    mismatch: z.ZodDefault<z.ZodEnum<{
        abs: "abs";
        square: "square";
        signed: "signed";
    }>>;
    layers: z.ZodDefault<z.ZodString>;
    reduction: z.ZodOptional<z.ZodEnum<{
        sum: "sum";
        mean: "mean";
    }>>;
    form: z.ZodDefault<z.ZodEnum<{
        eo: "eo";
        dp: "dp";
    }>>;
    oversample: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strict>;
export type GcmParams = z.infer<typeof gcmParams>;
/**
 * Group Contribution Matching (Li et al., IJCAI 2023; methods.md §5; docs/methods/gcm.md). For each label y the
 * gradient magnitudes of the cells (A=a, Y=y), weighted by the cells' confidence to the power T, are matched
 * parameter by parameter against the reference cell (the group the model is most confident about):
 *
 *   L = BCE + λ · Σ_y Σ_{a ≠ ref} Σ_w mismatch( W^{a,y}·|g_w^{a,y}| − W^{ref,y}·|g_w^{ref,y}| ),  W = c^T,
 *
 * g^{a,y} the gradient of the cell's summed BCE (Eq. 6–7; 'mean' reduction divides by the cell size) and c the
 * cell's confidence (Eq. 12), a constant. T = 0 is gradient matching (Eq. 10), T > 0 gradient reweighing
 * (Eq. 13). The dp form resamples the batch so that group and label are independent and matches mean gradients.
 */
export declare const gcm: FairnessMethod<GcmParams>;
/** GCM's matching loss (Eq. 13, Eq. 14 when the cells' gradients cover only some weights); null when nothing is compared. */
export declare function gcmPenalty(cells: CellGradient[], options: {
    T: number;
    mismatch: Mismatch;
    reduction: 'sum' | 'mean';
}): tf.Scalar | null;
