import type { MetricValue, Warn } from './report-types.js';

/** The per-group rates the fairness metrics are made of, for one group that has rows. */
export interface GroupRates {
  key: string;
  selectionRate: number;
  tpr: MetricValue;
  fpr: MetricValue;
}

/** A per-group rate a fairness metric is derived from. */
export type GapRate = 'selectionRate' | 'tpr' | 'fpr';

/** Smallest and largest value over groups. */
export interface Spread {
  min: number;
  max: number;
}

/** How the warnings name a rate. */
const rateTitle: Record<GapRate, string> = { selectionRate: 'selection rate', tpr: 'TPR', fpr: 'FPR' };

// The primitives below are shared by the fairness definitions and MetricFrame, so that a frame difference of a
// rate is the very same float operation as the fairness metric defined by it (bit-identical, not "close").

export function spreadOf(values: number[]): Spread | null {
  if (values.length === 0) return null;
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** max − min (Fairlearn's between_groups difference). */
export function differenceOf(s: Spread | null): MetricValue {
  return s === null ? null : s.max - s.min;
}

/** min / max, or null with a warning when every value is 0 (0/0). */
export function ratioOf(s: Spread | null, metric: string, what: string, warn: Warn): MetricValue {
  if (s === null) return null;
  if (s.max === 0) {
    warn(`${metric}: null, because the ${what} is 0 in every group (0/0)`);
    return null;
  }
  return s.min / s.max;
}

/** What a fairness definition composes: gaps of the per-group rates, under the metric's own name for warnings. */
export interface GapContext {
  /** max − min of a rate over the groups with rows; null when it is undefined for some group. */
  difference(rate: GapRate): MetricValue;
  /** min / max of a rate over the groups with rows; null when undefined for some group or 0 everywhere. */
  ratio(rate: GapRate): MetricValue;
  /** Population standard deviation (ddof 0) over the groups where the rate is defined (Fair MEDL). */
  std(rate: 'tpr' | 'fpr'): MetricValue;
  /** [unprivileged, privileged] when exactly two groups have rows and one of them is the privileged group. */
  privilegedPair(): [GroupRates, GroupRates] | null;
  /** rate(unprivileged) / rate(privileged); null (with a warning) when the privileged rate is 0. */
  privilegedRatio(rate: 'tpr'): MetricValue;
  /** abcc of the two groups' score distributions; undefined when abcc does not apply. */
  readonly abcc: MetricValue | undefined;
  /** max − min of the groups' mean logits; undefined without a logit for every row. */
  readonly meanLogitGap: MetricValue | undefined;
}

export interface GapOptions {
  /** Position in `rates` of the privileged group, if known. */
  privileged: number | null;
  abcc?: MetricValue;
  meanLogitGap?: MetricValue;
}

/**
 * The groups with rows and their rates, with the spreads taken once. A gap over a rate that is undefined for some
 * group is null (one warning per rate, given here), never computed over the remaining groups.
 */
export class GroupGaps {
  private readonly spreads: Record<GapRate, Spread | null>;

  constructor(
    private readonly rates: GroupRates[],
    private readonly options: GapOptions,
    private readonly warn: Warn,
  ) {
    if (rates.length === 1) warn(`only one group ('${rates[0].key}') has rows, so every gap is 0 and every ratio 1`);
    this.spreads = {
      selectionRate: spreadOf(rates.map((r) => r.selectionRate)),
      tpr: this.definedSpread('tpr', 'positive', 'equalizedOdds*, equalOpportunity*, averageOddsDifference'),
      fpr: this.definedSpread('fpr', 'negative', 'equalizedOdds*, averageOddsDifference'),
    };
  }

  /** The context a fairness definition named `metric` computes in (its warnings carry its name). */
  forMetric(metric: string): GapContext {
    const { rates, spreads, options, warn } = this;
    return {
      difference: (rate) => differenceOf(spreads[rate]),
      ratio: (rate) => ratioOf(spreads[rate], metric, rateTitle[rate], warn),
      std: (rate) => populationStd(rates, rate, metric, rate === 'tpr' ? 'positive' : 'negative', warn),
      privilegedPair: () => privilegedPair(rates, options.privileged),
      privilegedRatio: (rate) => {
        const pair = privilegedPair(rates, options.privileged);
        if (pair === null) return null;
        const [unprivileged, privileged] = pair;
        if (unprivileged[rate] === null || privileged[rate] === null) return null;
        if (privileged[rate] === 0) {
          warn(`${metric}: null, because the privileged group '${privileged.key}' has ${rateTitle[rate]} 0`);
          return null;
        }
        return unprivileged[rate]! / privileged[rate]!;
      },
      abcc: options.abcc,
      meanLogitGap: options.meanLogitGap,
    };
  }

  /** The spread of TPR or FPR, or null (with one warning) when some group lacks the needed labels. */
  private definedSpread(rate: 'tpr' | 'fpr', label: string, metrics: string): Spread | null {
    const missing = this.rates.filter((r) => r[rate] === null).map((r) => `'${r.key}'`);
    if (missing.length > 0) {
      const cause = `${rate.toUpperCase()} is undefined for group ${missing.join(', ')} (no ${label} labels)`;
      this.warn(`${metrics}: null, because ${cause}`);
      return null;
    }
    return spreadOf(this.rates.map((r) => r[rate]!));
  }
}

function populationStd(rates: GroupRates[], rate: 'tpr' | 'fpr', metric: string, label: string, warn: Warn): MetricValue {
  const defined = rates.filter((r) => r[rate] !== null).map((r) => r[rate]!);
  const left = rates.filter((r) => r[rate] === null).map((r) => `'${r.key}'`);
  if (left.length > 0) warn(`${metric} leaves out group ${left.join(', ')} (no ${label} labels)`);
  if (defined.length === 0) return null;
  const mean = defined.reduce((sum, v) => sum + v, 0) / defined.length;
  return Math.sqrt(defined.reduce((sum, v) => sum + (v - mean) ** 2, 0) / defined.length);
}

function privilegedPair(rates: GroupRates[], privileged: number | null): [GroupRates, GroupRates] | null {
  if (privileged === null || rates.length !== 2) return null;
  return [rates[1 - privileged], rates[privileged]];
}
