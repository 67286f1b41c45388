import type { GapContext, GapRate } from './group-gaps.js';
import type { RegressionGapContext, RegressionGapValue } from './regression-gaps.js';
import type { RegressionFairnessValues, RegressionPerformanceValues } from './regression-types.js';
import type { FairnessValues, MetricValue, PerformanceValues } from './report-types.js';

export type PerformanceMetricName = keyof PerformanceValues;
export type FairnessMetricName = keyof FairnessValues;
export type MetricName = PerformanceMetricName | FairnessMetricName;
export type RegressionPerformanceMetricName = keyof RegressionPerformanceValues;
export type RegressionFairnessMetricName = keyof RegressionFairnessValues;
export type RegressionMetricName = RegressionPerformanceMetricName | RegressionFairnessMetricName;

/** What the model predicts: a binary label (computeMetrics) or a real number (computeRegressionMetrics). */
export type Task = 'classification' | 'regression';

/**
 * Which way a metric improves: 'higher' or 'lower'; 'one' for ratios that are fair at 1; 'zero' for signed gaps
 * that are fair at 0 (averageOddsDifference: both signs are unfair); 'none' for descriptive values (count,
 * selectionRate) that are neither good nor bad in themselves.
 */
export type Better = 'higher' | 'lower' | 'one' | 'zero' | 'none';

/** What a metric needs to be defined; without it the metric is null (with a warning) or absent from the report. */
export interface MetricNeeds {
  /** A score for every row: any real score ('any'), or a probability in [0, 1] ('probabilities'). */
  scores?: 'any' | 'probabilities';
  /** The state keeps its rows (MetricStateOptions.keepRows, the default): the exact ranking metrics. */
  keptRows?: boolean;
  /** Groups with rows: at least two for a gap to mean anything ('several'), or exactly two. */
  groups?: 'several' | 'exactlyTwo';
  /** A privileged group (GroupLabels.privileged). */
  privileged?: boolean;
  /** A logit for every row (MetricBatch.logits: the model's output before the sigmoid). */
  logits?: boolean;
}

export interface CommonDefinition {
  better: Better;
  /** One line, for help texts and docs. */
  description: string;
  needs: MetricNeeds;
}

/** A metric of one slice of rows (all rows, or one group); its values come from performanceValues. */
export interface PerformanceMetric extends CommonDefinition {
  name: PerformanceMetricName;
  kind: 'performance';
  task: 'classification';
}

/** A fairness metric, derived from per-group values. */
export interface FairnessMetric extends CommonDefinition {
  name: FairnessMetricName;
  kind: 'fairness';
  task: 'classification';
  /** The per-group performance values it is derived from (empty for abcc, which compares score distributions). */
  from: GapRate[];
  /** The value over the groups with rows; undefined when the metric does not apply (the key is then absent). */
  value(gaps: GapContext): MetricValue | undefined;
}

/** A classification metric (the report of computeMetrics). */
export type MetricDefinition = PerformanceMetric | FairnessMetric;

/** A regression metric of one slice of rows; its values come from regressionPerformance. */
export interface RegressionPerformanceMetric extends CommonDefinition {
  name: RegressionPerformanceMetricName;
  kind: 'performance';
  task: 'regression';
}

/** A regression fairness metric, derived from the groups' performance values (or, for ksDistance, their rows). */
export interface RegressionFairnessMetric extends CommonDefinition {
  name: RegressionFairnessMetricName;
  kind: 'fairness';
  task: 'regression';
  from: RegressionGapValue[];
  value(gaps: RegressionGapContext): MetricValue;
}

/** A regression metric (the report of computeRegressionMetrics). */
export type RegressionMetricDefinition = RegressionPerformanceMetric | RegressionFairnessMetric;

/** Any metric of either task. */
export type AnyMetricDefinition = MetricDefinition | RegressionMetricDefinition;
