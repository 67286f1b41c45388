import { FairkitError } from '../errors.js';
import { fairnessMetrics } from './fairness-metrics.js';
import type { Better, MetricDefinition, MetricName } from './metric-definition.js';
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
