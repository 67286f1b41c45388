import { FairkitError } from '../errors.js';
import { fairnessMetrics } from './fairness-metrics.js';
import type { GapRate } from './group-gaps.js';
import type {
  AnyMetricDefinition,
  Better,
  MetricDefinition,
  MetricName,
  PerformanceMetricName,
  RegressionMetricDefinition,
  RegressionMetricName,
  Task,
} from './metric-definition.js';
import { performanceMetrics } from './performance-metrics.js';
import type { RegressionGapValue } from './regression-gaps.js';
import { regressionFairnessMetrics, regressionPerformanceMetrics } from './regression-metrics.js';

/**
 * Every metric fairkit reports, declared once (name, direction, description, needs): audits, reports and early
 * stopping read names and directions from here instead of keeping their own lists. One map per task: `count`
 * is in both.
 */
const registry: ReadonlyMap<string, MetricDefinition> = new Map(
  [...performanceMetrics, ...fairnessMetrics].map((metric) => [metric.name, metric]),
);
const regressionRegistry: ReadonlyMap<string, RegressionMetricDefinition> = new Map(
  [...regressionPerformanceMetrics, ...regressionFairnessMetrics].map((metric) => [metric.name, metric]),
);

/**
 * Every metric of a task (default classification): performance metrics first, then fairness metrics, each in
 * report order.
 */
export function listMetrics(task?: 'classification'): MetricDefinition[];
export function listMetrics(task: 'regression'): RegressionMetricDefinition[];
export function listMetrics(task: Task = 'classification'): AnyMetricDefinition[] {
  return [...(task === 'regression' ? regressionRegistry : registry).values()];
}

/** Whether `name` is a classification metric. */
export function isMetricName(name: string): name is MetricName {
  return registry.has(name);
}

export function isRegressionMetricName(name: string): name is RegressionMetricName {
  return regressionRegistry.has(name);
}

/**
 * The definition of a metric of a task (default classification); a FairkitError naming the known metrics for an
 * unknown name.
 */
export function getMetric(name: string, task?: 'classification'): MetricDefinition;
export function getMetric(name: string, task: 'regression'): RegressionMetricDefinition;
export function getMetric(name: string, task: Task = 'classification'): AnyMetricDefinition {
  const metric = (task === 'regression' ? regressionRegistry : registry).get(name);
  if (metric === undefined) throw unknownMetric(name, task);
  return metric;
}

/** Which way the metric improves (see Better); the name may be a metric of either task. */
export function metricDirection(name: string): Better {
  const metric = registry.get(name) ?? regressionRegistry.get(name);
  if (metric === undefined) throw unknownMetric(name);
  return metric.better;
}

function unknownMetric(name: string, task?: Task): FairkitError {
  const other = task === 'classification' ? regressionRegistry : task === 'regression' ? registry : null;
  const elsewhere = other?.has(name) ? ` ('${name}' is a ${task === 'classification' ? 'regression' : 'classification'} metric)` : '';
  const known = task === 'regression' ? regressionRegistry : task === 'classification' ? registry : new Map<string, AnyMetricDefinition>([...registry, ...regressionRegistry]);
  return new FairkitError(`unknown ${task === 'regression' ? 'regression ' : ''}metric '${name}'${elsewhere}`, {
    where: 'metrics',
    fix: `Known metrics are: ${[...known.keys()].join(', ')}`,
  });
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

/** The per-group values the regression fairness metrics are derived from, in order of first use. */
export function regressionGapValues(): RegressionGapValue[] {
  return [...new Set(regressionFairnessMetrics.flatMap((metric) => metric.from))];
}
