import type { LoadedDataset } from '../data/types.js';
import type { Trial, TrialResult } from './trial.js';
/**
 * One trial, as `fairkit train` does it (prepare, fit, evaluate on the test split) but with the protocol's split
 * and training setup. `dataset` is the trial's data set, opened with the trial's sensitive attributes.
 * The result keeps the per-epoch validation metrics (training curves) and GCM's group contribution disparity.
 */
export declare function runTrial(trial: Trial, dataset: LoadedDataset): TrialResult;
