import type { PerformanceValues, Warn } from './report-types.js';
/** Weighted confusion counts of one slice of rows, with its optional score sums. */
export interface SliceSums {
    count: number;
    tn: number;
    fp: number;
    fn: number;
    tp: number;
    /** Present when every row has a score; each part is null when it could not be kept or computed. */
    scores?: {
        logLossSum: number | null;
        apSum: number | null;
        aucSum: number | null;
    };
}
/**
 * Performance metrics of one slice (as scikit-learn 1.2 with sample weights), except that a 0/0 is null with
 * a warning where scikit-learn returns 0: precision without predicted positives, TPR without positives,
 * FPR without negatives, balanced accuracy without either class, AP without positives, ROC-AUC with one class.
 */
export declare function performanceValues(sums: SliceSums, scope: string, warn: Warn): PerformanceValues;
