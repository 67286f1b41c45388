/** The shapes computeMetrics returns. Every metric is a number, or null when undefined (with a warning saying why). */

export type MetricValue = number | null;

/** Performance of one slice of rows (all rows, or one group). Score metrics appear only when every row has a score. */
export interface PerformanceValues {
  count: number;
  accuracy: MetricValue;
  balancedAccuracy: MetricValue;
  selectionRate: MetricValue;
  tpr: MetricValue;
  fpr: MetricValue;
  precision: MetricValue;
  f1: MetricValue;
  ap?: MetricValue;
  rocAuc?: MetricValue;
  logLoss?: MetricValue;
}

export interface GroupReport extends PerformanceValues {
  key: string;
  values: Record<string, string>;
}

export interface FairnessValues {
  demographicParityDifference: MetricValue;
  demographicParityRatio: MetricValue;
  equalizedOddsDifference: MetricValue;
  equalizedOddsRatio: MetricValue;
  equalizedOddsSum: MetricValue;
  equalOpportunityDifference: MetricValue;
  equalOpportunityRatio: MetricValue;
  tprStd: MetricValue;
  fprStd: MetricValue;
  /** Only with exactly two groups (with rows) and a privileged one. */
  averageOddsDifference?: MetricValue;
  /** Only with scores and exactly two groups (with rows). */
  abcc?: MetricValue;
  /** Only when every row has a logit (the model's output before the sigmoid). */
  meanLogitGap?: MetricValue;
}

export interface MetricReport {
  overall: PerformanceValues;
  groups: GroupReport[];
  fairness: FairnessValues;
  warnings: string[];
}

/** Names and values of the groups, in group-id order; `privileged` is the index of the privileged group, if any. */
export interface GroupLabels {
  keys: string[];
  values: Record<string, string>[];
  privileged?: number;
}

/** Receives a warning; the bootstrap passes one that ignores them. */
export type Warn = (message: string) => void;
