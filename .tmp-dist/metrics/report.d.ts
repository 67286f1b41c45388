import type { RankingSums } from './ranking.js';
import type { GroupLabels, MetricReport, Warn } from './report-types.js';
/** Everything the report is computed from: per-group sums over some weighting of the rows. */
export interface Summary {
    nGroups: number;
    /** Rows per group. */
    rows: Float64Array;
    /** Weighted tn, fp, fn, tp per group (index group·4 + 2·label + prediction). */
    confusion: Float64Array;
    /** Present when every row has a score. */
    scores: {
        /** Weighted log-loss sums per group; null when some score is not a probability. */
        logLossSum: Float64Array | null;
        /** Null when the rows were not kept. */
        ranking: RankingSums | null;
    } | null;
}
export declare function buildReport(summary: Summary, labels: GroupLabels, warn: Warn): Omit<MetricReport, 'warnings'>;
/** Groups with positive total weight, in id order. */
export declare function presentGroups(confusion: Float64Array, nGroups: number): number[];
