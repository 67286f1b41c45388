/**
 * Fair MEDL's equalised-odds measures per sensitive attribute (methods.md §0): the population standard deviation of
 * TPR and of FPR over the values of one attribute, skipping a value without positives (TPR undefined) or without
 * negatives (FPR undefined). With several sensitive columns the run's groups are their intersections; this
 * marginalises them to one attribute at a time, as the paper reports (Age, Race, Sex, Marital status each on its own),
 * and reuses the metrics room's tprStd and fprStd on the attribute's values (metrics/by-attribute.ts). No TensorFlow.js.
 */
import type { GroupIndex } from '../data/types.js';
import { evaluateByAttribute } from '../metrics/by-attribute.js';
import type { MetricValue } from '../metrics/report-types.js';

export interface AttributeSpread {
  attribute: string;
  /** The attribute's values, in the order of `tpr` and `fpr`. */
  values: string[];
  tpr: MetricValue[];
  fpr: MetricValue[];
  tprStd: MetricValue;
  fprStd: MetricValue;
}

export interface SpreadInput {
  yTrue: ArrayLike<number>;
  /** Probabilities (thresholded at `threshold`, default 0.5) … */
  scores?: ArrayLike<number>;
  /** … or hard 0/1 predictions. */
  yPred?: ArrayLike<number>;
  threshold?: number;
  /** The rows' (possibly intersectional) group ids into `groups.keys`. */
  groupIds: ArrayLike<number>;
  groups: Pick<GroupIndex, 'attributes' | 'values'>;
}

/** SD-TPR and SD-FPR for each sensitive attribute of the group index. */
export function spreadByAttribute(input: SpreadInput): AttributeSpread[] {
  return evaluateByAttribute(input).map(({ attribute, values, report }) => {
    const byValue = values.map((value) => report.groups.find((group) => group.key === value));
    return {
      attribute,
      values,
      tpr: byValue.map((group) => group?.tpr ?? null),
      fpr: byValue.map((group) => group?.fpr ?? null),
      tprStd: report.fairness.tprStd,
      fprStd: report.fairness.fprStd,
    };
  });
}
