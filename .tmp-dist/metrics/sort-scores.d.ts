/**
 * Rows sorted by descending float64 score: an LSD radix sort on the IEEE-754 bits that carries each row's
 * code (and weight, and row index when asked) along. Carrying beats sorting an index and gathering afterwards:
 * ten million random reads cost about as much as the whole sort. Passes whose byte is the same for every
 * score (common: float32-derived probabilities share their low bits) are skipped.
 */
export interface RowsByScore {
    /** Scores, descending (ties in input order). */
    scores: Float64Array;
    codes: Int32Array;
    weights: Float64Array | null;
    /** The input row at each position, when asked for. */
    rows: Int32Array | null;
}
export declare function sortByScoreDescending(scores: Float64Array, codes: Int32Array, weights: Float64Array | null, withRows: boolean): RowsByScore;
