import { FairkitError } from '../errors.js';
import { computeMetrics } from './compute.js';
import { differenceOf, ratioOf, spreadOf } from './group-gaps.js';
import type { MetricNeeds, PerformanceMetricName } from './metric-definition.js';
import { getMetric } from './registry.js';
import type { FairnessValues, GroupLabels, MetricReport, MetricValue, PerformanceValues } from './report-types.js';
import type { MetricState } from './state.js';

/**
 * 'betweenGroups': max − min (ratio min / max) over the groups with rows, as the fairness metrics.
 * 'toOverall': the largest |group − overall| (ratio: the smallest min(group/overall, overall/group)).
 */
export type GapMethod = 'betweenGroups' | 'toOverall';

export interface GapMethodOption {
  method?: GapMethod;
}

/**
 * Fairlearn's MetricFrame over a MetricState: any performance metric overall, by group, and as a difference or
 * ratio between groups. It reads one computed report, so its between-groups gaps are the very numbers the
 * fairness metrics are made of (demographicParityDifference is difference('selectionRate')). Undefined values
 * are null with a warning in `warnings`, never 0.
 */
export class MetricFrame {
  /** The report's warnings, then the frame's own, each once. */
  readonly warnings: string[];

  constructor(readonly report: MetricReport) {
    this.warnings = [...report.warnings];
  }

  static of(state: MetricState, labels: GroupLabels): MetricFrame {
    return new MetricFrame(computeMetrics(state, labels));
  }

  /** The metric over all rows. */
  overall(name: string): MetricValue {
    const key = this.performanceKey(name, 'overall');
    return this.valueIn(this.report.overall, key, 'overall');
  }

  /** The metric of every declared group, by group key (null for a group without rows). */
  byGroup(name: string): Record<string, MetricValue> {
    const key = this.performanceKey(name, 'byGroup');
    return Object.fromEntries(this.report.groups.map((group) => [group.key, this.valueIn(group, key, `group '${group.key}'`)]));
  }

  difference(name: string, { method = 'betweenGroups' }: GapMethodOption = {}): MetricValue {
    const key = this.performanceKey(name, 'difference');
    if (method === 'betweenGroups') return differenceOf(this.groupSpread(key, `difference of ${key}`));
    const pairs = this.toOverallPairs(key, `difference of ${key} to overall`);
    if (pairs === null) return null;
    return Math.max(...pairs.map(([group, overall]) => Math.abs(group - overall)));
  }

  ratio(name: string, { method = 'betweenGroups' }: GapMethodOption = {}): MetricValue {
    const key = this.performanceKey(name, 'ratio');
    if (method === 'betweenGroups') return ratioOf(this.groupSpread(key, `ratio of ${key}`), `ratio of ${key}`, key, this.warn);
    const label = `ratio of ${key} to overall`;
    const pairs = this.toOverallPairs(key, label);
    if (pairs === null) return null;
    if (pairs.some(([group, overall]) => Math.max(group, overall) === 0)) {
      this.warn(`${label}: null, because ${key} is 0 both overall and in some group (0/0)`);
      return null;
    }
    return Math.min(...pairs.map(([group, overall]) => Math.min(group, overall) / Math.max(group, overall)));
  }

  /** A fairness metric of the report (they are defined over this frame's between-group gaps). */
  fairness(name: string): MetricValue {
    const metric = getMetric(name);
    if (metric.kind !== 'fairness') {
      throw new FairkitError(`'${name}' is a performance metric`, { where: 'MetricFrame.fairness', fix: 'use overall, byGroup, difference or ratio' });
    }
    return this.valueIn(this.report.fairness, metric.name, 'fairness');
  }

  private readonly warn = (message: string): void => {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  };

  private performanceKey(name: string, where: string): PerformanceMetricName {
    const metric = getMetric(name);
    if (metric.kind !== 'performance') {
      throw new FairkitError(`'${name}' is a fairness metric, not a per-group one`, {
        where: `MetricFrame.${where}`,
        fix: `use frame.fairness('${name}')`,
      });
    }
    return metric.name;
  }

  /** A value of the report, or null with a warning saying what the metric needs when the report has none. */
  private valueIn<T extends PerformanceValues | FairnessValues>(values: T, key: keyof T & string, scope: string): MetricValue {
    const value = values[key] as MetricValue | undefined;
    if (value !== undefined) return value;
    this.warn(`${key} (${scope}): null, because it is not in the report (it needs ${needsText(getMetric(key).needs)})`);
    return null;
  }

  /** The spread over groups with rows, or null (with a warning naming the groups) when undefined for some. */
  private groupSpread(key: PerformanceMetricName, label: string) {
    const values = this.groupsWithRows().map((group) => [group.key, group[key] ?? null] as const);
    const missing = values.filter(([, value]) => value === null).map(([groupKey]) => `'${groupKey}'`);
    if (missing.length > 0) {
      this.warn(`${label}: null, because ${key} is undefined for group ${missing.join(', ')}`);
      return null;
    }
    return spreadOf(values.map(([, value]) => value!));
  }

  /** [group value, overall value] for every group with rows, or null (with a warning) when any is undefined. */
  private toOverallPairs(key: PerformanceMetricName, label: string): [number, number][] | null {
    const overall = this.report.overall[key] ?? null;
    if (overall === null) {
      this.warn(`${label}: null, because ${key} is undefined overall`);
      return null;
    }
    const spread = this.groupSpread(key, label);
    if (spread === null) return null;
    return this.groupsWithRows().map((group) => [group[key]!, overall]);
  }

  /** Groups with positive total weight (the ones the fairness metrics compare): selectionRate is defined. */
  private groupsWithRows() {
    return this.report.groups.filter((group) => group.selectionRate !== null);
  }
}

function needsText(needs: MetricNeeds): string {
  const parts: string[] = [];
  if (needs.scores === 'any') parts.push('a score for every row');
  if (needs.scores === 'probabilities') parts.push('a probability for every row');
  if (needs.keptRows) parts.push('the rows kept (keepRows)');
  if (needs.groups === 'exactlyTwo') parts.push('exactly two groups with rows');
  if (needs.privileged) parts.push('a privileged group');
  return parts.length > 0 ? parts.join(', ') : 'rows with weight';
}
