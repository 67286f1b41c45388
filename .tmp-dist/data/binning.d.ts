/** How to cut a continuous sensitive attribute into groups: explicit cut points, or `quantiles` equal-count bins. */
export interface Binning {
    column: string;
    cuts?: number[];
    quantiles?: number;
}
/**
 * The cut points of a binning: the explicit `cuts`, or the q-quantiles of the non-missing values
 * (numpy's default linear interpolation), with repeated cuts (from ties) dropped.
 */
export declare function binCuts(values: Float64Array, binning: Binning): number[];
/**
 * Bin labels for cuts c0 < … < ck: "<c0", "c0-c1", …, ">=ck"; every bin includes its lower cut and
 * excludes its upper one. Numbers are shown with up to 6 significant digits.
 */
export declare function binLabels(cuts: number[]): string[];
/** Index of the bin holding `value`: the number of cuts <= value. */
export declare function binIndex(value: number, cuts: number[]): number;
