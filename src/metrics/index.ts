/**
 * fairkit's metric engine: streaming per-group state, performance and fairness metrics, bootstrap intervals, for
 * classifiers (MetricState) and regressors (RegressionState).
 */
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
  AnyMetricDefinition,
  RegressionFairnessMetric,
  RegressionFairnessMetricName,
  RegressionMetricDefinition,
  RegressionMetricName,
  RegressionPerformanceMetric,
  RegressionPerformanceMetricName,
  Task,
} from './metric-definition.js';
export type { GapContext, GapRate } from './group-gaps.js';
export { MetricFrame, type GapMethod, type GapMethodOption } from './frame.js';
export type { MetricStateJson } from './state-json.js';
export { GroupLabelMoments, type CovarianceKind, type MomentsShape } from './moments.js';
export type { MomentsJson } from './moments-json.js';
export { RegressionState, type RegressionBatch, type RegressionStateOptions, type KeptRegressionRows } from './regression-state.js';
export { computeRegressionMetrics, evaluateRegression, regressionStateOf, type RegressionInput } from './regression-compute.js';
export { bootstrapRegressionIntervals, type RegressionBootstrapIntervals } from './regression-bootstrap.js';
export type {
  RegressionFairnessValues,
  RegressionGroupReport,
  RegressionPerformanceValues,
  RegressionReport,
} from './regression-types.js';
export type { RegressionStateJson } from './regression-state-json.js';
export type { RegressionGapContext, RegressionGapValue } from './regression-gaps.js';
export { isRegressionMetricName } from './registry.js';
