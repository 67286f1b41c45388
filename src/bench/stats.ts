import { FairkitError } from '../errors.js';
import { quantile } from '../metrics/bootstrap.js';
import { Rng } from '../rng.js';
import { studentTQuantile } from './student-t.js';

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

export const DEFAULT_INTERVAL_OPTIONS: IntervalOptions = { replicates: 2000, seed: 0, level: 0.95 };

export function summarize(values: readonly (number | null | undefined)[], options: IntervalOptions = DEFAULT_INTERVAL_OPTIONS): Stat {
  const present = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const n = present.length;
  if (n === 0) return { mean: null, std: null, n, interval: null };
  const { mean: m, std } = meanAndStd(present);
  if (std === null) return { mean: m, std: null, n, interval: null };
  return { mean: m, std, n, interval: bootstrapMeanInterval(present, options) };
}

/** Mean and sample standard deviation (n − 1; null below two values) of finite values, at least one. */
function meanAndStd(values: readonly number[]): { mean: number; std: number | null } {
  const n = values.length;
  const m = mean(values);
  if (n === 1) return { mean: m, std: null };
  return { mean: m, std: Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (n - 1)) };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Percentile bootstrap of the mean: `replicates` resamples of the values with replacement (seeded), the
 * interval between the (1 − level)/2 and (1 + level)/2 quantiles of their means. With a handful of seeds it
 * is rough (it cannot be wider than the range of the values), which reports should say.
 */
export function bootstrapMeanInterval(values: readonly number[], options: IntervalOptions = DEFAULT_INTERVAL_OPTIONS): [number, number] {
  const { replicates, seed, level } = options;
  if (values.length === 0) throw new FairkitError('no values to bootstrap');
  if (!Number.isInteger(replicates) || replicates < 1) throw new FairkitError(`replicates must be a positive integer, got ${replicates}`);
  if (!(level > 0 && level < 1)) throw new FairkitError(`level must be in (0, 1), got ${level}`);
  const rng = new Rng(seed);
  const n = values.length;
  const means = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += values[rng.int(n)];
    means[r] = sum / n;
  }
  means.sort();
  return [quantile(means, (1 - level) / 2), quantile(means, (1 + level) / 2)];
}

/** A method's change against the reference over paired runs (the same seed or fold): mean difference and its t interval. */
export interface PairedDifference {
  /** Mean over pairs of (method − reference); null without a pair. */
  mean: number | null;
  /** Sample standard deviation (ddof 1) of the differences; null with fewer than two pairs. */
  std: number | null;
  /** Pairs in which both have a value. */
  n: number;
  /** t interval of the mean difference, mean ± t_{(1+level)/2, n−1}·std/√n; null with fewer than two pairs. */
  interval: [number, number] | null;
  /** Whether the interval excludes 0: the change exceeds seed noise. null without an interval. */
  beyondNoise: boolean | null;
}

export const PAIRED_LEVEL = 0.95;

/**
 * Paired differences of a metric: `values` and `reference` map a run (seed or fold) to its value; runs missing on
 * either side are left out. Pairing removes the split's share of the noise, which both runs of a seed share.
 */
export function pairedDifference(values: ReadonlyMap<string, number | null>, reference: ReadonlyMap<string, number | null>, level = PAIRED_LEVEL): PairedDifference {
  const differences: number[] = [];
  for (const [run, value] of values) {
    const base = reference.get(run);
    if (typeof value === 'number' && Number.isFinite(value) && typeof base === 'number' && Number.isFinite(base)) differences.push(value - base);
  }
  const n = differences.length;
  if (n === 0) return { mean: null, std: null, n, interval: null, beyondNoise: null };
  // Only the mean and sd: summarize's bootstrap interval is not used here.
  const { mean: m, std } = meanAndStd(differences);
  if (std === null) return { mean: m, std: null, n, interval: null, beyondNoise: null };
  const half = studentTQuantile((1 + level) / 2, n - 1) * (std / Math.sqrt(n));
  const interval: [number, number] = [m - half, m + half];
  return { mean: m, std, n, interval, beyondNoise: interval[0] > 0 || interval[1] < 0 };
}
