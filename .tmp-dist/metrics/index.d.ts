/** fairkit's metric engine: streaming per-group state, performance and fairness metrics, bootstrap intervals. */
export { MetricState, type MetricBatch, type MetricStateOptions } from './state.js';
export { computeMetrics, evaluate, type EvaluateInput } from './compute.js';
export { bootstrapIntervals, type BootstrapIntervals, type BootstrapOptions, type Interval } from './bootstrap.js';
export type { FairnessValues, GroupLabels, GroupReport, MetricReport, MetricValue, PerformanceValues, } from './report-types.js';
