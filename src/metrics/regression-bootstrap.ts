import { Rng } from '../rng.js';
import { checkOptions, MetricSamples, type BootstrapOptions, type SampleIntervals } from './bootstrap.js';
import { computeRegressionMetrics, regressionStateOf, type RegressionInput } from './regression-compute.js';
import { ksDistance, orderByPrediction } from './regression-ks.js';
import { buildRegressionReport, presentRegressionGroups } from './regression-report.js';
import { slicesOfRows } from './regression-sums.js';
import type { RegressionReport } from './regression-types.js';

export interface RegressionBootstrapIntervals extends SampleIntervals {
  replicates: number;
  level: number;
  /** The point estimates (the report of `evaluateRegression(input)`), computed on the way. */
  point: RegressionReport;
}

/**
 * Percentile bootstrap intervals for every metric of `evaluateRegression(input)`, resampled exactly as
 * bootstrapIntervals does for classification (n draws with replacement from the seeded Rng, numpy's linear
 * quantiles, a fairness value of a replicate in which a group with rows drew none counted as undefined).
 *
 * A replicate is a reweighting of the rows (weight × number of draws): the predictions are sorted once for
 * ksDistance, and each replicate costs O(n · groups).
 */
export function bootstrapRegressionIntervals(input: RegressionInput, options: BootstrapOptions): RegressionBootstrapIntervals {
  const { replicates, seed } = options;
  const level = options.level ?? 0.95;
  checkOptions(replicates, seed, level);
  const state = regressionStateOf(input);
  const labels = input.groups;
  const point = computeRegressionMetrics(state, labels);
  const kept = state.keptRows()!;
  const order = orderByPrediction(kept.predictions, kept.groups);
  const present = presentRegressionGroups(state.groupSlices());
  const samples = new MetricSamples(point);
  const rng = new Rng(seed);
  const n = kept.groups.length;
  const draws = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let r = 0; r < replicates; r++) {
    draws.fill(0);
    for (let k = 0; k < n; k++) draws[rng.int(n)]++;
    for (let i = 0; i < n; i++) weights[i] = kept.weights === null ? draws[i] : kept.weights[i] * draws[i];
    const slices = slicesOfRows({ groups: kept.groups, labels: kept.labels, predictions: kept.predictions, weights, counts: draws }, state.nGroups);
    const groupWeight = slices.map((slice) => slice.weight);
    const summary = { slices, ks: (groups: number[]) => ksDistance(order, (p) => weights[order.rows[p]], groupWeight, groups) };
    const report = buildRegressionReport(summary, labels, () => {});
    samples.add(report, present.every((g) => slices[g].weight > 0));
  }
  return { ...samples.intervals(level, replicates), replicates, level, point };
}
