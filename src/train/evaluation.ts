/**
 * How a split is scored and evaluated, for either task: classification scores are probabilities judged against the
 * 0/1 labels; regression predictions are the model's output on the target's scale, judged against the targets.
 */
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

/** Probabilities (classification) or predictions on the target's scale (regression) of a split's rows. */
export function scoresOn(model: Model, split: EncodedDataset, batchSize = DEFAULT_PREDICT_BATCH): Float32Array | Float64Array {
  const rows = { X: split.X, nRows: split.nRows, groups: split.groups.ids, clusters: split.clusters };
  if (!split.targetScale) return predictProba(model, rows, { batchSize });
  return unscaleTargets(predictHead(model, rows, { batchSize }), split.targetScale);
}

export function evaluateOn(split: EncodedDataset, scores: ArrayLike<number>): SplitReport {
  const { groups } = split;
  if (split.targets && split.targetScale) {
    return evaluateRegression({ yTrue: unscaleTargets(split.targets, split.targetScale), yPred: scores, groupIds: groups.ids, groups });
  }
  return evaluate({ yTrue: split.y, scores, groupIds: groups.ids, groups });
}

/** The validation metrics of a report, null where undefined. */
export function validationMetrics(split: EncodedDataset, report: SplitReport): Record<string, number | null> {
  const keys = split.targets ? VALIDATION_METRICS.regression : VALIDATION_METRICS.classification;
  const all: Record<string, number | null | undefined> = { ...report.overall, ...report.fairness };
  return Object.fromEntries(keys.map((key) => [key, all[key] ?? null]));
}
