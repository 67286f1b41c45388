import { type AbccPair } from './ranking.js';
import type { GroupLabels, MetricReport } from './report-types.js';
import { MetricState } from './state.js';
/** All metrics of a state: overall and per-group performance, and the fairness gaps between groups. */
export declare function computeMetrics(state: MetricState, labels: GroupLabels): MetricReport;
export interface EvaluateInput {
    yTrue: ArrayLike<number>;
    yPred?: ArrayLike<number>;
    scores?: ArrayLike<number>;
    groupIds: ArrayLike<number>;
    groups: GroupLabels;
    weights?: ArrayLike<number>;
    threshold?: number;
}
/** One-shot evaluation of arrays (a state with one batch). */
export declare function evaluate(input: EvaluateInput): MetricReport;
/** A state holding all rows of `input` (validated). */
export declare function stateOf(input: EvaluateInput): MetricState;
/** The two groups abcc compares: defined only when exactly two groups have rows with weight. */
export declare function abccPairOf(confusion: Float64Array, nGroups: number): AbccPair | null;
/** The pair with its total weights taken from `confusion`. */
export declare function abccPairWithWeights(a: number, b: number, confusion: Float64Array): AbccPair;
