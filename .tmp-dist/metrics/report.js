import { fairnessValues } from './fairness.js';
import { performanceValues } from './performance.js';
export function buildReport(summary, labels, warn) {
    const { nGroups } = summary;
    const overall = performanceValues(sliceSums(summary, nGroups), 'overall', warn);
    const groups = labels.keys.map((key, g) => ({
        key,
        values: labels.values[g],
        ...performanceValues(sliceSums(summary, g), `group '${key}'`, warn),
    }));
    const present = presentGroups(summary.confusion, nGroups);
    const absent = labels.keys.filter((_, g) => !present.includes(g));
    if (absent.length > 0) {
        const names = absent.map((k) => `'${k}'`).join(', ');
        warn(`group ${names} has no rows with weight and is left out of the fairness metrics`);
    }
    const rates = present.map((g) => ({
        key: labels.keys[g],
        selectionRate: groups[g].selectionRate,
        tpr: groups[g].tpr,
        fpr: groups[g].fpr,
    }));
    const privileged = labels.privileged === undefined ? -1 : present.indexOf(labels.privileged);
    const abccApplies = summary.scores !== null && present.length === 2;
    const fairness = fairnessValues(rates, {
        privileged: privileged < 0 ? null : privileged,
        abcc: abccApplies ? (summary.scores.ranking?.abcc ?? null) : undefined,
    }, warn);
    return { overall, groups, fairness };
}
/** Groups with positive total weight, in id order. */
export function presentGroups(confusion, nGroups) {
    const present = [];
    for (let g = 0; g < nGroups; g++) {
        if (confusion[4 * g] + confusion[4 * g + 1] + confusion[4 * g + 2] + confusion[4 * g + 3] > 0)
            present.push(g);
    }
    return present;
}
/** The sums of group g, or of all rows when g = nGroups. */
function sliceSums(summary, g) {
    const { nGroups, rows, confusion, scores } = summary;
    const groupsInSlice = g === nGroups ? [...Array(nGroups).keys()] : [g];
    const sums = { count: 0, tn: 0, fp: 0, fn: 0, tp: 0 };
    let logLossSum = 0;
    for (const h of groupsInSlice) {
        sums.count += rows[h];
        sums.tn += confusion[4 * h];
        sums.fp += confusion[4 * h + 1];
        sums.fn += confusion[4 * h + 2];
        sums.tp += confusion[4 * h + 3];
        if (scores?.logLossSum)
            logLossSum += scores.logLossSum[h];
    }
    if (scores !== null) {
        sums.scores = {
            logLossSum: scores.logLossSum === null ? null : logLossSum,
            apSum: scores.ranking?.apSum[g] ?? null,
            aucSum: scores.ranking?.aucSum[g] ?? null,
        };
    }
    return sums;
}
//# sourceMappingURL=report.js.map