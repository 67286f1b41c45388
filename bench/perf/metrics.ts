import { pathToFileURL } from 'node:url';
import { benchmarkMetrics, type MetricsBenchResult } from '../../src/metrics/bench.js';

/** One line per run, e.g. `metrics: 10,000,000 rows, 8 groups: 2.1 s, 4.8 M rows/s (update 0.4 s, compute 1.7 s)`. */
export function formatMetricsBench(result: MetricsBenchResult, label = 'metrics'): string {
  return (
    `${label}: ${result.rows.toLocaleString('en-US')} rows, ${result.groups} groups: ${result.seconds.toFixed(1)} s, ` +
    `${(result.rowsPerSecond / 1e6).toFixed(1)} M rows/s ` +
    `(update ${result.updateSeconds.toFixed(1)} s, compute ${result.computeSeconds.toFixed(1)} s)`
  );
}

export function main(): void {
  console.log(formatMetricsBench(benchmarkMetrics()));
  console.log(formatMetricsBench(benchmarkMetrics({ weighted: true }), 'metrics (weighted)'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
