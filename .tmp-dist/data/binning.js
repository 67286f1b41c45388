import { FairkitError } from '../errors.js';
/**
 * The cut points of a binning: the explicit `cuts`, or the q-quantiles of the non-missing values
 * (numpy's default linear interpolation), with repeated cuts (from ties) dropped.
 */
export function binCuts(values, binning) {
    const where = `binning of "${binning.column}"`;
    if ((binning.cuts === undefined) === (binning.quantiles === undefined)) {
        throw new FairkitError('give either cuts or quantiles', { where });
    }
    if (binning.cuts) {
        const cuts = binning.cuts;
        if (cuts.length === 0 || cuts.some((cut, i) => !Number.isFinite(cut) || (i > 0 && cut <= cuts[i - 1]))) {
            throw new FairkitError(`cuts must be finite and strictly increasing, got [${cuts.join(', ')}]`, { where });
        }
        return [...cuts];
    }
    const q = binning.quantiles;
    if (!Number.isInteger(q) || q < 2)
        throw new FairkitError(`quantiles must be a whole number >= 2, got ${q}`, { where });
    const sorted = values.filter((value) => !Number.isNaN(value)).sort();
    if (sorted.length === 0)
        throw new FairkitError('the column has no values to take quantiles of', { where });
    const cuts = [];
    for (let i = 1; i < q; i++) {
        const cut = quantile(sorted, i / q);
        if (cuts.length === 0 || cut > cuts[cuts.length - 1])
            cuts.push(cut);
    }
    return cuts;
}
/**
 * Bin labels for cuts c0 < … < ck: "<c0", "c0-c1", …, ">=ck"; every bin includes its lower cut and
 * excludes its upper one. Numbers are shown with up to 6 significant digits.
 */
export function binLabels(cuts) {
    const shown = cuts.map((cut) => String(Number(cut.toPrecision(6))));
    const labels = [`<${shown[0]}`];
    for (let i = 1; i < cuts.length; i++)
        labels.push(`${shown[i - 1]}-${shown[i]}`);
    labels.push(`>=${shown[cuts.length - 1]}`);
    return labels;
}
/** Index of the bin holding `value`: the number of cuts <= value. */
export function binIndex(value, cuts) {
    let bin = 0;
    while (bin < cuts.length && value >= cuts[bin])
        bin++;
    return bin;
}
function quantile(sorted, p) {
    const position = p * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
//# sourceMappingURL=binning.js.map