import { FairkitError } from '../errors.js';
import { GrowableFloat64, GrowableInt32 } from './growable.js';
import { rowLogLoss } from './log-loss.js';
/**
 * Mergeable sufficient statistics of a binary classifier's predictions per group: weighted confusion counts
 * (always), weighted log-loss sums, and optionally the rows themselves for the ranking metrics.
 */
export class MetricState {
    nGroups;
    keepRows;
    /** Rows per group (unweighted). */
    rows;
    /** Weighted confusion counts, index group·4 + 2·label + prediction: tn, fp, fn, tp. */
    confusion;
    /** Weighted sum of per-row log loss per group, over rows whose score lies in [0, 1]. */
    logLossSum;
    /** Rows that came without a score (then no score-based metric is defined). */
    rowsWithoutScores = 0;
    /** Rows whose score lies outside [0, 1] (then the probability metrics logLoss and abcc are undefined). */
    scoresOutsideUnitInterval = 0;
    keptCodes = new GrowableInt32();
    keptScores = new GrowableFloat64();
    keptWeights = null;
    constructor(nGroups, options = {}) {
        if (!Number.isInteger(nGroups) || nGroups < 1 || nGroups > 2 ** 28) {
            throw new FairkitError(`the number of groups must be an integer from 1 to 2^28, got ${nGroups}`, {
                where: 'MetricState',
            });
        }
        this.nGroups = nGroups;
        this.keepRows = options.keepRows ?? true;
        this.rows = new Float64Array(nGroups);
        this.confusion = new Float64Array(4 * nGroups);
        this.logLossSum = new Float64Array(nGroups);
    }
    get totalRows() {
        return this.rows.reduce((sum, r) => sum + r, 0);
    }
    /** Whether every row so far has a score. */
    get hasScores() {
        return this.rowsWithoutScores === 0 && this.totalRows > 0;
    }
    /** The kept rows (views, valid until the next update), or null when rows are not kept. */
    keptRows() {
        if (!this.keepRows)
            return null;
        return {
            codes: this.keptCodes.view(),
            scores: this.keptScores.view(),
            weights: this.keptWeights?.view() ?? null,
        };
    }
    /** Adds a batch. A bad batch raises a FairkitError and leaves the state unchanged. */
    update(batch) {
        const n = validateBatch(batch, this.nGroups);
        const { yTrue, yPred, scores, groups, weights } = batch;
        const threshold = batch.threshold ?? 0.5;
        const { rows, confusion, logLossSum } = this;
        const keep = this.keepRows;
        const offset = this.keptCodes.length;
        const codesOut = keep ? this.keptCodes.reserve(n) : null;
        const scoresOut = keep ? this.keptScores.reserve(n) : null;
        const weightsOut = keep && weights !== undefined ? this.weightsStore().reserve(n) : null;
        let outside = 0;
        for (let i = 0; i < n; i++) {
            const y = yTrue[i];
            const g = groups[i];
            const w = weights === undefined ? 1 : weights[i];
            let prediction;
            let s = NaN;
            if (scores === undefined)
                prediction = yPred[i];
            else {
                s = scores[i];
                prediction = yPred === undefined ? (s >= threshold ? 1 : 0) : yPred[i];
                if (s >= 0 && s <= 1)
                    logLossSum[g] += w * rowLogLoss(y, s);
                else
                    outside++;
            }
            const code = 4 * g + 2 * y + prediction;
            rows[g]++;
            confusion[code] += w;
            if (codesOut !== null) {
                codesOut[offset + i] = code;
                scoresOut[offset + i] = s;
                if (weightsOut !== null)
                    weightsOut[offset + i] = w;
            }
        }
        if (scores === undefined)
            this.rowsWithoutScores += n;
        this.scoresOutsideUnitInterval += outside;
        if (keep) {
            this.keptCodes.length += n;
            this.keptScores.length += n;
            if (this.keptWeights !== null) {
                if (weightsOut === null)
                    this.keptWeights.reserve(n).fill(1, offset, offset + n);
                this.keptWeights.length += n;
            }
        }
    }
    /** Adds `other`'s rows to this state (this state changes; `other` does not) and returns this state. */
    merge(other) {
        if (other.nGroups !== this.nGroups) {
            throw new FairkitError(`cannot merge a state of ${other.nGroups} groups into one of ${this.nGroups}`, {
                where: 'MetricState.merge',
            });
        }
        if (other.keepRows !== this.keepRows) {
            throw new FairkitError('cannot merge a state that keeps rows with one that does not', {
                where: 'MetricState.merge',
                fix: 'create both states with the same keepRows option',
            });
        }
        if (this.keepRows) {
            const rows = other.keptCodes.length;
            const offset = this.keptCodes.length;
            this.keptCodes.append(other.keptCodes.view());
            this.keptScores.append(other.keptScores.view());
            if (other.keptWeights !== null)
                this.weightsStore().append(other.keptWeights.view());
            else if (this.keptWeights !== null) {
                this.keptWeights.reserve(rows).fill(1, offset, offset + rows);
                this.keptWeights.length += rows;
            }
        }
        addInto(this.rows, other.rows);
        addInto(this.confusion, other.confusion);
        addInto(this.logLossSum, other.logLossSum);
        this.rowsWithoutScores += other.rowsWithoutScores;
        this.scoresOutsideUnitInterval += other.scoresOutsideUnitInterval;
        return this;
    }
    /** The weights store, created on first use with weight 1 for the rows kept so far. */
    weightsStore() {
        if (this.keptWeights === null) {
            this.keptWeights = new GrowableFloat64();
            this.keptWeights.reserve(this.keptCodes.length).fill(1, 0, this.keptCodes.length);
            this.keptWeights.length = this.keptCodes.length;
        }
        return this.keptWeights;
    }
}
/** Checks every entry of a batch before anything is added; returns the row count. */
function validateBatch(batch, nGroups) {
    const { yTrue, yPred, scores, groups, weights } = batch;
    const n = yTrue.length;
    if (yPred === undefined && scores === undefined) {
        throw batchError('neither yPred nor scores given', 'pass hard predictions (yPred), scores, or both');
    }
    for (const name of ['yPred', 'scores', 'groups', 'weights']) {
        const values = batch[name];
        if (values !== undefined && values.length !== n) {
            throw batchError(`${name} has ${values.length} entries but yTrue has ${n}`);
        }
    }
    const threshold = batch.threshold ?? 0.5;
    if (!Number.isFinite(threshold))
        throw batchError(`threshold is ${threshold}; it must be a finite number`);
    for (let i = 0; i < n; i++) {
        const y = yTrue[i];
        if (y !== 0 && y !== 1)
            throw batchError(`yTrue[${i}] is ${y}; labels must be 0 or 1`);
        const g = groups[i];
        if ((g | 0) !== g || g < 0 || g >= nGroups) {
            throw batchError(`groups[${i}] is ${g}; group ids must be integers in [0, ${nGroups})`);
        }
    }
    if (yPred !== undefined) {
        for (let i = 0; i < n; i++) {
            const p = yPred[i];
            if (p !== 0 && p !== 1)
                throw batchError(`yPred[${i}] is ${p}; predictions must be 0 or 1`);
        }
    }
    if (scores !== undefined) {
        for (let i = 0; i < n; i++) {
            if (!Number.isFinite(scores[i]))
                throw batchError(`scores[${i}] is ${scores[i]}; scores must be finite numbers`);
        }
    }
    if (weights !== undefined) {
        for (let i = 0; i < n; i++) {
            const w = weights[i];
            if (!(w >= 0 && w < Infinity))
                throw batchError(`weights[${i}] is ${w}; weights must be finite and >= 0`);
        }
    }
    return n;
}
function batchError(what, fix) {
    return new FairkitError(what, { where: 'metrics batch', fix });
}
function addInto(target, source) {
    for (let i = 0; i < target.length; i++)
        target[i] += source[i];
}
//# sourceMappingURL=state.js.map