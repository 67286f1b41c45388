/** The shapes computeRegressionMetrics returns, in the conventions of the classification report (report-types.ts). */
import type { MetricValue } from './report-types.js';

/**
 * Performance of a regressor on one slice of rows (all rows, or one group). Every value but `count` is weighted;
 * all are null (with a warning) when the slice has no rows with weight, and r2 also when its labels are constant.
 */
export interface RegressionPerformanceValues {
  /** Rows (unweighted). */
  count: number;
  mse: MetricValue;
  rmse: MetricValue;
  mae: MetricValue;
  r2: MetricValue;
  meanPrediction: MetricValue;
  /** Mean of prediction − label: positive means the model over-predicts. */
  meanResidual: MetricValue;
}

export interface RegressionGroupReport extends RegressionPerformanceValues {
  key: string;
  values: Record<string, string>;
}

/** Gaps between the groups that have rows with weight (max − min, min / max, population std, KS). */
export interface RegressionFairnessValues {
  mseDifference: MetricValue;
  mseRatio: MetricValue;
  maeDifference: MetricValue;
  maeRatio: MetricValue;
  mseStd: MetricValue;
  meanPredictionDifference: MetricValue;
  meanResidualDifference: MetricValue;
  ksDistance: MetricValue;
}

export interface RegressionReport {
  overall: RegressionPerformanceValues;
  groups: RegressionGroupReport[];
  fairness: RegressionFairnessValues;
  warnings: string[];
}
