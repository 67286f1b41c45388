import type { GroupIndex } from '../data/types.js';
import type { Mlp } from '../nn/mlp.js';
import type { TrainBatch } from './method.js';
export interface Disparity {
    y: 0 | 1;
    /** The group compared (A=0 in the paper: the unprivileged one) and the reference group (A=1). */
    group: number;
    reference: number;
    /** |Z_{group,y}| and |Z_{reference,y}| in the batch. */
    sizes: [number, number];
    /** Eq. 8: the mean ratio over every weight with a non-zero reference gradient. */
    overall: number;
    /** Eq. 9 for each layer (dense0, dense1, …: kernel and bias together). */
    perLayer: Record<string, number>;
    /** The median ratio over the same weights, overall and per layer. */
    median: number;
    perLayerMedian: Record<string, number>;
}
export interface ContributionRecord extends Disparity {
    step: number;
    epoch: number;
}
/**
 * Eq. 8/9 for one batch and model, for each label y and each group other than `reference` that has rows with
 * label y in the batch (nothing for a label whose reference cell is empty).
 */
export declare function contributionDisparity(model: Mlp, batch: Pick<TrainBatch, 'x' | 'labels' | 'groups'>, reference: number): Disparity[];
export interface ContributionTrackerOptions {
    /** The reference group (A=1, privileged). Default: the data's privileged group, else the largest group of the first batch. */
    reference?: number;
    /** The groups (names and privileged group), for the reference and for naming groups in the JSON. */
    groups?: GroupIndex;
    /** Record every `every`-th optimiser step (default 1: every step). */
    every?: number;
}
/**
 * Records the contribution disparity before every (every-th) optimiser step. Pass `tracker.onBatchStart` to
 * fit's `onBatchStart`; it costs about one extra forward and backward pass per recorded step.
 */
export declare class ContributionTracker {
    readonly records: ContributionRecord[];
    private reference;
    private readonly every;
    private readonly groups;
    constructor(options?: ContributionTrackerOptions);
    readonly onBatchStart: (batch: TrainBatch, model: Mlp, step: number, epoch: number) => void;
    /** The records with the group names when known. */
    toJSON(groups?: GroupIndex | undefined): {
        metric: string;
        groups?: string[];
        reference?: number;
        records: ContributionRecord[];
    };
    writeJson(path: string, groups?: GroupIndex): void;
}
