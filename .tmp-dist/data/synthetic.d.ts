import type { LoadedDataset } from './types.js';
/**
 * Biased synthetic tabular data with known, planted disparities (docs/datasets.md, "synthetic").
 *
 * Per row: group ~ Bernoulli(groupImbalance) ("minority" / "majority"); region ∈ {north, south, east} with
 * probabilities 0.5 / 0.3 / 0.2, independent of group; informative features x_j ~ N(0, 1) and a hidden
 * u ~ N(0, 1) observed only as its quartile `segment` (A < B < C < D); noise ε ~ N(0, noise²). The latent
 * score z = Σ w_j x_j + w_u u + ε is N(0, σ²) in every group and region, so with the intercept
 * b = σ Φ⁻¹(p) the label 1[z + b > 0] has P(label = 1) = p exactly. p is the planted base rate:
 * majorityRate for the majority, majorityRate − labelShift for the minority, and in region south
 * regionShift lower than in north and east (the region offsets average to zero, so the group rates hold).
 * The proxy = ρ·standardised(1[majority]) + √(1−ρ²)·N(0, 1) has correlation ρ = proxyStrength with
 * 1[majority] and no direct effect on the label: a model denied `group` recovers the gap through it.
 */
export interface SyntheticOptions {
    /** Number of rows (default 5000). */
    rows?: number;
    /** Seed of the random source (default 42). */
    seed?: number;
    /** Share of the minority group, in (0, 1) (default 0.3). */
    groupImbalance?: number;
    /** P(label=1 | majority) − P(label=1 | minority) (default 0.2). */
    labelShift?: number;
    /** P(label=1 | majority) (default 0.5). */
    majorityRate?: number;
    /** Correlation of the `proxy` column with 1[group = majority], in [0, 1) (default 0.8). */
    proxyStrength?: number;
    /** Number of informative numeric features x1..xk (default 4). */
    nFeatures?: number;
    /** Standard deviation of the latent noise; larger means labels are harder to predict (default 1). */
    noise?: number;
    /** Add the three-valued `region` column, a second sensitive attribute for intersectional work (default true). */
    regions?: boolean;
    /** How much lower P(label=1) is in region south than in north and east (default 0.1). */
    regionShift?: number;
}
export declare const REGIONS: readonly ["north", "south", "east"];
/** Everything needed to know what was planted; stored as `meta.synthetic`. */
export interface SyntheticTruth {
    options: Required<SyntheticOptions>;
    /** Weights of x1..xk in the latent score. */
    weights: number[];
    segmentWeight: number;
    /** Standard deviation of the latent score z (the same in every group). */
    latentSd: number;
    /** Planted P(label = 1) per group, per region and per "group|region" cell. */
    rates: Record<string, number>;
    /** Expected correlation of `proxy` with 1[group = majority]. */
    proxyCorrelation: number;
}
export declare const syntheticDefaults: Required<SyntheticOptions>;
/** Generate a synthetic data set with planted group imbalance, label shift and a proxy feature. */
export declare function generateSynthetic(options?: SyntheticOptions): LoadedDataset;
export interface SyntheticScoreOptions {
    /** Extra log-odds the score gives every majority row on top of the planted base-rate gap (default 1). */
    majorityBonus?: number;
}
/**
 * A biased "model score" in (0, 1) for audit demos, from a data set made by generateSynthetic:
 * logit = 1.7·s/σ + logit(p_group) + majorityBonus·1[majority], where s = Σ w_j x_j + w_u·E[u | segment] is
 * the observable part of the latent score and p_group the planted base rate of the row's group. The score
 * thus ranks rows sensibly but over-scores the majority: its gap in mean score and in selection rate at 0.5
 * exceeds the label gap. It is not calibrated. No randomness.
 */
export declare function syntheticScores(dataset: LoadedDataset, options?: SyntheticScoreOptions): Float64Array;
