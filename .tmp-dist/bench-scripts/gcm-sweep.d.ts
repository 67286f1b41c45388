import type { LoadedDataset } from '../data/types.js';
export interface SweepLine {
    dataset: string;
    run: string;
    method: string;
    params: Record<string, unknown>;
    seed: number;
    epochs: number;
    ap: number;
    accuracy: number;
    /** Share of test rows predicted positive (0 flags a constant predictor, whose ΔEO sum is trivially 0). */
    selectionRate: number;
    equalizedOddsSum: number;
    equalOpportunityRatio: number | null;
    demographicParityDifference: number;
    secondsPerEpoch: number;
}
/** COMPAS with only African-American and Caucasian defendants (privileged Caucasian), as binary-race papers use. */
export declare function loadSweepDataset(name: string): Promise<LoadedDataset>;
export declare function sweep(argv: string[]): Promise<void>;
