/** Mean, sample standard deviation (ddof 1) and a bootstrap interval of the mean over runs (seeds or folds). */
export interface Stat {
    mean: number | null;
    /** null with fewer than two runs. */
    std: number | null;
    /** Runs with a value (a metric can be undefined in some runs, e.g. a group without positives). */
    n: number;
    /** Percentile bootstrap interval of the mean; null with fewer than two runs. */
    interval: [number, number] | null;
}
export interface IntervalOptions {
    replicates: number;
    seed: number;
    level: number;
}
export declare const DEFAULT_INTERVAL_OPTIONS: IntervalOptions;
export declare function summarize(values: readonly (number | null | undefined)[], options?: IntervalOptions): Stat;
/**
 * Percentile bootstrap of the mean: `replicates` resamples of the values with replacement (seeded), the
 * interval between the (1 − level)/2 and (1 + level)/2 quantiles of their means. With a handful of seeds it
 * is rough (it cannot be wider than the range of the values), which reports should say.
 */
export declare function bootstrapMeanInterval(values: readonly number[], options?: IntervalOptions): [number, number];
