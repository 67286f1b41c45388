import { Rng } from '../rng.js';
/** A sampler yields the row indices of each batch of one epoch. */
export interface BatchSampler {
    /** Batches of one epoch; each call to `epoch` draws anew from the sampler's generator. */
    epoch(): Int32Array[];
}
/** Plain shuffled mini-batches: every row once per epoch (the last batch may be smaller). */
export declare class ShuffleSampler implements BatchSampler {
    private readonly nRows;
    private readonly batchSize;
    private readonly rng;
    constructor(nRows: number, batchSize: number, rng: Rng);
    epoch(): Int32Array[];
}
/**
 * Oversampling as in GCM's baseline (Wang et al. 2022): every batch holds the same number of rows from each
 * non-empty (group, label) cell. Small cells are cycled through (so their rows repeat within an epoch),
 * large cells are drawn without replacement until exhausted and then reshuffled. An epoch has the nominal
 * number of batches, ceil(nRows / batchSize).
 */
export declare class BalancedCellSampler implements BatchSampler {
    private readonly batchSize;
    private readonly rng;
    private readonly cells;
    private readonly cursors;
    private readonly perCell;
    private readonly nBatches;
    constructor(groups: Int32Array, labels: Uint8Array, batchSize: number, rng: Rng);
    epoch(): Int32Array[];
}
