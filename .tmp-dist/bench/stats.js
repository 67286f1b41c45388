import { FairkitError } from '../errors.js';
import { quantile } from '../metrics/bootstrap.js';
import { Rng } from '../rng.js';
export const DEFAULT_INTERVAL_OPTIONS = { replicates: 2000, seed: 0, level: 0.95 };
export function summarize(values, options = DEFAULT_INTERVAL_OPTIONS) {
    const present = values.filter((value) => typeof value === 'number' && Number.isFinite(value));
    const n = present.length;
    if (n === 0)
        return { mean: null, std: null, n, interval: null };
    const m = mean(present);
    if (n === 1)
        return { mean: m, std: null, n, interval: null };
    const variance = present.reduce((sum, value) => sum + (value - m) ** 2, 0) / (n - 1);
    return { mean: m, std: Math.sqrt(variance), n, interval: bootstrapMeanInterval(present, options) };
}
function mean(values) {
    return values.reduce((sum, value) => sum + value, 0) / values.length;
}
/**
 * Percentile bootstrap of the mean: `replicates` resamples of the values with replacement (seeded), the
 * interval between the (1 − level)/2 and (1 + level)/2 quantiles of their means. With a handful of seeds it
 * is rough (it cannot be wider than the range of the values), which reports should say.
 */
export function bootstrapMeanInterval(values, options = DEFAULT_INTERVAL_OPTIONS) {
    const { replicates, seed, level } = options;
    if (values.length === 0)
        throw new FairkitError('no values to bootstrap');
    if (!Number.isInteger(replicates) || replicates < 1)
        throw new FairkitError(`replicates must be a positive integer, got ${replicates}`);
    if (!(level > 0 && level < 1))
        throw new FairkitError(`level must be in (0, 1), got ${level}`);
    const rng = new Rng(seed);
    const n = values.length;
    const means = new Float64Array(replicates);
    for (let r = 0; r < replicates; r++) {
        let sum = 0;
        for (let k = 0; k < n; k++)
            sum += values[rng.int(n)];
        means[r] = sum / n;
    }
    means.sort();
    return [quantile(means, (1 - level) / 2), quantile(means, (1 + level) / 2)];
}
//# sourceMappingURL=stats.js.map