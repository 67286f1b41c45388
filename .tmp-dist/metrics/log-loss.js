/**
 * Per-row log loss exactly as scikit-learn 1.2's `log_loss` with eps="auto" on float64 input: the probability is
 * clipped to [eps, 1 − eps] with eps = float64 machine epsilon, the pair (1 − p, p) is renormalised to sum 1,
 * and the loss is −log of the entry of the true label.
 */
const EPS = Number.EPSILON;
export function rowLogLoss(label, probability) {
    const p = probability < EPS ? EPS : probability > 1 - EPS ? 1 - EPS : probability;
    const q = 1 - p;
    return -Math.log((label === 1 ? p : q) / (q + p));
}
//# sourceMappingURL=log-loss.js.map