import type { LoadedDataset } from '../data/types.js';
import { type PreparedSplits } from '../data/prepare.js';
import type { Binning } from '../data/groups.js';
import type { MetricReport } from '../metrics/report-types.js';
import { type FitInput, type FitResult } from '../train/fit.js';
import type { TrainingOptionsInput } from '../train/options.js';
export interface TrainingRequest {
    dataset: LoadedDataset;
    method: string;
    params: Record<string, unknown>;
    options: TrainingOptionsInput;
    /** Train/validation/test fractions. */
    fractions?: number[];
    /** Seed of the split (the training seed is in `options`). */
    splitSeed: number;
    binning?: Binning[];
    onEpochEnd?: FitInput<Record<string, unknown>>['onEpochEnd'];
    onBatchStart?: FitInput<Record<string, unknown>>['onBatchStart'];
}
export interface TrainingOutcome {
    prepared: PreparedSplits;
    fitted: FitResult;
    params: Record<string, unknown>;
    test: MetricReport;
    testScores: Float32Array;
}
/**
 * Prepare, train and evaluate on the test split: what `fairkit train` and every benchmark trial do.
 * Parameters and options are validated before any data is split or any weight is trained.
 */
export declare function trainAndEvaluate(request: TrainingRequest): TrainingOutcome;
