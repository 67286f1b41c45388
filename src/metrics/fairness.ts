import { fairnessMetrics } from './fairness-metrics.js';
import { GroupGaps, type GapOptions, type GroupRates } from './group-gaps.js';
import type { FairnessValues, MetricValue, Warn } from './report-types.js';

export type { GroupRates } from './group-gaps.js';
export type FairnessOptions = GapOptions;

/**
 * Fairness metrics over the groups that have rows (evaluation.md §1): each registered fairness definition
 * (fairness-metrics.ts) evaluated over the groups' rates. A definition that does not apply (averageOddsDifference
 * without a privileged pair, abcc without scores) leaves its key out.
 */
export function fairnessValues(rates: GroupRates[], options: FairnessOptions, warn: Warn): FairnessValues {
  const gaps = new GroupGaps(rates, options, warn);
  const values: Partial<Record<keyof FairnessValues, MetricValue>> = {};
  for (const metric of fairnessMetrics) {
    const value = metric.value(gaps.forMetric(metric.name));
    if (value !== undefined) values[metric.name] = value;
  }
  return values as FairnessValues;
}
