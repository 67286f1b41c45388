import type { LoadedDataset } from '../data/types.js';
import { prepareDataset, type PreparedSplits } from '../data/prepare.js';
import type { Binning } from '../data/groups.js';
import { ContributionTracker } from '../methods/contribution.js';
import { getMethod } from '../methods/registry.js';
import { evaluate } from '../metrics/compute.js';
import type { MetricReport } from '../metrics/report-types.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';
import type { TrainingCallback } from '../train/callbacks.js';
import { fit, parseMethodParams, parseTrainingOptions, type FitResult } from '../train/fit.js';
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
  callbacks?: TrainingCallback[];
  /**
   * Record GCM's group contribution disparity before every optimiser step (reference: the privileged group, else
   * the largest group of the first batch). Its cost is not counted in the epoch times.
   */
  trackContribution?: boolean;
}

export interface TrainingOutcome {
  prepared: PreparedSplits;
  fitted: FitResult;
  params: Record<string, unknown>;
  test: MetricReport;
  testScores: Float32Array;
  /** Present when the request asked to track contributions. */
  contribution?: ContributionTracker;
}

/**
 * Prepare, train and evaluate on the test split: what `fairkit train` and every benchmark trial do.
 * Parameters and options are validated before any data is split or any weight is trained.
 */
export function trainAndEvaluate(request: TrainingRequest): TrainingOutcome {
  const method = getMethod(request.method);
  const params = parseMethodParams(method, request.params);
  parseTrainingOptions(request.options);
  const prepared = prepareDataset(request.dataset, { fractions: request.fractions, seed: request.splitSeed, binning: request.binning });
  const contribution = request.trackContribution ? new ContributionTracker({ groups: prepared.train.groups }) : undefined;
  const fitted = fit({ method, params, train: prepared.train, validation: prepared.validation, options: request.options, callbacks: [...(request.callbacks ?? []), ...(contribution ? [contribution] : [])] });
  const { test } = prepared;
  const testScores = predictProba(fitted.model, { X: test.X, nRows: test.nRows, groups: test.groups.ids, clusters: test.clusters }, { batchSize: DEFAULT_PREDICT_BATCH });
  const report = evaluate({ yTrue: test.y, scores: testScores, groupIds: test.groups.ids, groups: test.groups });
  return { prepared, fitted, params, test: report, testScores, contribution };
}
