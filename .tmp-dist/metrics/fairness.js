/**
 * Fairness metrics over the groups that have rows (evaluation.md §1). A difference is max − min over groups and
 * a ratio min / max (Fairlearn's method='between_groups'). A gap over a rate that is undefined for some group
 * is null, never computed over the remaining groups; tprStd and fprStd leave such groups out (as Fair MEDL).
 */
export function fairnessValues(rates, options, warn) {
    if (rates.length === 1)
        warn(`only one group ('${rates[0].key}') has rows, so every gap is 0 and every ratio 1`);
    const selection = spread(rates.map((r) => r.selectionRate));
    const tpr = rateSpread(rates, 'tpr', 'positive', warn);
    const fpr = rateSpread(rates, 'fpr', 'negative', warn);
    const values = {
        demographicParityDifference: difference(selection),
        demographicParityRatio: ratio(selection, 'demographicParityRatio', 'selection rate', warn),
        equalizedOddsDifference: tpr && fpr && Math.max(difference(tpr), difference(fpr)),
        equalizedOddsRatio: bothOrNull(ratio(tpr, 'equalizedOddsRatio', 'TPR', warn), ratio(fpr, 'equalizedOddsRatio', 'FPR', warn), Math.min),
        equalizedOddsSum: tpr && fpr && difference(tpr) + difference(fpr),
        equalOpportunityDifference: difference(tpr),
        equalOpportunityRatio: null,
        tprStd: populationStd(rates, 'tpr', 'positive', warn),
        fprStd: populationStd(rates, 'fpr', 'negative', warn),
    };
    const pair = privilegedPair(rates, options.privileged);
    if (pair === null) {
        values.equalOpportunityRatio = ratio(tpr, 'equalOpportunityRatio', 'TPR', warn);
    }
    else {
        const [unprivileged, privileged] = pair;
        values.equalOpportunityRatio = privilegedRatio(unprivileged.tpr, privileged, warn);
        values.averageOddsDifference =
            unprivileged.tpr === null || unprivileged.fpr === null || privileged.tpr === null || privileged.fpr === null
                ? null
                : (unprivileged.fpr - privileged.fpr + (unprivileged.tpr - privileged.tpr)) / 2;
    }
    if (options.abcc !== undefined)
        values.abcc = options.abcc;
    return values;
}
function spread(values) {
    if (values.length === 0)
        return null;
    return { min: Math.min(...values), max: Math.max(...values) };
}
/** The spread of TPR or FPR over groups, or null (with one warning) when some group lacks the needed labels. */
function rateSpread(rates, rate, label, warn) {
    const missing = rates.filter((r) => r[rate] === null).map((r) => `'${r.key}'`);
    if (missing.length > 0) {
        const metrics = rate === 'tpr'
            ? 'equalizedOdds*, equalOpportunity*, averageOddsDifference'
            : 'equalizedOdds*, averageOddsDifference';
        const cause = `${rate.toUpperCase()} is undefined for group ${missing.join(', ')} (no ${label} labels)`;
        warn(`${metrics}: null, because ${cause}`);
        return null;
    }
    return spread(rates.map((r) => r[rate]));
}
function difference(s) {
    return s === null ? null : s.max - s.min;
}
function ratio(s, metric, rate, warn) {
    if (s === null)
        return null;
    if (s.max === 0) {
        warn(`${metric}: null, because the ${rate} is 0 in every group (0/0)`);
        return null;
    }
    return s.min / s.max;
}
function bothOrNull(a, b, combine) {
    return a === null || b === null ? null : combine(a, b);
}
/** Population standard deviation (ddof 0) over the groups where the rate is defined. */
function populationStd(rates, rate, label, warn) {
    const defined = rates.filter((r) => r[rate] !== null).map((r) => r[rate]);
    const left = rates.filter((r) => r[rate] === null).map((r) => `'${r.key}'`);
    if (left.length > 0)
        warn(`${rate}Std leaves out group ${left.join(', ')} (no ${label} labels)`);
    if (defined.length === 0)
        return null;
    const mean = defined.reduce((sum, v) => sum + v, 0) / defined.length;
    return Math.sqrt(defined.reduce((sum, v) => sum + (v - mean) ** 2, 0) / defined.length);
}
/** [unprivileged, privileged] when exactly two groups have rows and one of them is the privileged group. */
function privilegedPair(rates, privileged) {
    if (privileged === null || rates.length !== 2)
        return null;
    return [rates[1 - privileged], rates[privileged]];
}
/** GCM's EOP: TPR of the unprivileged group over TPR of the privileged group (1 is fair; may exceed 1). */
function privilegedRatio(unprivilegedTpr, privileged, warn) {
    if (unprivilegedTpr === null || privileged.tpr === null)
        return null;
    if (privileged.tpr === 0) {
        warn(`equalOpportunityRatio: null, because the privileged group '${privileged.key}' has TPR 0`);
        return null;
    }
    return unprivilegedTpr / privileged.tpr;
}
//# sourceMappingURL=fairness.js.map