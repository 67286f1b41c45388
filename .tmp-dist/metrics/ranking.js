import { sortByScoreDescending } from './sort-scores.js';
export function orderByScore(codes, scores, weights, withRows = false) {
    const sorted = sortByScoreDescending(scores, codes, weights, withRows);
    const n = codes.length;
    const ends = new Int32Array(n);
    let blocks = 0;
    for (let i = 1; i < n; i++)
        if (sorted.scores[i] !== sorted.scores[i - 1])
            ends[blocks++] = i;
    if (n > 0)
        ends[blocks++] = n;
    return { ...sorted, blockEnd: ends.slice(0, blocks) };
}
/**
 * Walks the ranking once. `weights` (in score order) overrides the order's own weights, e.g. with
 * bootstrap multiplicities folded in; a zero weight removes a row, as scikit-learn does.
 */
export function rankingSums(order, nGroups, abccPair, weights = order.weights) {
    const { codes, scores, blockEnd } = order;
    const slots = nGroups + 1;
    const apSum = new Float64Array(slots);
    const aucSum = new Float64Array(slots);
    const tp = new Float64Array(slots);
    const fp = new Float64Array(slots);
    const blockTp = new Float64Array(nGroups);
    const blockFp = new Float64Array(nGroups);
    const touched = new Int32Array(nGroups);
    const isTouched = new Uint8Array(nGroups);
    const pairA = abccPair?.a ?? 0;
    const pairB = abccPair?.b ?? 0;
    const weightA = abccPair?.weightA ?? 0;
    const weightB = abccPair?.weightB ?? 0;
    let abccSum = 0;
    let start = 0;
    for (let b = 0; b < blockEnd.length; b++) {
        const end = blockEnd[b];
        if (abccPair !== null && b > 0) {
            // Between this score and the previous (higher) one, each ECDF is 1 − (mass scored at least that high).
            const gap = Math.abs((tp[pairA] + fp[pairA]) * weightB - (tp[pairB] + fp[pairB]) * weightA);
            abccSum += gap * (scores[start - 1] - scores[start]);
        }
        let allTp = 0;
        let allFp = 0;
        if (end - start === 1) {
            // A score held by one row (the common case for continuous scores).
            const code = codes[start];
            const w = weights === null ? 1 : weights[start];
            if (code & 2)
                allTp = w;
            else
                allFp = w;
            addStep(code >> 2, allTp, allFp, tp, fp, apSum, aucSum);
        }
        else {
            let touchedCount = 0;
            for (let i = start; i < end; i++) {
                const code = codes[i];
                const w = weights === null ? 1 : weights[i];
                const g = code >> 2;
                if (isTouched[g] === 0) {
                    isTouched[g] = 1;
                    touched[touchedCount++] = g;
                }
                if (code & 2) {
                    blockTp[g] += w;
                    allTp += w;
                }
                else {
                    blockFp[g] += w;
                    allFp += w;
                }
            }
            for (let k = 0; k < touchedCount; k++) {
                const g = touched[k];
                addStep(g, blockTp[g], blockFp[g], tp, fp, apSum, aucSum);
                blockTp[g] = 0;
                blockFp[g] = 0;
                isTouched[g] = 0;
            }
        }
        addStep(nGroups, allTp, allFp, tp, fp, apSum, aucSum);
        start = end;
    }
    return {
        apSum,
        aucSum,
        abcc: abccPair === null || weightA === 0 || weightB === 0 ? null : abccSum / (weightA * weightB),
    };
}
/** Moves slot s down one distinct score: the PR step adds ΔTP·precision, the ROC trapezoid ΔFP·(TP + TP_prev)/2. */
function addStep(s, dTp, dFp, tp, fp, apSum, aucSum) {
    if (dTp === 0 && dFp === 0)
        return;
    const tpBefore = tp[s];
    const tpAfter = tpBefore + dTp;
    const fpAfter = fp[s] + dFp;
    if (dTp !== 0)
        apSum[s] += (dTp * tpAfter) / (tpAfter + fpAfter);
    aucSum[s] += (dFp * (tpBefore + tpAfter)) / 2;
    tp[s] = tpAfter;
    fp[s] = fpAfter;
}
//# sourceMappingURL=ranking.js.map