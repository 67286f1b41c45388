/**
 * Rows sorted by descending score, with the tie blocks (runs of equal score) marked. Built once; the ranking
 * sums can then be taken for any weighting of the rows (the bootstrap reuses one order for every replicate).
 */
export interface ScoreOrder {
    /** Scores in score order. */
    scores: Float64Array;
    /** Row codes (group·4 + 2·label + prediction) in score order. */
    codes: Int32Array;
    /** Row weights in score order, or null for unit weights. */
    weights: Float64Array | null;
    /** The input row at each position (when asked for). */
    rows: Int32Array | null;
    /** End (exclusive) of each tie block. */
    blockEnd: Int32Array;
}
export declare function orderByScore(codes: Int32Array, scores: Float64Array, weights: Float64Array | null, withRows?: boolean): ScoreOrder;
/**
 * Raw sums from one walk down the ranking, per group and (at index nGroups) over all rows, with P and N the
 * weighted positives and negatives of the slice: AP = apSum / P (scikit-learn's step interpolation over distinct
 * scores), ROC-AUC = aucSum / (P · N) (trapezoid over distinct scores, so ties count one half).
 */
export interface RankingSums {
    apSum: Float64Array;
    aucSum: Float64Array;
    /** ∫|ECDF_a − ECDF_b| over the scores for the requested pair of groups, or null when not requested. */
    abcc: number | null;
}
/** The two groups whose score distributions abcc compares, with their total weights. */
export interface AbccPair {
    a: number;
    b: number;
    weightA: number;
    weightB: number;
}
/**
 * Walks the ranking once. `weights` (in score order) overrides the order's own weights, e.g. with
 * bootstrap multiplicities folded in; a zero weight removes a row, as scikit-learn does.
 */
export declare function rankingSums(order: ScoreOrder, nGroups: number, abccPair: AbccPair | null, weights?: Float64Array | null): RankingSums;
