import { prepareDataset, type PrepareOptions, type PreparedSplits } from '../data/prepare.js';
import type { EncodedDataset, LoadedDataset } from '../data/types.js';
import { FairkitError } from '../errors.js';
import { ContributionTracker, type ContributionTrackerOptions } from '../methods/contribution.js';
import { getMethod, listMethods } from '../methods/registry.js';
import type { TrainingCallback } from '../train/callbacks.js';
import type { MetricReport } from '../metrics/report-types.js';
import type { RegressionReport } from '../metrics/regression-types.js';
import { evaluateOn, outputsOn } from '../train/evaluation.js';
import { unscaleTargets } from '../data/targets.js';
import { fairPredict, isFairProjection, sigmoid, summarizeInference, type FairInferenceSummary } from '../flayer/fair-predict.js';
import type { Model } from '../nn/model.js';
import { DEFAULT_PREDICT_BATCH } from '../nn/predict.js';
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
  /**
   * Rows per prediction batch on the test split (default DEFAULT_PREDICT_BATCH). It changes the result of models that
   * act on a batch: flayer/projection (batches below b_τ go through a primal–dual stream that starts afresh for the
   * test pass, as in the spec) and GroupMixNorm in batch mode.
   */
  inferenceBatchSize?: number;
}

interface OutcomeParts {
  prepared: PreparedSplits;
  /** The rows trained on (the training split, unless the request chose a subset). */
  train: EncodedDataset;
  fitted: FitResult;
  params: Record<string, unknown>;
  /** Probabilities (classification) or predictions on the target's scale (regression). */
  testScores: Float32Array | Float64Array;
  /** Present when the request asked to track contributions. */
  contribution?: ContributionTracker;
  /** A flayer/projection model: how the test split was adjusted, and its pooled and batch-weighted gaps. */
  inference?: FairInferenceSummary;
}

/** The outcome, its test report typed by the task (narrow on `task`). */
export type TrainingOutcome = OutcomeParts & ({ task: 'classification'; test: MetricReport } | { task: 'regression'; test: RegressionReport });

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
  if (train.targets && !(method.tasks ?? ['classification']).includes('regression')) {
    const supporting = listMethods().filter((candidate) => candidate.tasks?.includes('regression')).map((candidate) => candidate.name);
    throw new FairkitError(`method '${method.name}' does not support regression`, { fix: `Methods that do: ${supporting.join(', ')}` });
  }
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
  const { testScores, testLogits, inference } = testScoresOf(fitted.model, prepared.test, request.inferenceBatchSize ?? DEFAULT_PREDICT_BATCH);
  const parts: OutcomeParts = { prepared, train, fitted, params, testScores, contribution, ...(inference ? { inference } : {}) };
  const test = evaluateOn(prepared.test, testScores, testLogits);
  return prepared.test.targets ? { ...parts, task: 'regression', test: test as RegressionReport } : { ...parts, task: 'classification', test: test as MetricReport };
}

/**
 * The test split's scores at the inference batch size (a flayer/projection model's through fairPredict, a new
 * stream), and its logits (classification) for meanLogitGap: a projection model's adjusted ones.
 */
function testScoresOf(model: Model, test: EncodedDataset, batchSize: number): { testScores: Float32Array | Float64Array; testLogits?: ArrayLike<number>; inference?: FairInferenceSummary } {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new FairkitError(`the inference batch size must be a positive integer, got ${batchSize}`, { where: 'inferenceBatchSize' });
  if (!isFairProjection(model.config)) {
    const { scores, logits } = outputsOn(model, test, batchSize);
    return { testScores: scores, ...(logits ? { testLogits: logits } : {}) };
  }
  const result = fairPredict(model, { X: test.X, nRows: test.nRows, groups: test.groups.ids, clusters: test.clusters }, { batchSize });
  const testScores = test.targetScale ? unscaleTargets(result.outputs, test.targetScale) : sigmoid(result.outputs);
  return { testScores, ...(test.targetScale ? {} : { testLogits: result.outputs }), inference: summarizeInference(result, batchSize) };
}

function requireDataset(request: TrainingRequest): LoadedDataset {
  if (!request.dataset) throw new FairkitError('trainAndEvaluate needs a dataset or prepared splits');
  return request.dataset;
}

/** The outcome of a classification run; a regression outcome is an error (for callers that only classify). */
export function classificationOutcome(outcome: TrainingOutcome): Extract<TrainingOutcome, { task: 'classification' }> {
  if (outcome.task !== 'classification') throw new FairkitError('expected a classification run, got a regression run');
  return outcome;
}
