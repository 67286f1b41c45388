import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FairnessMethod } from './method.js';
import { type CellGradient } from './subgroup-gradients.js';
export declare const gradAlignParams: z.ZodObject<{
    lambda: z.ZodDefault<z.ZodNumber>;
    mismatch: z.ZodDefault<z.ZodEnum<{
        abs: "abs";
        square: "square";
    }>>;
    reduction: z.ZodDefault<z.ZodEnum<{
        sum: "sum";
        mean: "mean";
    }>>;
    layers: z.ZodDefault<z.ZodString>;
    oversample: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strict>;
export type GradAlignParams = z.infer<typeof gradAlignParams>;
/**
 * Direct gradient aligning (GCM paper Eq. 17; methods.md §6; docs/methods/grad-align.md): the signed gradients of
 * the cells (A=a, Y=y) are pulled together within each label, every group against the reference group (the one
 * the model is most confident about):  L = BCE + λ · Σ_y Σ_{a ≠ ref} Σ_w d(g_w^{a,y} − g_w^{ref,y}).
 * Unlike GCM it matches directions as well as magnitudes and has no confidence weights.
 */
export declare const gradAlign: FairnessMethod<GradAlignParams>;
/** Σ_y Σ_{a ≠ ref} Σ_w d(g^{a,y} − g^{ref,y}); null when no label has cells from two groups. */
export declare function gradAlignPenalty(cells: CellGradient[], options: Pick<GradAlignParams, 'mismatch' | 'reduction'>): tf.Scalar | null;
