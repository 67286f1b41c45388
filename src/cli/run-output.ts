import { renderAudit } from '../audit/render.js';
import type { PreparedSplits } from '../data/prepare.js';
import type { MetricReport } from '../metrics/report-types.js';

/**
 * What a model folder records about its data beside the weights (model.json "extra"): `fairkit predict` reads the
 * groups and their cut points back, `fairkit debias` the data set and spec.
 */
export function savedRunExtra(dataset: string, prepared: PreparedSplits): Record<string, unknown> {
  const { attributes, keys, cuts } = prepared.train.groups;
  const binning = Object.entries(cuts ?? {}).map(([column, columnCuts]) => ({ column, cuts: columnCuts }));
  return { dataset, spec: prepared.spec, groups: { attributes, keys, ...(binning.length > 0 ? { binning } : {}) }, positive: prepared.positive };
}

/** A test-split report as `fairkit audit` prints its table. */
export function testSplitTable(prepared: PreparedSplits, report: MetricReport): string {
  return renderAudit(
    { rows: prepared.test.nRows, sensitive: prepared.spec.sensitive, positive: prepared.positive, overall: { ...report.overall }, groups: report.groups.map((group) => ({ ...group })), fairness: { ...report.fairness }, warnings: [] },
    'table',
  );
}
