/** One batch of rows. `yPred` defaults to `scores >= threshold` (threshold 0.5). */
export interface MetricBatch {
    yTrue: ArrayLike<number>;
    yPred?: ArrayLike<number>;
    /** Predicted probabilities of the positive class (any real score works for AP/ROC-AUC). */
    scores?: ArrayLike<number>;
    /** Group id of each row, in [0, nGroups). */
    groups: ArrayLike<number>;
    /** Non-negative sample weights (default 1). */
    weights?: ArrayLike<number>;
    threshold?: number;
}
export interface MetricStateOptions {
    /**
     * Keep every row's score, label, prediction, group and weight (12–20 bytes a row; default true). They make
     * AP, ROC-AUC and abcc exact and let the bootstrap resample. With false, memory is O(groups) and those three
     * are null.
     */
    keepRows?: boolean;
}
/** Rows as kept by a state. `codes[i]` packs group·4 + 2·label + prediction. */
export interface KeptRows {
    codes: Int32Array;
    /** NaN for rows that came without a score. */
    scores: Float64Array;
    weights: Float64Array | null;
}
/**
 * Mergeable sufficient statistics of a binary classifier's predictions per group: weighted confusion counts
 * (always), weighted log-loss sums, and optionally the rows themselves for the ranking metrics.
 */
export declare class MetricState {
    readonly nGroups: number;
    readonly keepRows: boolean;
    /** Rows per group (unweighted). */
    readonly rows: Float64Array;
    /** Weighted confusion counts, index group·4 + 2·label + prediction: tn, fp, fn, tp. */
    readonly confusion: Float64Array;
    /** Weighted sum of per-row log loss per group, over rows whose score lies in [0, 1]. */
    readonly logLossSum: Float64Array;
    /** Rows that came without a score (then no score-based metric is defined). */
    rowsWithoutScores: number;
    /** Rows whose score lies outside [0, 1] (then the probability metrics logLoss and abcc are undefined). */
    scoresOutsideUnitInterval: number;
    private readonly keptCodes;
    private readonly keptScores;
    private keptWeights;
    constructor(nGroups: number, options?: MetricStateOptions);
    get totalRows(): number;
    /** Whether every row so far has a score. */
    get hasScores(): boolean;
    /** The kept rows (views, valid until the next update), or null when rows are not kept. */
    keptRows(): KeptRows | null;
    /** Adds a batch. A bad batch raises a FairkitError and leaves the state unchanged. */
    update(batch: MetricBatch): void;
    /** Adds `other`'s rows to this state (this state changes; `other` does not) and returns this state. */
    merge(other: MetricState): MetricState;
    /** The weights store, created on first use with weight 1 for the rows kept so far. */
    private weightsStore;
}
