import { renderAudit } from '../audit/render.js';
import type { PreparedSplits } from '../data/prepare.js';
import type { MetricReport } from '../metrics/report-types.js';

/** A test-split report as `fairkit audit` prints its table. */
export function testSplitTable(prepared: PreparedSplits, report: MetricReport): string {
  return renderAudit(
    { rows: prepared.test.nRows, sensitive: prepared.spec.sensitive, positive: prepared.positive, overall: { ...report.overall }, groups: report.groups.map((group) => ({ ...group })), fairness: { ...report.fairness }, warnings: [] },
    'table',
  );
}
