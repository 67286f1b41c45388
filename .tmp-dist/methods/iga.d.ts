import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FairnessMethod } from './method.js';
import { type CellGradient } from './subgroup-gradients.js';
export declare const igaParams: z.ZodObject<{
    lambda: z.ZodDefault<z.ZodNumber>;
    layers: z.ZodDefault<z.ZodString>;
    oversample: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strict>;
export type IgaParams = z.infer<typeof igaParams>;
/**
 * Inter-Gradient Alignment (Koyama & Yamaguchi 2020) with the groups as environments, as the GCM paper adapts it
 * (Eq. 16; methods.md §6; docs/methods/iga.md): L = BCE + λ · Σ_a Σ_w (ḡ_w^{A=a} − ḡ_w)², where ḡ^{A=a} is the
 * gradient of group a's mean BCE and ḡ that of the batch's mean BCE (the trace of the gradient variance over
 * groups, up to the weighting of the groups).
 */
export declare const iga: FairnessMethod<IgaParams>;
/** Σ_a Σ_w (ḡ^{A=a} − ḡ)² over the groups present in the batch; null when only one group is present. */
export declare function igaPenalty(cells: CellGradient[]): tf.Scalar | null;
