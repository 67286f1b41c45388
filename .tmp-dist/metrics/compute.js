import { FairkitError } from '../errors.js';
import { orderByScore, rankingSums } from './ranking.js';
import { buildReport, presentGroups } from './report.js';
import { MetricState } from './state.js';
/** All metrics of a state: overall and per-group performance, and the fairness gaps between groups. */
export function computeMetrics(state, labels) {
    checkLabels(labels, state.nGroups);
    const warnings = [];
    const warn = (message) => warnings.push(message);
    const summary = summarizeState(state, warn);
    return { ...buildReport(summary, labels, warn), warnings };
}
/** One-shot evaluation of arrays (a state with one batch). */
export function evaluate(input) {
    return computeMetrics(stateOf(input), input.groups);
}
/** A state holding all rows of `input` (validated). */
export function stateOf(input) {
    checkLabels(input.groups, input.groups.keys.length);
    const state = new MetricState(input.groups.keys.length);
    state.update({
        yTrue: input.yTrue,
        yPred: input.yPred,
        scores: input.scores,
        groups: input.groupIds,
        weights: input.weights,
        threshold: input.threshold,
    });
    return state;
}
function summarizeState(state, warn) {
    const summary = { nGroups: state.nGroups, rows: state.rows, confusion: state.confusion, scores: null };
    if (state.rowsWithoutScores > 0 && state.rowsWithoutScores < state.totalRows) {
        const missing = `${state.rowsWithoutScores} of ${state.totalRows} rows have no score`;
        warn(`${missing}: ap, rocAuc, logLoss and abcc are left out`);
    }
    if (!state.hasScores)
        return summary;
    const probabilities = probabilityScores(state, warn);
    const kept = state.keptRows();
    if (kept === null)
        warn('ap, rocAuc and abcc are null: the state did not keep its rows (keepRows: false)');
    summary.scores = {
        logLossSum: probabilities ? state.logLossSum : null,
        ranking: kept === null
            ? null
            : rankingSums(orderByScore(kept.codes, kept.scores, kept.weights), state.nGroups, probabilities ? abccPairOf(state.confusion, state.nGroups) : null),
    };
    return summary;
}
/** Whether all scores are probabilities (logLoss and abcc need them); warns when not. */
function probabilityScores(state, warn) {
    if (state.scoresOutsideUnitInterval === 0)
        return true;
    const outside = `${state.scoresOutsideUnitInterval} scores lie outside [0, 1]`;
    warn(`${outside}: logLoss and abcc are null (they need probabilities)`);
    return false;
}
/** The two groups abcc compares: defined only when exactly two groups have rows with weight. */
export function abccPairOf(confusion, nGroups) {
    const present = presentGroups(confusion, nGroups);
    return present.length === 2 ? abccPairWithWeights(present[0], present[1], confusion) : null;
}
/** The pair with its total weights taken from `confusion`. */
export function abccPairWithWeights(a, b, confusion) {
    const weight = (g) => confusion[4 * g] + confusion[4 * g + 1] + confusion[4 * g + 2] + confusion[4 * g + 3];
    return { a, b, weightA: weight(a), weightB: weight(b) };
}
function checkLabels(labels, nGroups) {
    const where = 'metric groups';
    if (labels.keys.length !== nGroups) {
        throw new FairkitError(`${labels.keys.length} group keys given for ${nGroups} groups`, { where });
    }
    if (labels.values.length !== nGroups) {
        throw new FairkitError(`${labels.values.length} group value records given for ${nGroups} groups`, { where });
    }
    const p = labels.privileged;
    if (p !== undefined && !(Number.isInteger(p) && p >= 0 && p < nGroups)) {
        throw new FairkitError(`privileged group index ${p} is not in [0, ${nGroups})`, { where });
    }
}
//# sourceMappingURL=compute.js.map