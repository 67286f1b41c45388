import { type IntervalOptions, type Stat } from './stats.js';
import type { JournalEntry, ProtocolName } from './trial.js';
/** Test metrics summarised per configuration (keys of `fairkit audit`'s JSON, overall then fairness). */
export declare const SUMMARY_METRICS: readonly ["accuracy", "balancedAccuracy", "ap", "rocAuc", "f1", "demographicParityDifference", "demographicParityRatio", "equalizedOddsSum", "equalizedOddsDifference", "equalOpportunityDifference", "equalOpportunityRatio", "abcc"];
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];
export declare const GROUP_METRICS: readonly ["selectionRate", "tpr", "fpr", "accuracy"];
export type GroupMetric = (typeof GROUP_METRICS)[number];
/** The two trade-off planes of the report: GCM's AP vs ΔEO (sum form) and accuracy vs ΔDP. */
export declare const TRADEOFFS: readonly [{
    readonly id: "ap-eo";
    readonly utility: "ap";
    readonly gap: "equalizedOddsSum";
    readonly title: "AP vs −ΔEO (sum)";
    readonly utilityTitle: "AP";
    readonly gapTitle: "ΔEO (sum)";
}, {
    readonly id: "accuracy-dp";
    readonly utility: "accuracy";
    readonly gap: "demographicParityDifference";
    readonly title: "accuracy vs −ΔDP";
    readonly utilityTitle: "accuracy";
    readonly gapTitle: "ΔDP";
}];
export type Tradeoff = (typeof TRADEOFFS)[number];
export type TradeoffId = Tradeoff['id'];
/** Hypervolume reference in ERM-normalised units: zero utility, ERM's gap. */
export declare const HYPERVOLUME_REFERENCE: {
    utility: number;
    gap: number;
};
export interface ConfigSummary {
    key: string;
    method: string;
    params: Record<string, unknown>;
    lambda: number | null;
    label: string;
    runs: number;
    metrics: Record<SummaryMetric, Stat>;
    groups: {
        key: string;
        metrics: Record<GroupMetric, Stat>;
    }[];
    trainSeconds: Stat;
    /** Mean over runs of each per-epoch validation metric (training curves). */
    curves: {
        epoch: number;
        metric: string;
        mean: number;
        runs: number;
    }[];
    /** Mean over runs of the group contribution ratios, per epoch (empty when not recorded). */
    contribution: {
        epoch: number;
        label: 0 | 1;
        group: string;
        reference: string;
        mean: number;
        runs: number;
    }[];
}
export interface TradeoffPointSummary {
    config: string;
    label: string;
    method: string;
    utility: number;
    gap: number;
    /** Divided by ERM's mean (FFB's normalisation); null without an ERM reference or when ERM's value is 0. */
    normalisedUtility: number | null;
    normalisedGap: number | null;
    onFront: boolean;
}
export interface TradeoffSummary {
    tradeoff: Tradeoff;
    points: TradeoffPointSummary[];
    /** Config keys on the Pareto front, by increasing gap. */
    front: string[];
    /** Hypervolume of ERM-normalised points w.r.t. HYPERVOLUME_REFERENCE: of all points, and of each method's. */
    hypervolume: {
        all: number | null;
        byMethod: Record<string, number | null>;
    };
}
/** Trials that differ only in seed or fold, grouped: one data set, attribute, protocol and training setup. */
export interface StudySummary {
    key: string;
    dataset: string;
    sensitive: string[];
    protocol: ProtocolName;
    training: Record<string, unknown>;
    configs: ConfigSummary[];
    reference: ConfigSummary | null;
    tradeoffs: TradeoffSummary[];
}
export interface BenchSummary {
    studies: StudySummary[];
    trials: number;
}
/** Aggregates journal entries: statistics per configuration, Pareto fronts, ERM normalisation, hypervolume. */
export declare function aggregate(entries: readonly JournalEntry[], options?: IntervalOptions): BenchSummary;
export declare function configLabel(method: string, params: Record<string, unknown>): string;
