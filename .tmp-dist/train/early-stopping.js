/**
 * Stops training when a validation metric has not improved for `patience` epochs and remembers the best
 * epoch, so the loop can restore the best weights.
 */
export class EarlyStopping {
    metric;
    patience;
    mode;
    minDelta;
    best = Number.NEGATIVE_INFINITY;
    bestEpoch = -1;
    sinceBest = 0;
    constructor(metric, patience, mode = 'max', minDelta = 0) {
        this.metric = metric;
        this.patience = patience;
        this.mode = mode;
        this.minDelta = minDelta;
    }
    /** Records an epoch's value; returns true when this epoch is the best so far. */
    observe(epoch, value) {
        if (value === null || value === undefined || Number.isNaN(value)) {
            this.sinceBest++;
            return false;
        }
        const signed = this.mode === 'max' ? value : -value;
        if (signed > this.best + this.minDelta) {
            this.best = signed;
            this.bestEpoch = epoch;
            this.sinceBest = 0;
            return true;
        }
        this.sinceBest++;
        return false;
    }
    get shouldStop() {
        return this.sinceBest >= this.patience;
    }
    get bestValue() {
        return this.bestEpoch < 0 ? null : this.mode === 'max' ? this.best : -this.best;
    }
    get bestEpochIndex() {
        return this.bestEpoch;
    }
}
//# sourceMappingURL=early-stopping.js.map