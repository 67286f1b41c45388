/**
 * What the bench summarises and draws for each task. Classification keeps its lists as they were; the regression
 * lists come from the metric registry (listMetrics('regression')), so a metric added there is summarised too.
 */
import type { Task } from '../data/types.js';
import { listMetrics } from '../metrics/registry.js';

/** Test metrics summarised per classification configuration (keys of `fairkit audit`'s JSON, overall then fairness). */
export const SUMMARY_METRICS = [
  'accuracy', 'balancedAccuracy', 'ap', 'rocAuc', 'f1',
  'demographicParityDifference', 'demographicParityRatio', 'equalizedOddsSum', 'equalizedOddsDifference',
  'equalOpportunityDifference', 'equalOpportunityRatio', 'abcc', 'meanLogitGap',
] as const;
export type ClassificationSummaryMetric = (typeof SUMMARY_METRICS)[number];

/** Every regression metric of the registry but the row count: mse … meanResidual, then the gaps. */
export const REGRESSION_SUMMARY_METRICS: readonly string[] = listMetrics('regression')
  .map((metric) => metric.name)
  .filter((name) => name !== 'count');

export const GROUP_METRICS = ['selectionRate', 'tpr', 'fpr', 'accuracy'] as const;
/** Per-group values of a regression report that the report draws (the gaps are differences of these). */
export const REGRESSION_GROUP_METRICS = ['mse', 'mae', 'meanPrediction', 'meanResidual'] as const;

/** A metric name of either task. */
export type SummaryMetric = string;
export type GroupMetric = (typeof GROUP_METRICS)[number] | (typeof REGRESSION_GROUP_METRICS)[number];

/**
 * A trade-off plane: a utility against a fairness gap (lower is fairer). `utilityBetter` says which way the utility
 * improves (absent: higher, as accuracy or AP); an error such as RMSE is 'lower' (the registry's direction, checked
 * by a test), and the Pareto front, ERM normalisation and hypervolume take it into account.
 */
export interface Tradeoff {
  id: string;
  utility: string;
  gap: string;
  title: string;
  utilityTitle: string;
  gapTitle: string;
  utilityBetter?: 'higher' | 'lower';
}

/** The two classification planes: GCM's AP vs ΔEO (sum form) and accuracy vs ΔDP. */
export const TRADEOFFS = [
  { id: 'ap-eo', utility: 'ap', gap: 'equalizedOddsSum', title: 'AP vs −ΔEO (sum)', utilityTitle: 'AP', gapTitle: 'ΔEO (sum)' },
  { id: 'accuracy-dp', utility: 'accuracy', gap: 'demographicParityDifference', title: 'accuracy vs −ΔDP', utilityTitle: 'accuracy', gapTitle: 'ΔDP' },
] as const satisfies readonly Tradeoff[];

/**
 * The two regression planes: test RMSE (on the target's own scale, lower is better) against the gap in group MSE
 * (bounded group loss) and against the gap in mean prediction (statistical parity of the mean).
 */
export const REGRESSION_TRADEOFFS = [
  { id: 'rmse-mse', utility: 'rmse', gap: 'mseDifference', title: 'RMSE vs −ΔMSE', utilityTitle: 'RMSE', gapTitle: 'ΔMSE', utilityBetter: 'lower' },
  { id: 'rmse-mean-prediction', utility: 'rmse', gap: 'meanPredictionDifference', title: 'RMSE vs −Δ mean prediction', utilityTitle: 'RMSE', gapTitle: 'Δ mean prediction', utilityBetter: 'lower' },
] as const satisfies readonly Tradeoff[];

export function summaryMetricsOf(task: Task): readonly string[] {
  return task === 'regression' ? REGRESSION_SUMMARY_METRICS : SUMMARY_METRICS;
}

export function groupMetricsOf(task: Task): readonly GroupMetric[] {
  return task === 'regression' ? REGRESSION_GROUP_METRICS : GROUP_METRICS;
}

export function tradeoffsOf(task: Task): readonly Tradeoff[] {
  return task === 'regression' ? REGRESSION_TRADEOFFS : TRADEOFFS;
}
