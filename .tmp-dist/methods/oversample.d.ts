import type { FairnessMethod } from './method.js';
/**
 * OverSampling (Wang et al. 2022, GCM's baseline; methods.md §6): the task loss on batches that hold the same
 * number of rows from every non-empty (group, label) cell, small cells repeated (train/samplers.ts,
 * BalancedCellSampler). It has no strength parameter: the sampler either balances the cells or not.
 */
export declare const oversample: FairnessMethod<Record<string, never>>;
