/** fairkit's metric engine: streaming per-group state, performance and fairness metrics, bootstrap intervals. */
export { MetricState, type MetricBatch, type MetricStateOptions } from './state.js';
export { computeMetrics, evaluate, type EvaluateInput } from './compute.js';
export { bootstrapIntervals, type BootstrapIntervals, type BootstrapOptions, type Interval } from './bootstrap.js';
export type {
  FairnessValues,
  GroupLabels,
  GroupReport,
  MetricReport,
  MetricValue,
  PerformanceValues,
} from './report-types.js';
export { getMetric, listMetrics, metricDirection, isMetricName } from './registry.js';
export type {
  Better,
  FairnessMetric,
  FairnessMetricName,
  MetricDefinition,
  MetricName,
  MetricNeeds,
  PerformanceMetric,
  PerformanceMetricName,
} from './metric-definition.js';
export type { GapContext, GapRate } from './group-gaps.js';
export { MetricFrame, type GapMethod, type GapMethodOption } from './frame.js';
export type { MetricStateJson } from './state-json.js';
export { GroupLabelMoments, type CovarianceKind, type MomentsShape } from './moments.js';
export type { MomentsJson } from './moments-json.js';
