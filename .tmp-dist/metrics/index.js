/** fairkit's metric engine: streaming per-group state, performance and fairness metrics, bootstrap intervals. */
export { MetricState } from './state.js';
export { computeMetrics, evaluate } from './compute.js';
export { bootstrapIntervals } from './bootstrap.js';
//# sourceMappingURL=index.js.map