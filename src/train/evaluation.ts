/**
 * How a split is scored and evaluated, for either task: classification scores are probabilities judged against the
 * 0/1 labels; regression predictions are the model's output on the target's scale, judged against the targets.
 */
import * as tf from '@tensorflow/tfjs';
import { unscaleTargets } from '../data/targets.js';
import type { EncodedDataset } from '../data/types.js';
import { evaluate } from '../metrics/compute.js';
import { evaluateRegression } from '../metrics/regression-compute.js';
import type { RegressionReport } from '../metrics/regression-types.js';
import type { MetricReport } from '../metrics/report-types.js';
import type { Model } from '../nn/model.js';
import { DEFAULT_PREDICT_BATCH, predictHead, predictProba } from '../nn/predict.js';

export type SplitReport = MetricReport | RegressionReport;

/** Validation metrics recorded per epoch (and usable for early stopping), by task. */
export const VALIDATION_METRICS = {
  classification: ['accuracy', 'ap', 'equalizedOddsSum', 'demographicParityDifference'],
  regression: ['rmse', 'r2', 'mseDifference', 'meanPredictionDifference'],
} as const;

/** What a model gives for a split's rows: scores, and for a one-output classifier also its logits. */
export interface SplitOutputs {
  /** Probabilities (classification) or predictions on the target's scale (regression). */
  scores: Float32Array | Float64Array;
  /** The outputs before the sigmoid (the `logits` head), for meanLogitGap. */
  logits?: Float32Array;
}

/** Scores and logits of a split's rows, from one prediction pass. */
export function outputsOn(model: Model, split: EncodedDataset, batchSize = DEFAULT_PREDICT_BATCH): SplitOutputs {
  const rows = { X: split.X, nRows: split.nRows, groups: split.groups.ids, clusters: split.clusters };
  if (split.targetScale) return { scores: unscaleTargets(predictHead(model, rows, { batchSize }), split.targetScale) };
  if (model.config.outputDim !== 1) return { scores: predictProba(model, rows, { batchSize }) };
  const logits = predictHead(model, rows, { batchSize });
  // The sigmoid is elementwise, so taking it over all rows at once gives predictProba's values bit for bit.
  const scores = tf.tidy(() => tf.sigmoid(tf.tensor1d(logits)).dataSync() as Float32Array);
  return { scores, logits };
}

/** Probabilities (classification) or predictions on the target's scale (regression) of a split's rows. */
export function scoresOn(model: Model, split: EncodedDataset, batchSize = DEFAULT_PREDICT_BATCH): Float32Array | Float64Array {
  return outputsOn(model, split, batchSize).scores;
}

/** The split's report from its scores; with logits (classification) the report has meanLogitGap. */
export function evaluateOn(split: EncodedDataset, scores: ArrayLike<number>, logits?: ArrayLike<number>): SplitReport {
  const { groups } = split;
  if (split.targets && split.targetScale) {
    return evaluateRegression({ yTrue: unscaleTargets(split.targets, split.targetScale), yPred: scores, groupIds: groups.ids, groups });
  }
  return evaluate({ yTrue: split.y, scores, logits, groupIds: groups.ids, groups });
}

/** The validation metrics of a report, null where undefined. */
export function validationMetrics(split: EncodedDataset, report: SplitReport): Record<string, number | null> {
  const keys = split.targets ? VALIDATION_METRICS.regression : VALIDATION_METRICS.classification;
  const all: Record<string, number | null | undefined> = { ...report.overall, ...report.fairness };
  return Object.fromEntries(keys.map((key) => [key, all[key] ?? null]));
}
