import type { FairnessValues, MetricValue, Warn } from './report-types.js';
/** The per-group rates the fairness metrics are made of, for one group that has rows. */
export interface GroupRates {
    key: string;
    selectionRate: number;
    tpr: MetricValue;
    fpr: MetricValue;
}
export interface FairnessOptions {
    /** Position in `rates` of the privileged group, if known. */
    privileged: number | null;
    /** abcc of the two groups' score distributions; undefined when abcc does not apply. */
    abcc?: MetricValue;
}
/**
 * Fairness metrics over the groups that have rows (evaluation.md §1). A difference is max − min over groups and
 * a ratio min / max (Fairlearn's method='between_groups'). A gap over a rate that is undefined for some group
 * is null, never computed over the remaining groups; tprStd and fprStd leave such groups out (as Fair MEDL).
 */
export declare function fairnessValues(rates: GroupRates[], options: FairnessOptions, warn: Warn): FairnessValues;
