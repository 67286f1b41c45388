/**
 * Performance metrics of one slice (as scikit-learn 1.2 with sample weights), except that a 0/0 is null with
 * a warning where scikit-learn returns 0: precision without predicted positives, TPR without positives,
 * FPR without negatives, balanced accuracy without either class, AP without positives, ROC-AUC with one class.
 */
export function performanceValues(sums, scope, warn) {
    const { count, tn, fp, fn, tp } = sums;
    const total = tn + fp + fn + tp;
    const positives = tp + fn;
    const negatives = tn + fp;
    const undefinedBecause = new Map();
    const orNull = (value, defined, metric, reason) => {
        if (defined)
            return value;
        undefinedBecause.set(reason, [...(undefinedBecause.get(reason) ?? []), metric]);
        return null;
    };
    if (total === 0) {
        warn(`${scope} has no rows with weight: all its metrics are null`);
        const empty = nullPerformance(count);
        if (sums.scores)
            Object.assign(empty, { ap: null, rocAuc: null, logLoss: null });
        return empty;
    }
    const noPositives = 'no positive labels';
    const noNegatives = 'no negative labels';
    const tpr = orNull(tp / positives, positives > 0, 'tpr', noPositives);
    const tnr = negatives > 0 ? tn / negatives : null;
    const values = {
        count,
        accuracy: (tp + tn) / total,
        balancedAccuracy: tpr !== null && tnr !== null
            ? (tpr + tnr) / 2
            : orNull(0, false, 'balancedAccuracy', tpr === null ? noPositives : noNegatives),
        selectionRate: (tp + fp) / total,
        tpr,
        fpr: orNull(fp / negatives, negatives > 0, 'fpr', noNegatives),
        precision: orNull(tp / (tp + fp), tp + fp > 0, 'precision', 'no predicted positives'),
        f1: orNull((2 * tp) / (2 * tp + fp + fn), 2 * tp + fp + fn > 0, 'f1', 'no positive labels or predictions'),
    };
    if (sums.scores) {
        const { apSum, aucSum, logLossSum } = sums.scores;
        values.ap = apSum === null ? null : orNull(apSum / positives, positives > 0, 'ap', noPositives);
        const bothClasses = positives > 0 && negatives > 0;
        const oneClass = positives > 0 ? noNegatives : noPositives;
        values.rocAuc = aucSum === null ? null : orNull(aucSum / (positives * negatives), bothClasses, 'rocAuc', oneClass);
        values.logLoss = logLossSum === null ? null : logLossSum / total;
    }
    for (const [reason, metrics] of undefinedBecause)
        warn(`${scope} has ${reason}: ${metrics.join(', ')} null`);
    return values;
}
function nullPerformance(count) {
    return {
        count,
        accuracy: null,
        balancedAccuracy: null,
        selectionRate: null,
        tpr: null,
        fpr: null,
        precision: null,
        f1: null,
    };
}
//# sourceMappingURL=performance.js.map