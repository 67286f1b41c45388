import { z } from 'zod';
import type { FairnessMethod } from './method.js';
export declare const reweighParams: z.ZodObject<{
    lambda: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
export type ReweighParams = z.infer<typeof reweighParams>;
/**
 * Kamiran & Calders reweighing (methods.md §6): each training row of cell (a, y) is weighted by
 * P(A=a)·P(Y=y) / P(A=a, Y=y) in the task loss, so that in the weighted data the label is independent of the
 * group. λ tempers the weights to w^λ: 0 is erm, 1 the classic method.
 */
export declare const reweigh: FairnessMethod<ReweighParams>;
/** Per-row weights (P(A=a)·P(Y=y) / P(A=a, Y=y))^lambda from the rows' groups and labels. */
export declare function reweighingWeights(groups: Int32Array, labels: Uint8Array, nGroups: number, lambda?: number): Float32Array;
