import { RegressionGaps, type GroupRegressionValues } from './regression-gaps.js';
import { regressionFairnessMetrics } from './regression-metrics.js';
import { combineSlices, emptySlice, type RegressionSlice } from './regression-sums.js';
import type { RegressionFairnessValues, RegressionPerformanceValues, RegressionReport } from './regression-types.js';
import type { GroupLabels, MetricValue, Warn } from './report-types.js';

/** Everything a regression report is computed from, for some weighting of the rows. */
export interface RegressionSummary {
  /** Per group, in id order. */
  slices: RegressionSlice[];
  /**
   * The KS distance over the groups with rows with weight, given those groups' ids; null when the rows were not
   * kept (ksDistance is then null with a warning).
   */
  ks: ((present: number[]) => number) | null;
}

export function buildRegressionReport(
  summary: RegressionSummary,
  labels: GroupLabels,
  warn: Warn,
): Omit<RegressionReport, 'warnings'> {
  const { slices } = summary;
  const overall = regressionPerformance(slices.reduce(combineSlices, emptySlice()), 'overall', warn);
  const groups = labels.keys.map((key, g) => ({
    key,
    values: labels.values[g],
    ...regressionPerformance(slices[g], `group '${key}'`, warn),
  }));
  const present = presentRegressionGroups(slices);
  const absent = labels.keys.filter((_, g) => slices[g].weight === 0);
  if (absent.length > 0) {
    const names = absent.map((k) => `'${k}'`).join(', ');
    warn(`group ${names} has no rows with weight and is left out of the fairness metrics`);
  }
  const values: GroupRegressionValues[] = present.map((g) => ({
    key: labels.keys[g],
    mse: groups[g].mse!,
    mae: groups[g].mae!,
    meanPrediction: groups[g].meanPrediction!,
    meanResidual: groups[g].meanResidual!,
  }));
  let ks: MetricValue = null;
  if (summary.ks === null) warn('ksDistance is null: the state did not keep its rows (keepRows: false)');
  else if (present.length > 0) ks = summary.ks(present);
  const gaps = new RegressionGaps(values, ks, warn);
  const fairness = Object.fromEntries(
    regressionFairnessMetrics.map((metric) => [metric.name, metric.value(gaps.forMetric(metric.name))]),
  ) as unknown as RegressionFairnessValues;
  return { overall, groups, fairness };
}

/** Groups with positive total weight, in id order: the groups the fairness metrics compare. */
export function presentRegressionGroups(slices: RegressionSlice[]): number[] {
  return slices.flatMap((slice, g) => (slice.weight > 0 ? [g] : []));
}

/**
 * The performance of one slice (scikit-learn 1.2's mean_squared_error, mean_absolute_error and r2_score with
 * sample weights), except that r2 with constant labels (SST = 0) is null with a warning where scikit-learn gives
 * 1 or 0 (force_finite), and that a slice without weight has every value null.
 */
export function regressionPerformance(slice: RegressionSlice, scope: string, warn: Warn): RegressionPerformanceValues {
  const { count, weight } = slice;
  if (weight === 0) {
    warn(`${scope} has no rows with weight: all its metrics are null`);
    return { count, mse: null, rmse: null, mae: null, r2: null, meanPrediction: null, meanResidual: null };
  }
  const mse = slice.squaredErrorSum / weight;
  let r2: MetricValue = null;
  if (slice.labelM2 > 0) r2 = 1 - slice.squaredErrorSum / slice.labelM2;
  else warn(`${scope} r2: null, because its labels are constant (no variance to explain)`);
  return {
    count,
    mse,
    rmse: Math.sqrt(mse),
    mae: slice.absoluteErrorSum / weight,
    r2,
    meanPrediction: slice.predictionSum / weight,
    meanResidual: slice.residualSum / weight,
  };
}
