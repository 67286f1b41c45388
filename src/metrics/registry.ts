import { FairkitError } from '../errors.js';
import { fairnessMetrics } from './fairness-metrics.js';
import type { GapRate } from './group-gaps.js';
import type { Better, MetricDefinition, MetricName, PerformanceMetricName } from './metric-definition.js';
import { performanceMetrics } from './performance-metrics.js';

/**
 * Every metric fairkit reports, declared once (name, direction, description, needs): audits, reports and early
 * stopping read names and directions from here instead of keeping their own lists.
 */
const registry: ReadonlyMap<string, MetricDefinition> = new Map(
  [...performanceMetrics, ...fairnessMetrics].map((metric) => [metric.name, metric]),
);

/** Every metric: performance metrics first, then fairness metrics, each in report order. */
export function listMetrics(): MetricDefinition[] {
  return [...registry.values()];
}

export function isMetricName(name: string): name is MetricName {
  return registry.has(name);
}

/** The definition of a metric; a FairkitError naming the known metrics for an unknown name. */
export function getMetric(name: string): MetricDefinition {
  const metric = registry.get(name);
  if (metric === undefined) {
    throw new FairkitError(`unknown metric '${name}'`, {
      where: 'metrics',
      fix: `Known metrics are: ${[...registry.keys()].join(', ')}`,
    });
  }
  return metric;
}

/** Which way the metric improves (see Better). */
export function metricDirection(name: string): Better {
  return getMetric(name).better;
}

/**
 * Names of the performance metrics that need scores (present in a report only when every row has one) or,
 * with `scores: false`, of those that every report has.
 */
export function performanceMetricNames({ scores }: { scores: boolean }): PerformanceMetricName[] {
  return performanceMetrics.filter((metric) => (metric.needs.scores !== undefined) === scores).map((metric) => metric.name);
}

/** The per-group values the fairness metrics are derived from, in order of first use (selectionRate, tpr, fpr). */
export function fairnessRates(): GapRate[] {
  return [...new Set(fairnessMetrics.flatMap((metric) => metric.from))];
}
