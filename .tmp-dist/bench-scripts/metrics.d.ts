import { type MetricsBenchResult } from '../metrics/bench.js';
/** One line per run, e.g. `metrics: 10,000,000 rows, 8 groups: 2.1 s, 4.8 M rows/s (update 0.4 s, compute 1.7 s)`. */
export declare function formatMetricsBench(result: MetricsBenchResult, label?: string): string;
export declare function main(): void;
