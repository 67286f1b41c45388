/**
 * Splits row indices into parts of the given fractions (e.g. [0.6, 0.2, 0.2]), each stratum separately:
 * its rows are shuffled and counted out by largest remainder (ties broken at random), so every part gets
 * its share of every stratum to within one row. Indices in each part are sorted ascending.
 */
export declare function stratifiedSplit(strata: Int32Array, fractions: number[], seed: number): Int32Array[];
/**
 * k folds for cross-validation: each stratum's shuffled rows are dealt to the folds in turn, continuing
 * from where the previous stratum stopped, so fold sizes (overall and per stratum) differ by at most one.
 */
export declare function stratifiedKFold(strata: Int32Array, k: number, seed: number): {
    train: Int32Array;
    test: Int32Array;
}[];
/** Combined (label, group) stratum id: 2·group + label. */
export declare function strataOf(y: Uint8Array, groupIds: Int32Array): Int32Array;
