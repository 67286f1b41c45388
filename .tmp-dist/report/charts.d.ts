import type { TopLevelSpec } from 'vega-lite';
import type { StudySummary, TradeoffSummary } from '../bench/aggregate.js';
/** A chart of the report: its Vega-Lite spec and the words around it. */
export interface ChartSpec {
    /** File-name-safe id, unique within a study. */
    id: string;
    title: string;
    caption: string;
    spec: TopLevelSpec;
}
/** The charts of one study: both trade-off planes, per-group rates, training curves, contribution ratios. */
export declare function studyCharts(study: StudySummary): ChartSpec[];
/** Utility against −gap (right is fairer, as GCM plots −ΔEO), ±1 sd bars, the Pareto front as a dashed line. */
export declare function tradeoffChart(summary: TradeoffSummary): ChartSpec;
/** Selection rate, TPR and FPR of each group under each configuration, with bootstrap intervals over runs. */
export declare function groupRatesChart(study: StudySummary): ChartSpec;
/** Validation metrics per epoch, averaged over runs: how each configuration got where it ended. */
export declare function trainingCurvesChart(study: StudySummary): ChartSpec;
/** GCM's group contribution disparity over training, per label (1 = the groups move the weights equally). */
export declare function contributionChart(study: StudySummary): ChartSpec;
