import { prepareDataset, type PrepareOptions, type PreparedSplits } from '../data/prepare.js';
import type { EncodedDataset, LoadedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { ContributionTracker, type ContributionTrackerOptions } from '../methods/contribution.js';
import { getMethod } from '../methods/registry.js';
import { evaluate } from '../metrics/compute.js';
import type { MetricReport } from '../metrics/report-types.js';
import type { Model } from '../nn/model.js';
import { DEFAULT_PREDICT_BATCH, predictProba } from '../nn/predict.js';
import type { TrainingCallback } from '../train/callbacks.js';
import { fit, parseMethodParams, parseTrainingOptions, type FitInput, type FitResult } from '../train/fit.js';
import type { Method } from '../train/method.js';
import type { TrainingOptionsInput } from '../train/options.js';

export interface TrainingRequest {
  /** A loaded data set, split here with `preparation`; or splits the caller prepared (a protocol's folds, …). */
  dataset?: LoadedDataset;
  prepared?: PreparedSplits;
  /** A registered method by name, or a method object (e.g. one that is not registered, such as debiasing). */
  method: string | Method<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  params: Record<string, unknown>;
  options: TrainingOptionsInput;
  /** Train/validation/test fractions. */
  fractions?: number[];
  /** Seed of the split (the training seed is in `options`). */
  splitSeed?: number;
  /** Further preparation options (binning, a protocol's split). */
  preparation?: Omit<PrepareOptions, 'fractions' | 'seed'>;
  /** The rows to train on instead of the whole training split (e.g. a fine-tuning fraction). */
  trainRows?: (train: EncodedDataset) => EncodedDataset;
  baseModel?: FitInput<Record<string, unknown>>['baseModel'];
  callbacks?: TrainingCallback[];
  /**
   * Record GCM's group contribution disparity before every optimiser step, or as configured (reference: the
   * privileged group, else the largest group of the first batch). Its cost is not counted in the epoch times.
   */
  trackContribution?: boolean | Omit<ContributionTrackerOptions, 'groups'>;
}

export interface TrainingOutcome {
  prepared: PreparedSplits;
  /** The rows trained on (the training split, unless the request chose a subset). */
  train: EncodedDataset;
  fitted: FitResult;
  params: Record<string, unknown>;
  test: MetricReport;
  testScores: Float32Array;
  /** Present when the request asked to track contributions. */
  contribution?: ContributionTracker;
}

/**
 * Prepare, train and evaluate on the test split: the one flow behind `fairkit train`, every benchmark trial and
 * `fairkit debias`. Parameters and options are validated before any data is split or any weight is trained.
 */
export function trainAndEvaluate(request: TrainingRequest): TrainingOutcome {
  const method = typeof request.method === 'string' ? getMethod(request.method) : request.method;
  const params = parseMethodParams(method, request.params);
  parseTrainingOptions(request.options);
  const prepared = request.prepared ?? prepareDataset(requireDataset(request), { ...request.preparation, fractions: request.fractions, seed: request.splitSeed ?? 0 });
  const train = request.trainRows ? request.trainRows(prepared.train) : prepared.train;
  const tracking = request.trackContribution;
  const contribution = tracking ? new ContributionTracker({ groups: train.groups, ...(tracking === true ? {} : tracking) }) : undefined;
  const fitted = fit({
    method,
    params,
    train,
    validation: prepared.validation,
    options: request.options,
    baseModel: request.baseModel,
    callbacks: [...(request.callbacks ?? []), ...(contribution ? [contribution] : [])],
  });
  const testScores = scoresOn(fitted.model, prepared.test);
  return { prepared, train, fitted, params, test: evaluateOn(prepared.test, testScores), testScores, contribution };
}

/** Probabilities of a split's rows, with their group and cluster ids. */
export function scoresOn(model: Model, split: EncodedDataset): Float32Array {
  return predictProba(model, { X: split.X, nRows: split.nRows, groups: split.groups.ids, clusters: split.clusters }, { batchSize: DEFAULT_PREDICT_BATCH });
}

export function evaluateOn(split: EncodedDataset, scores: Float32Array): MetricReport {
  return evaluate({ yTrue: split.y, scores, groupIds: split.groups.ids, groups: split.groups });
}

function requireDataset(request: TrainingRequest): LoadedDataset {
  if (!request.dataset) throw new FairkitError('trainAndEvaluate needs a dataset or prepared splits');
  return request.dataset;
}
