import { differenceOf, ratioOf, spreadOf, type Spread } from './group-gaps.js';
import type { MetricValue, Warn } from './report-types.js';

/** A per-group value a regression fairness metric is derived from. */
export type RegressionGapValue = 'mse' | 'mae' | 'meanPrediction' | 'meanResidual';

/** The values of one group that has rows with weight (all of them are then defined). */
export type GroupRegressionValues = { key: string } & Record<RegressionGapValue, number>;

/** What a regression fairness definition composes (over the groups with rows with weight). */
export interface RegressionGapContext {
  /** max − min over the groups. */
  difference(value: RegressionGapValue): MetricValue;
  /** min / max over the groups; null (with a warning) when the maximum is 0. */
  ratio(value: RegressionGapValue): MetricValue;
  /** Population standard deviation (ddof 0) over the groups (Fair MEDL). */
  std(value: RegressionGapValue): MetricValue;
  /** The KS distance of the groups' prediction distributions; null when the rows were not kept. */
  readonly ksDistance: MetricValue;
}

const valueTitle: Record<RegressionGapValue, string> = {
  mse: 'MSE',
  mae: 'MAE',
  meanPrediction: 'mean prediction',
  meanResidual: 'mean residual',
};

/**
 * Gaps between the groups that have rows with weight. Unlike the classification rates, every per-group value is
 * defined for such a group, so no gap is left out for an undefined member. With one group, differences and the
 * std are 0 and ratios 1 (with a warning); with none, everything is null.
 */
export class RegressionGaps {
  private readonly spreads = new Map<RegressionGapValue, Spread | null>();

  constructor(
    private readonly groups: GroupRegressionValues[],
    private readonly ks: MetricValue,
    private readonly warn: Warn,
  ) {
    if (groups.length === 1) {
      warn(`only one group ('${groups[0].key}') has rows with weight, so every gap is 0, every ratio 1 and ksDistance 0`);
    }
  }

  /** The context the fairness definition named `metric` computes in (its warnings carry its name). */
  forMetric(metric: string): RegressionGapContext {
    return {
      difference: (value) => differenceOf(this.spread(value)),
      ratio: (value) => ratioOf(this.spread(value), metric, valueTitle[value], this.warn),
      std: (value) => populationStd(this.groups.map((group) => group[value])),
      ksDistance: this.ks,
    };
  }

  private spread(value: RegressionGapValue): Spread | null {
    if (!this.spreads.has(value)) this.spreads.set(value, spreadOf(this.groups.map((group) => group[value])));
    return this.spreads.get(value)!;
  }
}

function populationStd(values: number[]): MetricValue {
  if (values.length === 0) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}
