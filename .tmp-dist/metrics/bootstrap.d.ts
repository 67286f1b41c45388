import { type EvaluateInput } from './compute.js';
import type { MetricReport } from './report-types.js';
export interface BootstrapOptions {
    replicates: number;
    seed: number;
    /** Coverage of the percentile intervals (default 0.95). */
    level?: number;
}
/** [low, high], or null when the metric was undefined in every replicate. */
export type Interval = [number, number] | null;
export interface BootstrapIntervals {
    overall: Record<string, Interval>;
    groups: {
        key: string;
        intervals: Record<string, Interval>;
    }[];
    fairness: Record<string, Interval>;
    warnings: string[];
    replicates: number;
    level: number;
    /** The point estimates (the report of `evaluate(input)`), computed on the way. */
    point: MetricReport;
}
/**
 * Percentile bootstrap intervals for every metric of `evaluate(input)`: rows are resampled with replacement
 * (n draws from the seeded Rng), each replicate is evaluated, and the interval runs between the (1 − level)/2
 * and (1 + level)/2 quantiles (numpy's default linear interpolation). A replicate counts as undefined for a
 * metric when the metric is null in it — and, for the fairness metrics, when a group that has rows in the data
 * drew none; the interval then uses the other replicates, with a warning giving the count.
 *
 * A replicate is a reweighting of the rows (weight × number of draws), so the scores are sorted once and each
 * replicate costs O(n); the draws are made on the input rows, so results do not depend on the sort.
 */
export declare function bootstrapIntervals(input: EvaluateInput, options: BootstrapOptions): BootstrapIntervals;
/** numpy.quantile's default ('linear') on sorted values. */
export declare function quantile(sorted: Float64Array, q: number): number;
