/**
 * Metrics per sensitive attribute when the rows' groups are intersections of several columns (e.g. "Female|Black"):
 * each attribute's groups are its values, pooling the intersections that share one, and the ordinary evaluation runs
 * on them. Fair MEDL reports each attribute on its own (methods.md §2); bench trials and `fairkit train` both use this.
 */
import type { GroupIndex } from '../data/types.js';
import { evaluate, type EvaluateInput } from './compute.js';
import type { MetricReport } from './report-types.js';

export interface AttributeReport {
  attribute: string;
  /** The attribute's values, sorted: the report's group keys. */
  values: string[];
  report: MetricReport;
}

/** One report per attribute of `groups`, from the rows' intersectional group ids. */
export function evaluateByAttribute(
  input: Omit<EvaluateInput, 'groups'> & { groups: Pick<GroupIndex, 'attributes' | 'values'> },
): AttributeReport[] {
  const { groups, groupIds, ...rest } = input;
  return groups.attributes.map((attribute) => {
    const values = [...new Set(groups.values.map((value) => value[attribute]))].sort();
    const index = new Map(values.map((value, i) => [value, i]));
    const valueOfGroup = groups.values.map((value) => index.get(value[attribute])!);
    const report = evaluate({
      ...rest,
      groupIds: Array.from(groupIds, (g) => valueOfGroup[g]),
      groups: { keys: values, values: values.map((value) => ({ [attribute]: value })) },
    });
    return { attribute, values, report };
  });
}
