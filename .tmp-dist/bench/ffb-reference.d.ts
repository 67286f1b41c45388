import type { StudySummary, SummaryMetric } from './aggregate.js';
/** FFB's metric names and fairkit's keys. eodd is the sum form ΔTPR + ΔFPR. */
export declare const FFB_METRICS: readonly [ffb: string, key: SummaryMetric][];
interface ReferenceRow {
    dataset: string;
    /** fairkit's sensitive column. */
    sensitive: string;
    title: string;
    /** mean and std over seeds, in %, per FFB metric. */
    values: Record<string, [number, number]>;
}
/** ERM MLP, FFB Table 4, test split, % (evaluation.md §4). */
export declare const FFB_ERM_REFERENCE: readonly ReferenceRow[];
export interface FfbComparisonRow {
    metric: string;
    ffb: [number, number];
    /** fairkit's ERM mean and std (std null with one run), in %. */
    fairkit: [number, number | null] | null;
    /** |fairkit − FFB| ≤ FFB's std. */
    withinOneSd: boolean | null;
}
/** fairkit's ERM under the FFB protocol beside FFB's Table 4, for a study that has a published row. */
export declare function compareWithFfb(study: StudySummary): {
    title: string;
    runs: number;
    rows: FfbComparisonRow[];
} | null;
export {};
